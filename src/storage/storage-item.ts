import { Observable } from 'rxjs'
import { checkValue, clampDelay, type CustomRule, type NumberRule } from '../core/check'
import { argumentError } from '../core/describe'
import type { WxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { unwrap, wrap } from './envelope'
import type { Envelope, Unwrapped } from './envelope'
import { changes$, enqueue, publish } from './key-queue'
import { StorageQuotaError, type StorageQuotaKind } from './storage-quota-error'
import { MAX_ITEM_BYTES, utf8Length, valueBytes } from './storage-size'
import { addUsage, estimatedUsage, forgetUsage, refreshUsage } from './storage-usage'

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
const KEY_RULE = { type: 'string', nonEmpty: true, required: true } as const
const TTL_RULE: NumberRule = { type: 'number', min: 0, exclusiveMin: true }
// Any value but `undefined` (whether wx can store it is measured below).
const VALUE_RULE: CustomRule = {
  type: 'custom',
  required: true,
  test: () => true,
  expected: 'defined (use remove())',
}

// The stored value of `key` as `{ data }`, or undefined for an absent key (`getStorage` fails
// with "data not found" on every client, and on the host).
function readStored(key: string): Promise<{ data: unknown } | undefined> {
  return (invoke('getStorage', { key }) as Promise<{ data: unknown }>).catch((error: WxError) => {
    if (/not found/.test(error.errMsg)) return undefined
    throw error
  })
}

function quotaError(
  key: string,
  kind: StorageQuotaKind,
  size: number,
  limit: number,
  details: { total?: number; cause?: unknown } = {},
): StorageQuotaError {
  return new StorageQuotaError({
    key,
    kind,
    size,
    limit,
    total: details.total,
    cause: details.cause,
  })
}

// Whether `size` more bytes under `key` fit, asking wx (see storage-usage.ts); resolves with
// the quota, rejects with a StorageQuotaError. wx reports KB, `currentSize` rounded up, so
// usage is only known to within 1 KB: the write is refused here only when it cannot fit even
// at the low end, and wx's own check decides the last kilobyte.
function checkRoom(key: string, size: number): Promise<number> {
  const bytes = utf8Length(key) + size
  return refreshUsage().then((usage) => {
    if (usage.used + bytes <= usage.limit) return usage.limit
    // Near the limit: the key's old entry (key + value bytes), if any, frees room (what wx
    // has stored always measures).
    return readStored(key).then((found) => {
      const old = found ? utf8Length(key) + valueBytes(found.data)! : 0
      const total = Math.max(usage.used - old, 0) + bytes
      if (total > usage.limit) throw quotaError(key, 'total', size, usage.limit, { total })
      return usage.limit
    })
  })
}

// Writes `stored` (`size` bytes) under `key` once the quota allows it, then tells the key's
// observers. Asks wx how full storage is only when the running estimate says it may not fit.
function writeStored(key: string, stored: unknown, size: number): Promise<void> {
  const bytes = utf8Length(key) + size
  const usage = estimatedUsage()
  const room =
    usage && usage.used + bytes <= usage.limit ? Promise.resolve(usage.limit) : checkRoom(key, size)
  return room.then((limit) =>
    invoke('setStorage', { key, data: stored }).then(
      () => {
        addUsage(bytes)
        publish(key, { removed: false, stored })
      },
      (error: WxError) => {
        const message = error.errMsg
        if (!/exceed/.test(message)) throw error
        if (/item/.test(message)) {
          throw quotaError(key, 'item', size, MAX_ITEM_BYTES, { cause: error })
        }
        // wx refused the total: the estimate was wrong (other code wrote, or the quota is not
        // what it was). Ask again, so the error gives the quota in force and the next write
        // starts from the truth.
        forgetUsage()
        const refused = (quota: number) => {
          throw quotaError(key, 'total', size, quota, { cause: error })
        }
        return refreshUsage().then(
          (fresh) => refused(fresh.limit),
          () => refused(limit),
        )
      },
    ),
  )
}

/**
 * A typed handle on one key of wx storage, with an optional default and TTL, size checks
 * before writing, and a stream of its changes.
 *
 * - `get()`, `set()`, `remove()` of one key run one at a time in call order, across every item
 *   of that key: 1,000 concurrent `set()` calls end with the last one's value.
 * - `set()` measures the value the way WeChat does (UTF-8 bytes of its stored form) and
 *   refuses, before writing, a value over 1 MB with a `StorageQuotaError`. The 10 MB total
 *   (key + value of every key) is checked against a running estimate of what storage holds,
 *   read from `wx.getStorageInfo` once and again only when a write may not fit (that call
 *   lists every key, so it is not made per write); a write refused by wx itself becomes the
 *   same error.
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
  checkValue('storageItem', 'key', key, KEY_RULE)
  const itemOptions = options || {}
  checkValue('storageItem', 'options.ttl', itemOptions.ttl, TTL_RULE)
  const defaultValue = itemOptions.defaultValue as T
  const absent: Unwrapped = { value: defaultValue, expired: false }

  const drop = () => invoke('removeStorage', { key }).then(() => publish(key, { removed: true }))

  // Reads the key: its value (or the default) and its expiry. An expired value is removed
  // (within the key's queue) and its removal published.
  const read = (): Promise<Unwrapped> =>
    enqueue(key, () =>
      readStored(key).then((found) => {
        if (!found) return absent
        const entry = unwrap(found.data as Envelope, Date.now())
        return entry.expired ? drop().then(() => absent) : entry
      }),
    )

  const set = (value: Exclude<T, undefined>, setOptions?: StorageSetOptions) =>
    new Promise<void>((resolve) => {
      // Bad input, and a value over the per-key quota, reject at once (a throw in the
      // executor rejects), without waiting for the key's queue.
      const ttl = setOptions && setOptions.ttl !== undefined ? setOptions.ttl : itemOptions.ttl
      checkValue(SET, 'value', value, VALUE_RULE)
      checkValue(SET, 'options.ttl', ttl, TTL_RULE)
      const stored = ttl === undefined ? value : wrap(value, Date.now() + ttl)
      const size = valueBytes(stored)
      if (size === undefined) throw argumentError(SET, 'value', 'a value wx can store', value)
      if (size > MAX_ITEM_BYTES) throw quotaError(key, 'item', size, MAX_ITEM_BYTES)
      resolve(enqueue(key, () => writeStored(key, stored, size)))
    })

  return {
    key,
    get: () => read().then((entry) => entry.value as T),
    set,
    remove: () => enqueue(key, drop),
    value$: valueStream(key, read, defaultValue),
  }
}

// The current value of `key` first, then its value after each change through the SDK, and
// the default once a value's TTL runs out.
function valueStream<T>(
  key: string,
  read: () => Promise<Unwrapped>,
  defaultValue: T,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let changed = false
    let expiryTimer: ReturnType<typeof setTimeout> | undefined
    const fail = (error: unknown) => subscriber.error(error)
    const stopWatching = () => {
      if (expiryTimer !== undefined) clearTimeout(expiryTimer)
      expiryTimer = undefined
    }
    // While a value with an expiry is current, wake up when it expires and re-read: the read
    // removes it and publishes the removal, which emits the default below. A value still
    // current after the longest timer is watched again.
    const watchExpiry = (expires: number | undefined) => {
      stopWatching()
      if (expires === undefined || subscriber.closed) return
      expiryTimer = setTimeout(
        () => read().then((entry) => watchExpiry(entry.expires), fail),
        clampDelay(expires - Date.now()),
      )
    }
    const emit = (entry: Unwrapped) => {
      watchExpiry(entry.expires)
      subscriber.next((entry.expired ? defaultValue : entry.value) as T)
    }
    const changes = changes$(key).subscribe((change) => {
      changed = true
      emit(
        change.removed
          ? { value: defaultValue, expired: false }
          : unwrap(change.stored as Envelope, Date.now()),
      )
    })
    // A change published while the first read was queued is newer than what it read.
    read().then((entry) => changed || emit(entry), fail)
    return () => {
      changes.unsubscribe()
      stopWatching()
    }
  })
}
