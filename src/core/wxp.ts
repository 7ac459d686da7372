import { notSupported } from './errors'
import { invoke } from './promisify'
import { WXP_CATALOG } from './wx-catalog.generated'
import { getWx } from './wx'
import type { Wxp } from './wxp-types'

/** Undoes the generator's front coding: `0getStorage,3Location` -> getStorage, getLocation. */
export function decodeNames(list: string): string[] {
  let previous = ''
  return list
    .split(',')
    .map((item) => (previous = previous.slice(0, parseInt(item.charAt(0), 36)) + item.slice(1)))
}

function passThrough(name: string) {
  return function (this: unknown) {
    const host = getWx() as unknown as Record<string, unknown> | undefined
    const fn = host && host[name]
    if (typeof fn !== 'function') throw notSupported(name)
    // eslint-disable-next-line prefer-rest-params
    return fn.apply(host, arguments as unknown as unknown[])
  }
}

function createWxp(): Wxp {
  const target: Record<string, unknown> = {}
  const [asyncApis, syncApis, events, properties] = WXP_CATALOG.split('|')
  decodeNames(asyncApis).forEach((name) => {
    target[name] = (options?: unknown) => invoke(name, options)
  })
  decodeNames(syncApis).forEach((name) => {
    target[name] = passThrough(name)
  })
  decodeNames(events).forEach((event) => {
    // `X!` is an onX without offX
    const paired = event.charAt(event.length - 1) !== '!'
    if (!paired) event = event.slice(0, -1)
    target['on' + event] = passThrough('on' + event)
    if (paired) target['off' + event] = passThrough('off' + event)
  })
  properties.split(',').forEach((name) => {
    Object.defineProperty(target, name, {
      enumerable: true,
      get: () => {
        const host = getWx() as unknown as Record<string, unknown> | undefined
        return host && host[name]
      },
    })
  })
  return target as unknown as Wxp
}

/**
 * `wx` with every async API as a Promise. It has a member for every member of
 * `WechatMiniprogram.Wx` (the list is generated from miniprogram-api-typings), so it can
 * replace `wx` everywhere:
 *
 * - async APIs resolve with their `success` result and reject with `WxError`; task APIs
 *   (`request`, `uploadFile`, `downloadFile`, `connectSocket`, ...) also carry the task as
 *   `promise.task`;
 * - sync APIs, factories (`getFileSystemManager`, ...), listeners (`onX`/`offX`) and
 *   properties (`env`, `cloud`) are the global `wx`'s own, looked up at each call;
 * - an API missing from the running base library rejects (or, for sync ones, throws)
 *   `WxError('<api>:fail not supported')`.
 *
 * @example
 * const { data } = await wxp.request({ url: 'https://example.com/api' })
 * const { tempFilePaths } = await wxp.chooseImage({ count: 1 })
 */
export const wxp: Wxp = /*#__PURE__*/ createWxp()
