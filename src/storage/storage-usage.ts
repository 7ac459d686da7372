import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import { MAX_TOTAL_BYTES } from './storage-size'

// How full wx storage is, as far as the SDK knows, without asking before every write.
//
// `wx.getStorageInfo` lists every key, so asking before each write makes a write with 20k keys
// ~20x dearer than with 1k. Instead the SDK keeps a running estimate of the bytes in use:
//   - it asks once per wx (the first write, or the first after another wx was installed);
//   - it adds the bytes of each write it makes (key + value, as if the key were new: what
//     an overwrite frees is not known without a read, so the estimate only errs high);
//   - it asks again when the estimate says a write would not fit (the estimate may be high,
//     or other code may have freed room), and forgets the estimate when wx refuses a write.
// Writes made by other code (`wx.setStorage` directly) are not in the estimate: such a write
// is caught by wx itself, whose refusal becomes the same StorageQuotaError.

/** What wx said about storage, in bytes: the low end of what is used, and the quota. */
export interface StorageUsage {
  /**
   * Bytes in use at the low end: wx reports whole KB, rounded up, so the truth is up to
   * 1023 bytes less than `currentSize * 1024`.
   */
  used: number
  /** The total quota. */
  limit: number
}

// The estimate and the wx it is about, and the question being asked now (writes of many keys
// at once that all need an answer share one getStorageInfo).
let estimate: StorageUsage | undefined
let estimateWx: unknown
let asking: { wx: unknown; answer: Promise<StorageUsage> } | undefined

/** The estimate for the current wx, or `undefined` when it has to be asked for. */
export function estimatedUsage(): StorageUsage | undefined {
  return estimate && estimateWx === getWx() ? estimate : undefined
}

/** Asks wx how full storage is (or joins the asking under way), and makes that the estimate. */
export function refreshUsage(): Promise<StorageUsage> {
  const wx = getWx()
  if (asking && asking.wx === wx) return asking.answer
  const current = {
    wx,
    answer: (invoke('getStorageInfo') as Promise<{ currentSize: number; limitSize: number }>).then(
      (info) => {
        const usage = {
          used: Math.max(0, info.currentSize * 1024 - 1023),
          limit: info.limitSize * 1024 || MAX_TOTAL_BYTES,
        }
        estimate = usage
        estimateWx = wx
        return usage
      },
    ),
  }
  const done = () => {
    if (asking === current) asking = undefined
  }
  current.answer.then(done, done)
  asking = current
  return current.answer
}

/** Counts `bytes` written through the SDK into the estimate. */
export function addUsage(bytes: number): void {
  if (estimate && estimateWx === getWx()) estimate.used += bytes
}

/** Drops the estimate (wx refused a write): the next write asks again. */
export function forgetUsage(): void {
  estimate = undefined
  estimateWx = undefined
}
