/**
 * The global `wx` object, looked up when an API is called and never at import time, so a
 * test, a simulator or the `miniprogram-rx/testing` host can install a `wx` after the SDK
 * is imported.
 *
 * @returns the current global `wx`, or `undefined` when there is none.
 */
export function getWx(): WechatMiniprogram.Wx | undefined {
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
