// networkStatus$ / isOnline$ against a scripted wx whose getNetworkType answers when the test
// says so, then against the Node wx host.
import { isOnline$, networkStatus$ } from 'miniprogram-rx'
import type { NetworkStatus } from 'miniprogram-rx'
import { createWxHost } from 'miniprogram-rx/testing'
import { createFakeWx, flush } from './socket-fake-wx'
import type { FakeWx } from './socket-fake-wx'

let fake: FakeWx
let restore: () => void

beforeEach(() => {
  fake = createFakeWx(false)
  restore = fake.install()
})

afterEach(() => restore())

function collect<T>(source: { subscribe(fn: (v: T) => void): { unsubscribe(): void } }) {
  const values: T[] = []
  const sub = source.subscribe((v) => values.push(v))
  return { values, sub }
}

describe('networkStatus$', () => {
  it('emits the current state from getNetworkType first', async () => {
    const { values, sub } = collect<NetworkStatus>(networkStatus$)
    expect(values).toEqual([])
    fake.answerNetworkType('4g')
    await flush()
    expect(values).toEqual([{ isConnected: true, networkType: '4g' }])
    sub.unsubscribe()
  })

  it('reports networkType none as offline', async () => {
    const { values, sub } = collect<NetworkStatus>(networkStatus$)
    fake.answerNetworkType('none')
    await flush()
    expect(values).toEqual([{ isConnected: false, networkType: 'none' }])
    sub.unsubscribe()
  })

  it('is shared: one listener and one getNetworkType for every subscriber', async () => {
    const a = collect<NetworkStatus>(networkStatus$)
    const b = collect<NetworkStatus>(networkStatus$)
    expect(fake.networkListeners).toHaveLength(1)
    expect(fake.networkTypeCalls).toBe(1)
    fake.answerNetworkType('wifi')
    await flush()
    fake.changeNetwork(false)
    expect(a.values).toEqual(b.values)
    expect(a.values).toHaveLength(2)
    a.sub.unsubscribe()
    b.sub.unsubscribe()
  })

  it('emits only on change', async () => {
    const { values, sub } = collect<NetworkStatus>(networkStatus$)
    fake.answerNetworkType('wifi')
    await flush()
    fake.changeNetwork(true, 'wifi')
    fake.changeNetwork(true, 'wifi')
    fake.changeNetwork(true, '4g')
    fake.changeNetwork(true, '4g')
    fake.changeNetwork(false, 'none')
    expect(values.map((v) => v.networkType)).toEqual(['wifi', '4g', 'none'])
    sub.unsubscribe()
  })

  it('gives a late subscriber the current state at once, without asking wx again', async () => {
    const first = collect<NetworkStatus>(networkStatus$)
    fake.answerNetworkType('wifi')
    await flush()
    fake.changeNetwork(true, '5g')
    const late = collect<NetworkStatus>(networkStatus$)
    expect(late.values).toEqual([{ isConnected: true, networkType: '5g' }])
    expect(fake.networkTypeCalls).toBe(1)
    first.sub.unsubscribe()
    late.sub.unsubscribe()
  })

  it('detaches with offNetworkStatusChange(sameHandler) after the last subscriber', async () => {
    const a = collect<NetworkStatus>(networkStatus$)
    const b = collect<NetworkStatus>(networkStatus$)
    const handler = fake.networkListeners[0]
    a.sub.unsubscribe()
    expect(fake.offCalls).toHaveLength(0)
    b.sub.unsubscribe()
    expect(fake.offCalls).toEqual([handler])
    expect(fake.networkListeners).toHaveLength(0)
    // Subscribing again attaches again and asks for the state afresh.
    const c = collect<NetworkStatus>(networkStatus$)
    expect(fake.networkListeners).toHaveLength(1)
    expect(fake.networkTypeCalls).toBe(2)
    fake.answerNetworkType('3g')
    await flush()
    expect(c.values).toEqual([{ isConnected: true, networkType: '3g' }])
    c.sub.unsubscribe()
    expect(fake.networkListeners).toHaveLength(0)
  })

  it('a change arriving before getNetworkType answers wins over the older answer', async () => {
    const { values, sub } = collect<NetworkStatus>(networkStatus$)
    fake.changeNetwork(false, 'none')
    fake.answerNetworkType('wifi') // measured before the change: stale
    await flush()
    expect(values).toEqual([{ isConnected: false, networkType: 'none' }])
    sub.unsubscribe()
  })

  it('takes a failed getNetworkType as online, type unknown', async () => {
    const { values, sub } = collect<NetworkStatus>(networkStatus$)
    fake.answerNetworkType('wifi', true)
    await flush()
    expect(values).toEqual([{ isConnected: true, networkType: 'unknown' }])
    sub.unsubscribe()
  })

  it('fills in isConnected from networkType when a change event lacks it', async () => {
    const { values, sub } = collect<NetworkStatus>(networkStatus$)
    fake.answerNetworkType('wifi')
    await flush()
    for (const fn of fake.networkListeners) fn({ networkType: 'none' })
    expect(values[1]).toEqual({ isConnected: false, networkType: 'none' })
    sub.unsubscribe()
  })

  it('works without onNetworkStatusChange (current state only)', async () => {
    delete fake.wx.onNetworkStatusChange
    const { values, sub } = collect<NetworkStatus>(networkStatus$)
    fake.answerNetworkType('wifi')
    await flush()
    expect(values).toEqual([{ isConnected: true, networkType: 'wifi' }])
    sub.unsubscribe()
  })
})

describe('isOnline$', () => {
  it('emits the current value first, then only when online/offline flips', async () => {
    const { values, sub } = collect<boolean>(isOnline$)
    fake.answerNetworkType('wifi')
    await flush()
    fake.changeNetwork(true, '4g') // type changed, still online: nothing
    fake.changeNetwork(false)
    fake.changeNetwork(false, 'none')
    fake.changeNetwork(true, 'wifi')
    expect(values).toEqual([true, false, true])
    sub.unsubscribe()
    expect(fake.networkListeners).toHaveLength(0)
  })
})

describe('networkStatus$ through the wx host', () => {
  it('follows host.setNetwork and leaves no listener behind', async () => {
    restore()
    const host = createWxHost({ network: { isConnected: true, networkType: '4g' } })
    const uninstall = host.install()
    try {
      const status = collect<NetworkStatus>(networkStatus$)
      const online = collect<boolean>(isOnline$)
      await flush(6)
      host.setNetwork({ isConnected: false })
      host.setNetwork({ isConnected: true, networkType: 'wifi' })
      expect(status.values).toEqual([
        { isConnected: true, networkType: '4g' },
        { isConnected: false, networkType: 'none' },
        { isConnected: true, networkType: 'wifi' },
      ])
      expect(online.values).toEqual([true, false, true])
      expect(host.listenerCount('onNetworkStatusChange')).toBe(1)
      status.sub.unsubscribe()
      online.sub.unsubscribe()
      expect(host.listenerCount()).toBe(0)
    } finally {
      uninstall()
      await host.close()
      restore = fake.install()
    }
  })
})
