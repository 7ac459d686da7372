import { isDate } from './envelope'

// How much room a value takes in wx storage, counted the way WeChat (and the miniprogram-rx
// host) count it: the UTF-8 bytes of the value's stored string form. The per-key quota
// counts the value alone; the total counts key + value over every key.

/** WeChat's quota for one key's value: 1 MB. */
export const MAX_ITEM_BYTES = 1024 * 1024

/** WeChat's quota for all keys and values together: 10 MB (`getStorageInfo().limitSize` KB). */
export const MAX_TOTAL_BYTES = 10 * 1024 * 1024

/**
 * UTF-8 length of a string without TextEncoder or Buffer (neither exists in every client):
 * one byte per UTF-16 unit, plus one more for each unit from U+0080 and another for each from
 * U+0800 (a surrogate pair, 4 bytes, gets its 2 extra through its low half alone; a lone
 * surrogate counts 3, as its replacement character).
 */
export function utf8Length(s: string): number {
  // A plain loop: a regex over every character (the obvious short form) is ~50x slower on
  // old engines and under template engines that patch RegExp.prototype.
  let bytes = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) bytes += 1
    else if (c < 0xdc00 && c > 0xd7ff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2 // a surrogate pair: two code units, four bytes
      i++
    } else bytes += 2
  }
  return bytes
}

/**
 * Bytes a value takes against the per-key quota: the UTF-8 length of the string WeChat stores
 * for it. Strings as they are, numbers and booleans as `String(v)`, a Date as its ISO string,
 * arrays, objects and `null` as JSON, `undefined` as `""`. `undefined` for what cannot be
 * stored (functions, symbols, bigints, cyclic objects): wx itself rejects those.
 */
export function valueBytes(value: unknown): number | undefined {
  const type = typeof value
  try {
    const form =
      type === 'string' || type === 'number' || type === 'boolean'
        ? '' + value
        : value === undefined
          ? ''
          : isDate(value)
            ? value.toJSON() || 'Invalid Date'
            : JSON.stringify(value)
    // JSON.stringify gives undefined for functions and symbols.
    if (typeof form === 'string') return utf8Length(form)
  } catch {
    // A cycle or a bigint.
  }
  return undefined
}
