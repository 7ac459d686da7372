import { firstValueFrom } from 'rxjs'
import { WxError } from '../../src/core/errors'
import { distance, wgs84ToGcj02 } from '../../src/location/coordinates'
import { location$, type LocationEvent } from '../../src/location/location-stream'
import { createWxHost, type WxHost } from '../../src/testing'

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

const PUDONG = { latitude: 31.2397, longitude: 121.4998 }
const XUJIAHUI = { latitude: 31.1947, longitude: 121.4375 }

describe('location$ through the wx host (startLocationUpdate)', () => {
  let host: WxHost
  let restore: () => void
  beforeEach(() => {
    host = createWxHost({ location: { position: PUDONG } })
    restore = host.install()
  })
  afterEach(async () => {
    jest.useRealTimers()
    restore()
    await host.close()
  })

  it('reports the position in GCJ-02 and WGS84, follows moves, and cleans up', async () => {
    const gcj: LocationEvent[] = []
    const wgs: LocationEvent[] = []
    const a = location$().subscribe((e) => gcj.push(e))
    const b = location$({ type: 'wgs84' }).subscribe((e) => wgs.push(e))
    await flush()
    expect(host.location.updating()).toBe('foreground')
    expect(host.listenerCount('onLocationChange')).toBe(1)
    host.location.moveTo(XUJIAHUI)
    expect(gcj).toHaveLength(2)
    expect(wgs).toHaveLength(2)
    // The host computes GCJ-02 with its own transform; the SDK's inverse recovers WGS84.
    expect(distance(gcj[1], wgs84ToGcj02(XUJIAHUI))).toBeLessThan(0.001)
    expect(distance(wgs[1], XUJIAHUI)).toBeLessThan(0.01)
    expect(distance(wgs[0], PUDONG)).toBeLessThan(0.01)
    expect(wgs[1]).toMatchObject({ type: 'wgs84', accuracy: 65, speed: 0 })
    a.unsubscribe()
    await flush()
    expect(host.location.updating()).toBe('foreground')
    b.unsubscribe()
    await flush()
    expect(host.location.updating()).toBe(false)
    expect(host.listenerCount()).toBe(0)
    expect(host.calls.map((c) => c.api).filter((n) => /LocationUpdate/.test(n))).toEqual([
      'startLocationUpdate',
      'stopLocationUpdate',
    ])
  })

  it('follows a timed track with fake timers', async () => {
    jest.useFakeTimers()
    const seen: number[] = []
    const sub = location$({ type: 'wgs84' }).subscribe((e) => seen.push(e.latitude))
    await flush()
    host.location.setTrack([PUDONG, XUJIAHUI, { latitude: 31.2304, longitude: 121.4737 }], 1000)
    await jest.advanceTimersByTimeAsync(2000)
    expect(seen.map((v) => v.toFixed(4))).toEqual(['31.2397', '31.2397', '31.1947', '31.2304'])
    sub.unsubscribe()
    await flush()
    expect(host.listenerCount()).toBe(0)
    expect(host.location.updating()).toBe(false)
  })

  it('errors with startLocationUpdate:fail auth deny when the user refused location', async () => {
    host.device.setAuth('scope.userLocation', false)
    const error = await firstValueFrom(location$()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WxError)
    expect(error).toMatchObject({
      api: 'startLocationUpdate',
      errMsg: 'startLocationUpdate:fail auth deny',
    })
    await flush()
    expect(host.listenerCount()).toBe(0)
    expect(host.location.updating()).toBe(false)
  })

  it('can be retried after the user allows location', async () => {
    host.device.setAuth('scope.userLocation', false)
    await expect(firstValueFrom(location$())).rejects.toThrow(/auth deny/)
    host.device.setAuth('scope.userLocation', true)
    await expect(firstValueFrom(location$())).resolves.toMatchObject({ type: 'gcj02' })
    await flush()
    expect(host.listenerCount()).toBe(0)
    expect(host.location.updating()).toBe(false)
  })
})

describe('location$ through the wx host, polling getLocation (no startLocationUpdate)', () => {
  let host: WxHost
  let restore: () => void
  beforeEach(() => {
    jest.useFakeTimers()
    host = createWxHost({ location: { position: PUDONG } })
    delete (host.wx as unknown as Record<string, unknown>).startLocationUpdate
    restore = host.install()
  })
  afterEach(async () => {
    restore()
    await host.close()
    jest.useRealTimers()
  })

  it('polls getLocation in the type asked for and leaves no timer or listener', async () => {
    const seen: LocationEvent[] = []
    const sub = location$({ type: 'wgs84', interval: 2000 }).subscribe((e) => seen.push(e))
    await flush()
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ ...PUDONG, type: 'wgs84' })
    host.location.moveTo(XUJIAHUI)
    await jest.advanceTimersByTimeAsync(2000)
    expect(seen[1]).toMatchObject({ ...XUJIAHUI, type: 'wgs84' })
    const gcj = await firstValueFrom(location$())
    expect(distance(gcj, wgs84ToGcj02(XUJIAHUI))).toBeLessThan(0.001)
    sub.unsubscribe()
    expect(jest.getTimerCount()).toBe(0)
    expect(host.listenerCount()).toBe(0)
    expect(host.calls.map((c) => c.api)).not.toContain('onLocationChange')
  })

  it('errors with getLocation:fail auth deny when refused', async () => {
    host.device.setAuth('scope.userLocation', false)
    await expect(firstValueFrom(location$())).rejects.toMatchObject({
      name: 'WxError',
      errMsg: 'getLocation:fail auth deny',
    })
    expect(jest.getTimerCount()).toBe(0)
  })
})
