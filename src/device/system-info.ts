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

function copyInto(target: Record<string, unknown>, source: unknown): void {
  if (!source || typeof source !== 'object') return
  for (const key in source as Record<string, unknown>) {
    if (key !== 'errMsg' && Object.prototype.hasOwnProperty.call(source, key)) {
      target[key] = (source as Record<string, unknown>)[key]
    }
  }
}

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
  const host = getWx() as unknown as Record<string, unknown> | undefined
  const hasModern = !!host && MODERN.every((name) => typeof host[name] === 'function')
  if (!hasModern) {
    return invoke('getSystemInfo').then((raw) => {
      const result: Record<string, unknown> = {}
      copyInto(result, raw)
      return result as unknown as SystemInfoResult
    })
  }
  return new Promise<SystemInfoResult>((resolve, reject) => {
    const result: Record<string, unknown> = {}
    for (let i = 0; i < MODERN.length; i++) {
      const name = MODERN[i]
      try {
        copyInto(result, (host[name] as () => unknown).call(host))
      } catch (error) {
        reject(toWxError(name, error))
        return
      }
    }
    resolve(result as unknown as SystemInfoResult)
  })
}
