import { isWxError, WxError } from '../core/errors'

/** Which quota a refused write would have broken. */
export type StorageQuotaKind = 'item' | 'total'

/** What a `StorageQuotaError` is made from. */
export interface StorageQuotaErrorInit {
  /** The key that was being written. */
  key: string
  /** `item`: the value alone is over 1 MB; `total`: all storage would be over 10 MB. */
  kind: StorageQuotaKind
  /** The bytes of the value as it would be stored (UTF-8 of its stored form). */
  size: number
  /** The quota that would be broken, in bytes. */
  limit: number
  /** Bytes of all storage after the write, when the size check computed it (`total`). */
  total?: number
  /** The wx failure, when wx refused the write rather than the size check before it. */
  cause?: unknown
}

/**
 * A write refused because it would break WeChat's storage quota (1 MB per key, 10 MB in
 * total). The write did not happen: the key keeps its old value, every other key is intact.
 * `errMsg` is `setStorage:fail exceed storage item max length` or
 * `setStorage:fail exceed storage max size`, as wx words it.
 *
 * @example
 * try { await cache.set(big) }
 * catch (e) { if (isStorageQuotaError(e) && e.kind === 'total') await clearOldEntries() }
 */
export class StorageQuotaError extends WxError {
  /** The key that was being written. */
  declare readonly key: string
  /** Which quota the write would have broken. */
  declare readonly kind: StorageQuotaKind
  /** The bytes of the value as it would be stored. */
  declare readonly size: number
  /** The quota that would be broken, in bytes. */
  declare readonly limit: number
  /** Bytes of all storage after the write, when known (`total`, refused by the size check). */
  declare readonly total?: number

  constructor(init: StorageQuotaErrorInit) {
    super(
      {
        api: 'setStorage',
        errMsg:
          'setStorage:fail exceed storage ' +
          (init.kind === 'item' ? 'item max length' : 'max size'),
        cause: init.cause,
        code: 'ERR_STORAGE_QUOTA',
      },
      JSON.stringify(init.key) +
        ': ' +
        init.size +
        ' bytes, ' +
        init.kind +
        ' quota ' +
        init.limit +
        '; the old value is kept',
    )
    this.name = 'StorageQuotaError'
    this.key = init.key
    this.kind = init.kind
    this.size = init.size
    this.limit = init.limit
    if (init.total !== undefined) this.total = init.total
  }
}

/** True for a `StorageQuotaError`, from this or another copy of the package. */
export function isStorageQuotaError(error: unknown): error is StorageQuotaError {
  return isWxError(error) && error.name === 'StorageQuotaError'
}
