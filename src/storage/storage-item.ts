import { Observable } from 'rxjs'
import { argumentError } from '../core/describe'
import { isWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { unwrap, wrap } from './envelope'
import { enqueue, listen, publish } from './key-queue'
import type { StorageChange } from './key-queue'
import { StorageQuotaError } from './storage-quota-error'
import { MAX_ITEM_BYTES, MAX_TOTAL_BYTES, utf8Length, valueBytes } from './storage-size'

/** Options of `storageItem`. */
export interface StorageItemOptions<T> {
  /** What `get()` and `value$` give while the key is absent or expired. @default undefined */
  defaultValue?: T
  /**
   * Time to live of each written value, in milliseconds. The value is stored in an envelope
   * with its expiry (see the module notes); once expired it reads as `defaultValue` and is
   * removed. @default none: values never expire and are stored plain
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

// `getStorage` of an absent key fails with "data not found" (every client, and the host).
function isNotFound(error: unknown): boolean {
  return isWxError(error) && /data not found/i.test(error.errMsg)
}

function isNumberOption(value: unknown): boolean {
  return typeof value === 'number' && value > 0 && isFinite(value)
}

// setTimeout's delay is a signed 32-bit integer: longer delays fire at once.
const MAX_TIMER = 2147483647

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
  if (typeof key !== 'string' || key === '') {
    throw argumentError('storageItem', 'key', 'a non-empty string', key)
  }
  const o = options || {}
  if (o.ttl !== undefined && !isNumberOption(o.ttl)) {
    throw argumentError('storageItem', 'options.ttl', 'a positive number of milliseconds', o.ttl)
  }
  const defaultValue = o.defaultValue as T

  // Reads the key: its value (or the default) and its expiry. An expired value is removed
  // (within the key's queue) and its removal published.
  function read(): Promise<{ value: T; expires?: number }> {
    return enqueue(key, () =>
      invoke('getStorage', { key }).then(
        (result) => {
          const entry = unwrap((result as { data?: unknown }).data, Date.now())
          if (!entry.expired) return { value: entry.value as T, expires: entry.expires }
          return invoke('removeStorage', { key }).then(() => {
            publish(key, { removed: true })
            return { value: defaultValue }
          })
        },
        (error) => {
          if (isNotFound(error)) return { value: defaultValue }
          throw error
        },
      ),
    )
  }

  function set(value: Exclude<T, undefined>, setOptions?: StorageSetOptions): Promise<void> {
    if (value === undefined) {
      return Promise.reject(
        argumentError(
          'storageItem.set',
          'value',
          'a value other than undefined (use remove())',
          value,
        ),
      )
    }
    const ttl = setOptions && setOptions.ttl !== undefined ? setOptions.ttl : o.ttl
    if (ttl !== undefined && !isNumberOption(ttl)) {
      return Promise.reject(
        argumentError('storageItem.set', 'options.ttl', 'a positive number of milliseconds', ttl),
      )
    }
    return enqueue(key, () => {
      const stored = ttl === undefined ? value : wrap(value, Date.now() + ttl)
      const size = valueBytes(stored)
      if (size === undefined) {
        return Promise.reject(
          argumentError(
            'storageItem.set',
            'value',
            'a value wx can store (JSON-serializable, no functions, symbols or cycles)',
            value,
          ),
        )
      }
      if (size > MAX_ITEM_BYTES) {
        return Promise.reject(
          new StorageQuotaError({ key, kind: 'item', size, limit: MAX_ITEM_BYTES }),
        )
      }
      let limit = MAX_TOTAL_BYTES
      return checkTotal(key, size)
        .then((reported) => {
          limit = reported
          return invoke('setStorage', { key, data: stored })
        })
        .then(
          () => {
            publish(key, { removed: false, stored })
          },
          (error) => {
            throw asQuotaError(error, key, size, limit)
          },
        )
    })
  }

  function remove(): Promise<void> {
    return enqueue(key, () =>
      invoke('removeStorage', { key }).then(() => {
        publish(key, { removed: true })
      }),
    )
  }

  const value$ = new Observable<T>((subscriber) => {
    let changed = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const clearTimer = () => {
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    }
    // While a value with an expiry is current, wake up when it expires and re-read: the read
    // removes it and publishes the removal, which emits the default below.
    const watch = (expires: number | undefined) => {
      clearTimer()
      if (expires === undefined) return
      timer = setTimeout(
        () => {
          timer = undefined
          read().then(
            (entry) => watch(entry.expires),
            (error) => subscriber.error(error),
          )
        },
        Math.min(Math.max(0, expires - Date.now()), MAX_TIMER),
      )
    }
    const onChange = (change: StorageChange) => {
      changed = true
      if (change.removed) {
        clearTimer()
        subscriber.next(defaultValue)
        return
      }
      const entry = unwrap(change.stored, Date.now())
      watch(entry.expires)
      subscriber.next(entry.expired ? defaultValue : (entry.value as T))
    }
    const stop = listen(key, onChange)
    read().then(
      (entry) => {
        // A change published while the read was queued is newer than what it read.
        if (changed || subscriber.closed) return
        watch(entry.expires)
        subscriber.next(entry.value)
      },
      (error) => subscriber.error(error),
    )
    return () => {
      stop()
      clearTimer()
    }
  })

  return { key, get: () => read().then((entry) => entry.value), set, remove, value$ }
}

// The total check: storage after the write = now - the key's old entry + its new entry, where
// an entry is key + value bytes. wx reports `currentSize` in KB rounded up, so "now" is only
// known to within 1 KB: the write is refused here only when it cannot fit even at the low
// end, and wx's own check decides the last kilobyte (its refusal becomes the same
// StorageQuotaError). Resolves with the total quota in bytes.
function checkTotal(key: string, valueSize: number): Promise<number> {
  return invoke('getStorageInfo').then((raw) => {
    const info = raw as { currentSize?: unknown; limitSize?: unknown }
    if (typeof info.currentSize !== 'number' || typeof info.limitSize !== 'number') {
      return MAX_TOTAL_BYTES
    }
    const limit = info.limitSize * 1024
    const keyBytes = utf8Length(key)
    const low = info.currentSize > 0 ? (info.currentSize - 1) * 1024 + 1 : 0
    if (low + keyBytes + valueSize <= limit) return limit
    // Near the limit: the key's old entry, if any, frees room; measure it.
    return invoke('getStorage', { key })
      .then(
        (result) => keyBytes + (valueBytes((result as { data?: unknown }).data) || 0),
        (error) => {
          if (isNotFound(error)) return 0
          throw error
        },
      )
      .then((oldEntry) => {
        const total = Math.max(low, oldEntry) - oldEntry + keyBytes + valueSize
        if (total > limit) {
          throw new StorageQuotaError({ key, kind: 'total', size: valueSize, limit, total })
        }
        return limit
      })
  })
}

function asQuotaError(error: unknown, key: string, size: number, limit: number): unknown {
  if (!isWxError(error) || error instanceof StorageQuotaError) return error
  if (/exceed storage item max length/i.test(error.errMsg)) {
    return new StorageQuotaError({ key, kind: 'item', size, limit: MAX_ITEM_BYTES, cause: error })
  }
  if (/exceed/i.test(error.errMsg)) {
    return new StorageQuotaError({ key, kind: 'total', size, limit, cause: error })
  }
  return error
}
