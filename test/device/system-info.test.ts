import { WxError } from '../../src/core/errors'
import { systemInfo } from '../../src/device/system-info'
import { createFakeWx } from '../helpers/fake-wx'

const WINDOW = {
  pixelRatio: 3,
  safeArea: { top: 47, left: 0, right: 390, bottom: 810, width: 390, height: 763 },
  screenHeight: 844,
  screenTop: 0,
  screenWidth: 390,
  statusBarHeight: 47,
  windowHeight: 763,
  windowWidth: 390,
}
const DEVICE = {
  brand: 'Apple',
  model: 'iPhone 13',
  platform: 'ios',
  system: 'iOS 17.0',
  benchmarkLevel: -1,
}
const APP = {
  SDKVersion: '3.4.0',
  language: 'zh_CN',
  version: '8.0.44',
  theme: 'light',
  enableDebug: false,
}

describe('systemInfo', () => {
  let restore: (() => void) | undefined
  afterEach(() => restore?.())

  it('merges getWindowInfo, getDeviceInfo and getAppBaseInfo where all three exist', async () => {
    const fake = createFakeWx({
      getWindowInfo: () => ({ ...WINDOW }),
      getDeviceInfo: () => ({ ...DEVICE }),
      getAppBaseInfo: () => ({ ...APP }),
    })
    restore = fake.install()
    const info = await systemInfo()
    expect(info).toEqual({ ...WINDOW, ...DEVICE, ...APP })
    expect(fake.calls.map((c) => c.api)).not.toContain('getSystemInfo')
  })

  it('falls back to getSystemInfo when one of the three is missing, without its errMsg', async () => {
    const legacy = { ...WINDOW, ...DEVICE, ...APP, wifiEnabled: true }
    delete (legacy as Partial<typeof legacy>).screenTop
    const fake = createFakeWx({
      getWindowInfo: () => WINDOW,
      getDeviceInfo: () => DEVICE,
      getSystemInfo: (o) =>
        Promise.resolve().then(() => o.success?.({ ...legacy, errMsg: 'getSystemInfo:ok' })),
    })
    restore = fake.install()
    const info = await systemInfo()
    expect(info).toEqual(legacy)
    expect(info.screenTop).toBeUndefined()
    expect(fake.calls.map((c) => c.api)).toEqual(['getSystemInfo'])
  })

  it('rejects with a WxError naming the modern API that threw', async () => {
    restore = createFakeWx({
      getWindowInfo: () => WINDOW,
      getDeviceInfo: () => {
        throw new Error('boom')
      },
      getAppBaseInfo: () => APP,
    }).install()
    const error = await systemInfo().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WxError)
    expect(error).toMatchObject({ api: 'getDeviceInfo', errMsg: 'getDeviceInfo:fail boom' })
  })

  it('rejects "getSystemInfo:fail not supported" without any wx, never throwing', async () => {
    const g = globalThis as { wx?: unknown }
    const previous = g.wx
    delete g.wx
    restore = () => {
      if (previous !== undefined) g.wx = previous
    }
    let promise: Promise<unknown> | undefined
    expect(() => {
      promise = systemInfo()
    }).not.toThrow()
    await expect(promise).rejects.toMatchObject({ errMsg: 'getSystemInfo:fail not supported' })
  })

  it('passes a getSystemInfo failure through as a WxError', async () => {
    restore = createFakeWx({
      getSystemInfo: (o) => o.fail?.({ errMsg: 'getSystemInfo:fail internal error' }),
    }).install()
    await expect(systemInfo()).rejects.toMatchObject({
      name: 'WxError',
      api: 'getSystemInfo',
      errMsg: 'getSystemInfo:fail internal error',
    })
  })
})
