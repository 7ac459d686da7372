import fc from 'fast-check'
import { configure, fromWxEvent, getWx, isOnline$, wxp } from '../../src/index'
import { createFakeWx } from '../helpers/fake-wx'

describe('configure({ wx })', () => {
  let restoreGlobal: (() => void) | undefined
  afterEach(() => {
    configure({ wx: null })
    restoreGlobal?.()
    restoreGlobal = undefined
  })

  it('sends every call to the configured host, not to the global wx', async () => {
    const globalWx = createFakeWx()
    restoreGlobal = globalWx.install()
    const qq = createFakeWx({
      getStorage: (options) => setTimeout(() => options.success?.({ data: 'from qq' }), 0),
    })
    configure({ wx: qq.wx as unknown as WechatMiniprogram.Wx })
    expect(getWx()).toBe(qq.wx)
    const result = await wxp.getStorage({ key: 'token' })
    expect(result.data).toBe('from qq')
    expect(qq.calls.map((c) => c.api)).toEqual(['getStorage'])
    expect(globalWx.calls).toEqual([])
  })

  it('listens on the configured host and detaches from it', () => {
    const qq = createFakeWx()
    configure({ wx: qq.wx as unknown as WechatMiniprogram.Wx })
    const shown: unknown[] = []
    const subscription = fromWxEvent('onAppShow').subscribe((event) => shown.push(event))
    expect(qq.listenerCount()).toBe(1)
    qq.emit('AppShow', { path: 'pages/index/index' })
    expect(shown).toEqual([{ path: 'pages/index/index' }])
    subscription.unsubscribe()
    expect(qq.listenerCount()).toBe(0)
  })

  it('serves the curated modules too (network status from the host)', async () => {
    const qq = createFakeWx({
      getNetworkType: (options) => options.success?.({ networkType: 'wifi' }),
    })
    configure({ wx: qq.wx as unknown as WechatMiniprogram.Wx })
    const seen: boolean[] = []
    const subscription = isOnline$.subscribe((online) => seen.push(online))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(seen).toEqual([true])
    expect(qq.calls.map((c) => c.api)).toEqual(['getNetworkType'])
    qq.emit('NetworkStatusChange', { isConnected: false, networkType: 'none' })
    expect(seen).toEqual([true, false])
    subscription.unsubscribe()
    expect(qq.listenerCount()).toBe(0)
  })

  it('goes back to the global wx with { wx: null }', async () => {
    const globalWx = createFakeWx()
    restoreGlobal = globalWx.install()
    const qq = createFakeWx()
    configure({ wx: qq.wx as unknown as WechatMiniprogram.Wx })
    configure({ wx: null })
    expect(getWx()).toBe(globalWx.wx)
    await wxp.getSystemInfo()
    expect(globalWx.calls.map((c) => c.api)).toEqual(['getSystemInfo'])
    expect(qq.calls).toEqual([])
  })

  it('refuses what is not a host with a TypeError naming configure and the field', () => {
    expect(() => configure({ wx: 'wx' as unknown as WechatMiniprogram.Wx })).toThrow(
      new TypeError(
        'configure: `options.wx` must be an object with the shape of wx, or null, got "wx"',
      ),
    )
    expect(() => configure(undefined as unknown as { wx: null })).toThrow(
      /^configure: `options` must be an object, got undefined$/,
    )
  })

  it('under arbitrary input, returns or throws a TypeError naming it, never anything else', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (options, host) => {
        for (const argument of [options, { wx: host }]) {
          try {
            configure(argument as { wx: null })
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError)
            expect((error as Error).message).toMatch(/^configure: `options(\.wx)?` must be/)
          }
          configure({ wx: null })
          expect(getWx()).toBe(undefined)
        }
      }),
      { numRuns: 200, seed: 1515 },
    )
  })
})
