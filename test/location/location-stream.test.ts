import { firstValueFrom, take, toArray } from 'rxjs'
import { WxError } from '../../src/core/errors'
import { gcj02ToWgs84 } from '../../src/location/coordinates'
import { location$, type LocationEvent } from '../../src/location/location-stream'
import { createFakeWx, type FakeWx } from '../helpers/fake-wx'

const FIX = {
  latitude: 39.91640428150164,
  longitude: 116.41024449916938,
  speed: 0,
  accuracy: 30,
  altitude: 50,
  verticalAccuracy: 5,
  horizontalAccuracy: 30,
}

// Lets the fake's callbacks (delivered on later microtasks) and the SDK's promise chains run.
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

const apis = (fake: FakeWx) => fake.calls.map((c) => c.api)

describe('location$ over startLocationUpdate + onLocationChange', () => {
  let fake: FakeWx
  let restore: () => void
  beforeEach(() => {
    fake = createFakeWx()
    restore = fake.install()
  })
  afterEach(() => restore())

  it('starts updates in GCJ-02, emits each fix, and undoes both on unsubscribe', async () => {
    const off = jest.spyOn(fake.wx, 'offLocationChange')
    const seen: LocationEvent[] = []
    const sub = location$().subscribe((e) => seen.push(e))
    await flush()
    expect(apis(fake)).toEqual(['startLocationUpdate'])
    expect(fake.calls[0].options.type).toBe('gcj02')
    expect(fake.listeners.get('LocationChange')).toHaveLength(1)
    const handler = fake.listeners.get('LocationChange')![0]
    fake.emit('LocationChange', FIX)
    fake.emit('LocationChange', { ...FIX, speed: 2 })
    expect(seen).toEqual([
      { ...FIX, type: 'gcj02' },
      { ...FIX, speed: 2, type: 'gcj02' },
    ])
    sub.unsubscribe()
    expect(off).toHaveBeenCalledWith(handler)
    await flush()
    expect(apis(fake)).toEqual(['startLocationUpdate', 'stopLocationUpdate'])
    expect(fake.listenerCount()).toBe(0)
  })

  it('converts fixes to WGS84 when asked', async () => {
    const promise = firstValueFrom(location$({ type: 'wgs84' }))
    await flush()
    fake.emit('LocationChange', FIX)
    const event = await promise
    expect(event).toEqual({ ...FIX, ...gcj02ToWgs84(FIX), type: 'wgs84' })
    expect(event.latitude).toBeCloseTo(39.915, 9)
    expect(event.longitude).toBeCloseTo(116.404, 9)
    await flush()
    expect(fake.listenerCount()).toBe(0)
  })

  it('shares one session among subscribers and stops after the last leaves', async () => {
    const a: string[] = []
    const b: string[] = []
    const subA = location$().subscribe((e) => a.push(e.type))
    const subB = location$({ type: 'wgs84' }).subscribe((e) => b.push(e.type))
    await flush()
    fake.emit('LocationChange', FIX)
    expect(a).toEqual(['gcj02'])
    expect(b).toEqual(['wgs84'])
    expect(apis(fake)).toEqual(['startLocationUpdate'])
    // One onLocationChange and one onLocationChangeError listener for both subscribers.
    expect(fake.listenerCount()).toBe(2)
    subA.unsubscribe()
    await flush()
    expect(apis(fake)).toEqual(['startLocationUpdate'])
    subB.unsubscribe()
    await flush()
    expect(apis(fake)).toEqual(['startLocationUpdate', 'stopLocationUpdate'])
    expect(fake.listenerCount()).toBe(0)
  })

  it('stops a session left while starting once it has started, and never stops its successor', async () => {
    let answer: (() => void)[] = []
    fake.wx.startLocationUpdate = (o: { success: (r: unknown) => void }) => {
      fake.calls.push({ api: 'startLocationUpdate', options: o })
      answer.push(() => o.success({ errMsg: 'startLocationUpdate:ok' }))
    }
    location$().subscribe().unsubscribe()
    const sub = location$().subscribe()
    await flush()
    expect(apis(fake)).toEqual(['startLocationUpdate'])
    answer.shift()!()
    await flush()
    // The first session's stop ran before the second session's start.
    expect(apis(fake)).toEqual(['startLocationUpdate', 'stopLocationUpdate', 'startLocationUpdate'])
    answer.shift()!()
    await flush()
    expect(apis(fake)).toHaveLength(3)
    sub.unsubscribe()
    await flush()
    expect(apis(fake).slice(-1)).toEqual(['stopLocationUpdate'])
    answer = []
  })

  it('errors with the WxError when starting fails, removing its listener and not stopping', async () => {
    fake.wx.startLocationUpdate = (o: { fail: (r: unknown) => void }) => {
      fake.calls.push({ api: 'startLocationUpdate', options: o })
      o.fail({ errMsg: 'startLocationUpdate:fail auth deny' })
    }
    const error = await firstValueFrom(location$()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WxError)
    expect(error).toMatchObject({ errMsg: 'startLocationUpdate:fail auth deny' })
    await flush()
    expect(apis(fake)).toEqual(['startLocationUpdate'])
    expect(fake.listenerCount()).toBe(0)
  })

  it('errors on onLocationChangeError and stops the session', async () => {
    const promise = firstValueFrom(location$()).catch((e: unknown) => e)
    await flush()
    expect(fake.listeners.get('LocationChangeError')).toHaveLength(1)
    fake.emit('LocationChangeError', {
      errCode: 2,
      errMsg: 'onLocationChange:fail location unavailable',
    })
    const error = await promise
    expect(error).toBeInstanceOf(WxError)
    expect(error).toMatchObject({ errMsg: 'onLocationChange:fail location unavailable' })
    await flush()
    expect(apis(fake)).toEqual(['startLocationUpdate', 'stopLocationUpdate'])
    expect(fake.listenerCount()).toBe(0)
  })

  it('shares one listener when the base library has no offLocationChange', async () => {
    delete fake.wx.offLocationChange
    const first = location$().pipe(take(1), toArray())
    const p1 = firstValueFrom(first)
    await flush()
    fake.emit('LocationChange', FIX)
    await expect(p1).resolves.toHaveLength(1)
    const p2 = firstValueFrom(location$())
    await flush()
    fake.emit('LocationChange', FIX)
    await expect(p2).resolves.toMatchObject({ type: 'gcj02' })
    expect(fake.listeners.get('LocationChange')).toHaveLength(1)
  })

  it.each([
    ['options that are not an object', 'gcj02', /^location\$: `options` must be an object/],
    ['an unknown type', { type: 'bd09' }, /`options.type` must be 'wgs84' or 'gcj02'/],
    ['a bad interval', { interval: 0 }, /`options.interval`/],
  ])('errors with a TypeError for %s, calling nothing', async (_label, bad, message) => {
    const error = await firstValueFrom(location$(bad as never)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(message)
    expect(fake.calls).toHaveLength(0)
  })
})

describe('location$ polling getLocation where startLocationUpdate is missing', () => {
  let fake: FakeWx
  let restore: () => void
  let n = 0
  beforeEach(() => {
    jest.useFakeTimers()
    n = 0
    fake = createFakeWx({
      getLocation: (o) => {
        n += 1
        void Promise.resolve().then(() =>
          o.success?.({ ...FIX, speed: n, errMsg: 'getLocation:ok' }),
        )
      },
    })
    delete fake.wx.startLocationUpdate
    restore = fake.install()
  })
  afterEach(() => {
    restore()
    jest.useRealTimers()
  })

  it('polls at once and then every interval, in the type asked for, until unsubscribed', async () => {
    const seen: LocationEvent[] = []
    const sub = location$({ type: 'wgs84', interval: 1000, isHighAccuracy: true }).subscribe((e) =>
      seen.push(e),
    )
    await flush()
    expect(seen).toEqual([{ ...FIX, speed: 1, type: 'wgs84' }])
    expect(fake.calls[0].options).toMatchObject({ type: 'wgs84', isHighAccuracy: true })
    await jest.advanceTimersByTimeAsync(999)
    expect(seen).toHaveLength(1)
    await jest.advanceTimersByTimeAsync(1)
    expect(seen.map((e) => e.speed)).toEqual([1, 2])
    await jest.advanceTimersByTimeAsync(2000)
    expect(seen.map((e) => e.speed)).toEqual([1, 2, 3, 4])
    expect(jest.getTimerCount()).toBe(1)
    sub.unsubscribe()
    expect(jest.getTimerCount()).toBe(0)
    await jest.advanceTimersByTimeAsync(10_000)
    expect(n).toBe(4)
    expect(fake.listenerCount()).toBe(0)
  })

  it('defaults to GCJ-02 every 3 seconds', async () => {
    const sub = location$().subscribe()
    await flush()
    expect(fake.calls[0].options.type).toBe('gcj02')
    await jest.advanceTimersByTimeAsync(3000)
    expect(n).toBe(2)
    sub.unsubscribe()
  })

  it('drops an answer that arrives after unsubscribe and leaves no timer', async () => {
    const seen: unknown[] = []
    location$()
      .subscribe((e) => seen.push(e))
      .unsubscribe()
    await flush()
    expect(seen).toEqual([])
    expect(jest.getTimerCount()).toBe(0)
  })

  it('errors when a poll fails', async () => {
    fake.wx.getLocation = (o: { fail: (r: unknown) => void }) =>
      o.fail({ errMsg: 'getLocation:fail auth deny' })
    const error = await firstValueFrom(location$()).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'WxError', errMsg: 'getLocation:fail auth deny' })
    expect(jest.getTimerCount()).toBe(0)
  })
})
