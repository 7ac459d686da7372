import { Observable } from 'rxjs'
import { __assign } from 'tslib'
import { argumentError } from '../core/describe'
import type { WxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { unwrap, wrap } from './envelope'
import type { Envelope, Unwrapped } from './envelope'
import { changes$, enqueue, publish } from './key-queue'
import { StorageQuotaError } from './storage-quota-error'
import { MAX_ITEM_BYTES, MAX_TOTAL_BYTES, utf8Length, valueBytes } from './storage-size'

/** Options of `storageItem`. */
export interface StorageItemOptions<T> {
  /** What `get()` and `value$` give while the key is absent or expired. @default undefined */
  defaultValue?: T
  /**
   * Time to live of each written value, in milliseconds from its `set()` call. The value is
   * stored in an envelope with its expiry (see the module notes); once expired it reads as
   * `defaultValue` and is removed. @default none: values never expire and are stored plain
   */
  ttl?: number
}

/** Options of one `set()`. */
export interface StorageSetOptions {
  /** Time to live of this value in milliseconds, overriding the item's `ttl`. */
  ttl?: number
}

/** One typed key of wx storage. See `storageItem`. */
export interface StorageItem<T> {
  /** The storage key. */
  readonly key: string
  /** The current value, or `defaultValue` when the key is absent or expired. */
  get(): Promise<T>
  /**
   * Writes `value` after every earlier read and write of this key (in any item) has finished.
   * Rejects with `StorageQuotaError`, leaving the old value intact, when the value is over
   * 1 MB or storage would go over 10 MB; with `TypeError` for `undefined`.
   */
  set(value: Exclude<T, undefined>, options?: StorageSetOptions): Promise<void>
  /** Removes the key; `get()` then gives `defaultValue`. */
  remove(): Promise<void>
  /**
   * The current value first, then the value after each change made through the SDK anywhere
   * in the app (any item on the same key), including expiry: when a TTL runs out while
   * subscribed, `defaultValue` is emitted. Changes made by calling `wx.setStorage` directly
   * are not seen. Cold: each subscriber reads the current value.
   */
  readonly value$: Observable<T>
}

const SET = 'storageItem.set'
const TTL_EXPECTED = 'a positive number of ms'

const isTtl = (ttl: unknown) =>
  ttl === undefined || (typeof ttl === 'number' && ttl > 0 && isFinite(ttl))

/**
 * A typed handle on one key of wx storage, with an optional default and TTL, size checks
 * before writing, and a stream of its changes.
 *
 * - `get()`, `set()`, `remove()` of one key run one at a time in call order, across every item
 *   of that key: 1,000 concurrent `set()` calls end with the last one's value.
 * - `set()` measures the value the way WeChat does (UTF-8 bytes of its stored form; the total
 *   counts key + value of every key, from `wx.getStorageInfo`) and refuses, before writing,
 *   a value over 1 MB or a write that would take storage over 10 MB, with a
 *   `StorageQuotaError`. A quota failure reported by wx itself becomes the same error.
 * - Values live in wx storage, so they survive a restart.
 *
 * Creating an item does nothing; wx is called by the methods. A key that is not a non-empty
 * string, or a `ttl` that is not a positive number, throws a `TypeError` here.
 *
 * @example
 * const token = storageItem<string>('token', { ttl: 7 * 24 * 3600e3 })
 * await token.set('abc')
 * const settings = storageItem('settings', { defaultValue: { theme: 'light' } })
 * settings.value$.subscribe((s) => this.setData({ theme: s.theme }))
 */
export function storageItem<T>(
  key: string,
  options: StorageItemOptions<T> & { defaultValue: T },
): StorageItem<T>
export function storageItem<T>(
  key: string,
  options?: StorageItemOptions<T>,
): StorageItem<T | undefined>
export function storageItem<T>(key: string, options?: StorageItemOptions<T>): StorageItem<T> {
  if (typeof key !== 'string' || !key) {
    throw argumentError('storageItem', 'key', 'a non-empty string', key)
  }
  const o = options || {}
  if (!isTtl(o.ttl)) throw argumentError('storageItem', 'options.ttl', TTL_EXPECTED, o.ttl)
  const defaultValue = o.defaultValue as T
  const absent: Unwrapped = [defaultValue]

  // The stored value as `{ data }`, or undefined for an absent key (`getStorage` fails with
  // "data not found" on every client, and on the host).
  const fetch = () =>
    (invoke('getStorage', { key }) as Promise<{ data: unknown }>).catch((error: WxError) => {
      if (/not found/.test(error.errMsg)) return undefined
      throw error
    })

  const drop = () => invoke('removeStorage', { key }).then(() => publish(key, []))

  // Reads the key: its value (or the default) and its expiry. An expired value is removed
  // (within the key's queue) and its removal published.
  const read = (): Promise<Unwrapped> =>
    enqueue(key, () =>
      fetch().then((found) => {
        const entry = found && unwrap(found.data as Envelope, Date.now())
        return !entry ? absent : entry[2] ? drop().then(() => absent) : entry
      }),
    )

  const value$ = new Observable<T>((subscriber) => {
    let changed = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const fail = (error: unknown) => subscriber.error(error)
    // While a value with an expiry is current, wake up when it expires and re-read: the read
    // removes it and publishes the removal, which emits the default below. setTimeout's delay
    // is a signed 32-bit integer (longer ones fire at once), hence the cap (about 23 days;
    // a value still current then is watched again).
    const watch = (expires?: number) => {
      if (timer) clearTimeout(timer)
      timer =
        expires === undefined || subscriber.closed
          ? undefined
          : setTimeout(
              () => read().then((entry) => watch(entry[1]), fail),
              Math.min(expires - Date.now(), 2e9),
            )
    }
    const emit = (entry: Unwrapped) => {
      watch(entry[1])
      subscriber.next((entry[2] ? defaultValue : entry[0]) as T)
    }
    const changes = changes$(key).subscribe((change) => {
      changed = true
      emit(change.length ? unwrap(change[0] as Envelope, Date.now()) : absent)
    })
    // A change published while the first read was queued is newer than what it read.
    read().then((entry) => changed || emit(entry), fail)
    return () => {
      changes.unsubscribe()
      watch()
    }
  })

  return {
    key,
    get: () => read().then((entry) => entry[0] as T),
    set: (value, setOptions) =>
      new Promise<void>((resolve) => {
        // Bad input, and a value over the per-key quota, reject at once (a throw in the
        // executor rejects), without waiting for the key's queue.
        const ttl = setOptions && setOptions.ttl !== undefined ? setOptions.ttl : o.ttl
        if (value === undefined) {
          throw argumentError(SET, 'value', 'defined (use remove())', value)
        }
        if (!isTtl(ttl)) throw argumentError(SET, 'options.ttl', TTL_EXPECTED, ttl)
        const stored = ttl === undefined ? value : wrap(value, Date.now() + ttl)
        const size = valueBytes(stored)
        if (size === undefined) throw argumentError(SET, 'value', 'a value wx can store', value)
        let limit = MAX_TOTAL_BYTES
        const quota = (kind: 'item' | 'total', extra?: { total?: number; cause?: unknown }) =>
          new StorageQuotaError(
            __assign({ key, kind, size, limit: kind === 'item' ? MAX_ITEM_BYTES : limit }, extra),
          )
        if (size > MAX_ITEM_BYTES) throw quota('item')
        const write = () =>
          (invoke('getStorageInfo') as Promise<{ currentSize: number; limitSize: number }>)
            .then((info) => {
              // wx reports KB, `currentSize` rounded up, so "now" is only known to within
              // 1 KB: the write is refused here only when it cannot fit even at the low end,
              // and wx's own check decides the last kilobyte (its refusal becomes the same
              // error below).
              limit = info.limitSize * 1024 || MAX_TOTAL_BYTES
              const keyBytes = utf8Length(key)
              const low = Math.max(0, info.currentSize * 1024 - 1023)
              if (low + keyBytes + size <= limit) return
              // Near the limit: the key's old entry (key + value bytes), if any, frees room
              // (what wx has stored always measures).
              return fetch().then((found) => {
                const old = found ? keyBytes + valueBytes(found.data)! : 0
                const total = Math.max(low - old, 0) + keyBytes + size
                if (total > limit) throw quota('total', { total })
              })
            })
            .then(() =>
              invoke('setStorage', { key, data: stored }).then(
                () => publish(key, [stored]),
                (error: WxError) => {
                  const m = error.errMsg
                  throw /exceed/.test(m)
                    ? quota(/item/.test(m) ? 'item' : 'total', { cause: error })
                    : error
                },
              ),
            )
        resolve(enqueue(key, write))
      }),
    remove: () => enqueue(key, drop),
    value$,
  }
}
