// How much room a value takes in wx storage, counted the way WeChat (and the miniprogram-rx
// host) count it: the UTF-8 bytes of the value's stored string form. The per-key quota
// counts the value alone; the total counts key + value over every key.

/** WeChat's quota for one key's value: 1 MB. */
export const MAX_ITEM_BYTES = 1024 * 1024

/** WeChat's quota for all keys and values together: 10 MB (`getStorageInfo().limitSize` KB). */
export const MAX_TOTAL_BYTES = 10 * 1024 * 1024

/** UTF-8 length of a string without TextEncoder or Buffer (neither exists in every client). */
export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4
        i++
      } else n += 3
    } else n += 3
  }
  return n
}

/**
 * The string WeChat stores for a value: strings as they are, numbers and booleans as
 * `String(v)`, `null` as `"null"`, a Date as its ISO string, arrays and objects as JSON,
 * `undefined` as `""`. `undefined` for what cannot be stored (functions, symbols, bigints,
 * cyclic objects): wx itself rejects those.
 */
export function storedForm(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value
    case 'number':
    case 'boolean':
      return String(value)
    case 'undefined':
      return ''
    case 'object':
      break
    default:
      return undefined
  }
  if (value === null) return 'null'
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const time = (value as Date).getTime()
    return isNaN(time) ? 'Invalid Date' : (value as Date).toISOString()
  }
  try {
    return JSON.stringify(value)
  } catch {
    return undefined
  }
}

/** Bytes a value takes against the per-key quota (`undefined` when it cannot be stored). */
export function valueBytes(value: unknown): number | undefined {
  const form = storedForm(value)
  return form === undefined ? undefined : utf8Length(form)
}
