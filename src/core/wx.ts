import { argumentError, isPlainObject } from './describe'

/** What {@link configure} accepts. */
export interface ConfigureOptions {
  /**
   * The object the SDK calls instead of the global `wx`: the `qq` of a QQ mini program, a
   * test double, or a shim of another platform with wx's shape. `null` goes back to the
   * global `wx`.
   */
  wx?: WechatMiniprogram.Wx | null
}

// The host given to configure(); undefined while the SDK uses the global wx.
let configuredHost: WechatMiniprogram.Wx | undefined

/**
 * Sets the host the SDK calls instead of the global `wx`. Takes effect at the next call; a
 * stream or a socket already running keeps the host it started with.
 *
 * @example
 * // app.ts of a QQ mini program
 * configure({ wx: qq as unknown as WechatMiniprogram.Wx })
 */
export function configure(options: ConfigureOptions): void {
  if (!isPlainObject(options)) throw argumentError('configure', 'options', 'an object', options)
  const host: unknown = options.wx
  if (host === null || host === undefined) {
    configuredHost = undefined
  } else if (typeof host === 'object' || typeof host === 'function') {
    configuredHost = host as WechatMiniprogram.Wx
  } else {
    throw argumentError('configure', 'options.wx', 'an object with the shape of wx, or null', host)
  }
}

/**
 * The `wx` the SDK calls: the host given to {@link configure}, else the global `wx`, looked
 * up when an API is called and never at import time, so a test, a simulator or the
 * `miniprogram-rx/testing` host can install a `wx` after the SDK is imported.
 *
 * @returns the configured host or the current global `wx`, or `undefined` when there is none.
 */
export function getWx(): WechatMiniprogram.Wx | undefined {
  if (configuredHost) return configuredHost
  // `typeof` on a free identifier never throws, in a mini program (where `wx` is a global
  // variable, not always a property of a global object) and in Node (where it is
  // `global.wx`).
  return typeof wx === 'undefined' || wx === null ? undefined : wx
}

/**
 * Looks up one member of the global `wx`.
 *
 * @returns the member bound to nothing, and the `wx` it came from, or `undefined` when the
 *   running base library does not have it.
 */
export function getWxMember(
  name: string,
): { host: object; fn: (...args: unknown[]) => unknown } | undefined {
  const host = getWx() as unknown as Record<string, unknown> | undefined
  const fn = host ? host[name] : undefined
  return typeof fn === 'function'
    ? { host: host as object, fn: fn as (...args: unknown[]) => unknown }
    : undefined
}
