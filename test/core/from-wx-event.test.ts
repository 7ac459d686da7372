import { WxError } from '../../src/core/errors'
import { fromWxEvent } from '../../src/core/from-wx-event'
import { createFakeWx } from '../helpers/fake-wx'

describe('fromWxEvent', () => {
  let restore: (() => void) | undefined
  afterEach(() => {
    restore?.()
    restore = undefined
  })

  it('is lazy: nothing is registered before subscribe', () => {
    const fake = createFakeWx()
    restore = fake.install()
    fromWxEvent('onNetworkStatusChange')
    expect(fake.listenerCount()).toBe(0)
  })

  it('subscribes with onX and unsubscribes with offX and the same handler', () => {
    const fake = createFakeWx()
    const offSpy = jest.spyOn(fake.wx, 'offAppHide')
    restore = fake.install()
    const seen: unknown[] = []
    const sub = fromWxEvent('onAppHide').subscribe((e) => seen.push(e))
    expect(fake.listenerCount()).toBe(1)
    const [handler] = fake.listeners.get('AppHide')!
    fake.emit('AppHide', { reason: 1 })
    expect(seen).toEqual([{ reason: 1 }])
    sub.unsubscribe()
    expect(offSpy).toHaveBeenCalledTimes(1)
    expect(offSpy.mock.calls[0][0]).toBe(handler)
    expect(fake.listenerCount()).toBe(0)
  })

  it('never calls offX() without an argument, so the app keeps its own listeners', () => {
    const fake = createFakeWx()
    restore = fake.install()
    const appOwn = jest.fn()
    fake.wx.onNetworkStatusChange(appOwn)
    const sub = fromWxEvent('onNetworkStatusChange').subscribe()
    sub.unsubscribe()
    fake.emit('NetworkStatusChange', { isConnected: true })
    expect(appOwn).toHaveBeenCalledTimes(1)
    expect(fake.listenerCount()).toBe(1)
  })

  it('gives each subscriber its own handler on paired events', () => {
    const fake = createFakeWx()
    restore = fake.install()
    const a = fromWxEvent('onMemoryWarning').subscribe()
    const b = fromWxEvent('onMemoryWarning').subscribe()
    expect(fake.listenerCount()).toBe(2)
    a.unsubscribe()
    b.unsubscribe()
    expect(fake.listenerCount()).toBe(0)
  })

  it('shares one underlying listener for events without offX (onSocketMessage)', () => {
    const fake = createFakeWx()
    const onSpy = jest.spyOn(fake.wx, 'onSocketMessage')
    restore = fake.install()
    const a: unknown[] = []
    const b: unknown[] = []
    const subA = fromWxEvent('onSocketMessage').subscribe((e) => a.push(e))
    const subB = fromWxEvent('onSocketMessage').subscribe((e) => b.push(e))
    fake.emit('SocketMessage', { data: 'x' })
    expect(a).toEqual([{ data: 'x' }])
    expect(b).toEqual([{ data: 'x' }])
    subA.unsubscribe()
    fake.emit('SocketMessage', { data: 'y' })
    expect(a).toHaveLength(1)
    expect(b).toEqual([{ data: 'x' }, { data: 'y' }])
    subB.unsubscribe()
    // resubscribing does not register a second underlying listener
    const subC = fromWxEvent('onSocketMessage').subscribe()
    subC.unsubscribe()
    expect(onSpy).toHaveBeenCalledTimes(1)
    expect(fake.listenerCount()).toBe(1)
  })

  it('falls back to the shared listener when the base library lacks offX', () => {
    const fake = createFakeWx()
    delete fake.wx.offAccelerometerChange
    const onSpy = jest.spyOn(fake.wx, 'onAccelerometerChange')
    restore = fake.install()
    fromWxEvent('onAccelerometerChange').subscribe().unsubscribe()
    fromWxEvent('onAccelerometerChange').subscribe().unsubscribe()
    expect(onSpy).toHaveBeenCalledTimes(1)
  })

  it('registers again for a new wx object', () => {
    const first = createFakeWx()
    let undo = first.install()
    fromWxEvent('onSocketOpen').subscribe().unsubscribe()
    undo()
    const second = createFakeWx()
    undo = second.install()
    const seen: unknown[] = []
    const sub = fromWxEvent('onSocketOpen').subscribe((e) => seen.push(e))
    second.emit('SocketOpen', { header: {} })
    expect(seen).toEqual([{ header: {} }])
    sub.unsubscribe()
    undo()
  })

  it('errors with "not supported" when the base library lacks the listener', () => {
    const fake = createFakeWx()
    delete fake.wx.onThemeChange
    restore = fake.install()
    const error = jest.fn()
    fromWxEvent('onThemeChange').subscribe({ error })
    expect(error.mock.calls[0][0]).toBeInstanceOf(WxError)
    expect(error.mock.calls[0][0].errMsg).toBe('onThemeChange:fail not supported')
  })

  it('errors with a TypeError for a name that is not a listener', () => {
    restore = createFakeWx().install()
    for (const bad of ['request', '', 42, null, 'onlowercase']) {
      const error = jest.fn()
      fromWxEvent(bad as never).subscribe({ error })
      expect(error.mock.calls[0][0]).toBeInstanceOf(TypeError)
      expect(error.mock.calls[0][0].message).toMatch(/^fromWxEvent: `name` must be/)
    }
  })
})
