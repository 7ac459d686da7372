import { WxError } from '../../src/core/errors'
import { makePhoneCall } from '../../src/device/phone'
import { scanCode } from '../../src/device/scan'
import { systemInfo } from '../../src/device/system-info'
import { useInstalledHost } from '../helpers/installed-host'

describe('device modules through the wx host', () => {
  const host = useInstalledHost()

  const called = () => host().calls.map((c) => c.api)

  it('builds systemInfo from getWindowInfo, getDeviceInfo and getAppBaseInfo', async () => {
    const info = await systemInfo()
    expect(info).toEqual({
      ...host().wx.getWindowInfo(),
      ...host().wx.getDeviceInfo(),
      ...host().wx.getAppBaseInfo(),
    })
    expect(info.screenTop).toBe(91)
    expect(info.model).toBe(host().device.profile().model)
    expect(called()).not.toContain('getSystemInfo')
  })

  it('falls back to getSystemInfo on a base library without getWindowInfo', async () => {
    delete (host().wx as unknown as Record<string, unknown>).getWindowInfo
    const info = await systemInfo()
    expect(called()).toEqual(['getSystemInfo'])
    const profile = host().device.profile()
    expect(info).toMatchObject({
      model: profile.model,
      platform: profile.platform,
      SDKVersion: profile.SDKVersion,
      windowWidth: profile.windowWidth,
      safeArea: profile.safeArea,
    })
    expect(info).not.toHaveProperty('errMsg')
  })

  it('reads fresh values on each call', async () => {
    await systemInfo()
    host().device.setProfile({
      windowWidth: 844,
      windowHeight: 390,
      deviceOrientation: 'landscape',
    })
    await expect(systemInfo()).resolves.toMatchObject({ windowWidth: 844, windowHeight: 390 })
  })

  it('dials a number, and reports a cancelled dialog as WxError', async () => {
    await makePhoneCall('400-820-8820')
    host().device.cancelNextCall()
    const error = await makePhoneCall({ phoneNumber: '10086' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WxError)
    expect(error).toMatchObject({ errMsg: 'makePhoneCall:fail cancel' })
    expect(host().device.phoneCalls()).toEqual([
      { phoneNumber: '400-820-8820', answer: 'call' },
      { phoneNumber: '10086', answer: 'cancel' },
    ])
  })

  it('refuses an empty number before it reaches wx', async () => {
    await expect(makePhoneCall('')).rejects.toThrow(TypeError)
    expect(called()).not.toContain('makePhoneCall')
    expect(host().device.phoneCalls()).toEqual([])
  })

  it('scans a code, and reports a closed scanner as WxError', async () => {
    host().device.scanResult('https://example.com/p?id=1')
    await expect(scanCode({ onlyFromCamera: true })).resolves.toMatchObject({
      result: 'https://example.com/p?id=1',
      scanType: 'QR_CODE',
      errMsg: 'scanCode:ok',
    })
    host().device.cancelNextScan()
    await expect(scanCode()).rejects.toMatchObject({
      name: 'WxError',
      errMsg: 'scanCode:fail cancel',
    })
    expect(host().listenerCount()).toBe(0)
  })
})
