import { toWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'

type ModernInfo = WechatMiniprogram.WindowInfo &
  WechatMiniprogram.DeviceInfo &
  WechatMiniprogram.AppBaseInfo

/** The fields that both the modern trio and the legacy `getSystemInfo` report. */
type CommonKey = Extract<keyof ModernInfo, keyof WechatMiniprogram.SystemInfo>

/**
 * What `systemInfo()` resolves with: the fields of `wx.getWindowInfo()`,
 * `wx.getDeviceInfo()` and `wx.getAppBaseInfo()` merged. Fields that the legacy
 * `wx.getSystemInfo` also reports (`model`, `platform`, `system`, `SDKVersion`, `version`,
 * `windowWidth`, `pixelRatio`, `safeArea`, ...) are always there; the rest (`screenTop`,
 * `abi`, `memorySize`, ...) only on base libraries with the modern APIs.
 */
export type SystemInfoResult = Pick<ModernInfo, CommonKey> & Partial<Omit<ModernInfo, CommonKey>>

const MODERN = ['getWindowInfo', 'getDeviceInfo', 'getAppBaseInfo'] as const

/**
 * The device, window and app information, read fresh on each call (the window size changes
 * with rotation and split screen). Built from `wx.getWindowInfo()`, `wx.getDeviceInfo()` and
 * `wx.getAppBaseInfo()` (base library 2.20.1+) where all three exist, else from the
 * deprecated `wx.getSystemInfo`.
 *
 * Rejects (never throws) with a `WxError` naming the API that failed, e.g.
 * `getDeviceInfo:fail ...` or `getSystemInfo:fail not supported`.
 *
 * @example
 * const { windowWidth, platform, SDKVersion } = await systemInfo()
 */
export function systemInfo(): Promise<SystemInfoResult> {
  const host = getWx() as unknown as Record<string, () => object> | undefined
  if (!host || !MODERN.every((name) => typeof host[name] === 'function')) {
    // The result object is wx's own, made for this call: dropping errMsg from it is safe.
    return invoke('getSystemInfo').then((raw) => {
      delete (raw as { errMsg?: string }).errMsg
      return raw as SystemInfoResult
    })
  }
  // The three are synchronous; one that throws rejects, named (a throw in the executor rejects).
  return new Promise<SystemInfoResult>((resolve) => {
    let result = {}
    MODERN.forEach((name) => {
      try {
        result = { ...result, ...host[name]() }
      } catch (error) {
        throw toWxError(name, error)
      }
    })
    resolve(result as SystemInfoResult)
  })
}
