// The query cache's copy in wx storage, so a cold start renders the last data before the
// network answers. One storage key per query (`<prefix><hash of the query key>`) and one index
// (`<prefix>index`) with each entry's bytes and when it was last used, kept within a byte
// budget by evicting the least recently used entries. Everything goes through storageItem
// (its size checks and per-key queue); the index changes one at a time, in call order.
//
//   index:  { "entries": { "<hash>": { "bytes": 812, "used": 41 } }, "clock": 41 }
//   entry:  { "key": "[\"todos\",1]", "data": <the data>, "updatedAt": 1718000000000 }
import { check, type Rules } from '../core/check'
import { isStorageQuotaError } from '../storage/storage-quota-error'
import { storageItem } from '../storage/storage-item'
import { MAX_ITEM_BYTES, MAX_TOTAL_BYTES, utf8Length, valueBytes } from '../storage/storage-size'
import { noop } from '../core/noop'

/** Options of the query cache's persistence (`createQueryClient({ persist })`). */
export interface QueryPersistOptions {
  /** The prefix of every storage key the cache writes. @default 'mprx-query:' */
  prefix?: string
  /**
   * The most bytes (key + value, as WeChat counts them) the cache keeps in storage; the least
   * recently used entries are removed to stay under it. At most 10 MB, WeChat's total.
   * @default 1048576 (1 MB)
   */
  maxBytes?: number
  /**
   * The largest value kept for one query; bigger data is not stored (and an older copy is
   * removed). At most 1 MB, WeChat's limit per key. @default 1048576 (1 MB)
   */
  maxItemBytes?: number
}

/** What is stored for one query. */
export interface PersistedQuery {
  /** The query key's hash, to tell apart two keys whose hashes collide. */
  key: string
  /** The data. */
  data: unknown
  /** When the data was fetched (epoch ms). */
  updatedAt: number
}

interface IndexEntry {
  /** Key + value bytes in storage. */
  bytes: number
  /** The index's clock when the entry was last read or written: lower is older. */
  used: number
}

interface PersistIndex {
  entries: Record<string, IndexEntry>
  clock: number
}

/** The query cache's view of storage. */
export interface QueryPersister {
  /** The stored data of a key, or undefined; marks it recently used. */
  load(hash: string): Promise<PersistedQuery | undefined>
  /** Stores data of a key, evicting older entries to keep the budget; never rejects. */
  save(hash: string, data: unknown, updatedAt: number): Promise<void>
  /** Removes a key's stored data. */
  remove(hash: string): Promise<void>
  /** Bytes the index says are in use. */
  usedBytes(): Promise<number>
}

const API = 'createQueryClient'
const RULES: Rules = {
  prefix: { type: 'string', nonEmpty: true },
  maxBytes: { type: 'number', min: 1, max: MAX_TOTAL_BYTES, integer: true },
  maxItemBytes: { type: 'number', min: 1, max: MAX_ITEM_BYTES, integer: true },
}

// FNV-1a: a short, stable storage key for a query key of any length.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul ? Math.imul(hash, 0x01000193) : (hash * 0x01000193) | 0
  }
  return (hash >>> 0).toString(36)
}

/** The least recently used entry of `index` other than `keep`, or undefined. */
function oldest(index: PersistIndex, keep: string): string | undefined {
  let found: string | undefined
  for (const hash in index.entries) {
    if (hash === keep) continue
    if (!found || index.entries[hash].used < index.entries[found].used) found = hash
  }
  return found
}

/** The bytes the entries of `index` take in storage. */
function total(index: PersistIndex): number {
  let bytes = 0
  for (const hash in index.entries) bytes += index.entries[hash].bytes
  return bytes
}

/** Makes the persister of a query client. Throws a `TypeError` naming a bad field. */
export function createQueryPersister(options: QueryPersistOptions): QueryPersister {
  check(API, options, RULES, 'options.persist.')
  const prefix = options.prefix || 'mprx-query:'
  const maxBytes = options.maxBytes || MAX_ITEM_BYTES
  const maxItemBytes = Math.min(options.maxItemBytes || MAX_ITEM_BYTES, maxBytes)
  const indexItem = storageItem<PersistIndex>(prefix + 'index')
  const itemOf = (hash: string) => storageItem<PersistedQuery>(prefix + fnv1a(hash))
  let index: PersistIndex | undefined
  let tail: Promise<unknown> = Promise.resolve()

  // Runs `task` after every earlier index task, with the index loaded.
  const serial = <R>(task: (index: PersistIndex) => Promise<R> | R): Promise<R> => {
    const run = tail.then(() =>
      index
        ? task(index)
        : indexItem.get().then(
            (stored) =>
              task((index = stored && stored.entries ? stored : { entries: {}, clock: 0 })),
            () => task((index = { entries: {}, clock: 0 })),
          ),
    )
    tail = run.then(noop, noop)
    return run
  }
  const writeIndex = (current: PersistIndex) => indexItem.set(current).catch(noop)

  const drop = (current: PersistIndex, hash: string) => {
    delete current.entries[hash]
    return itemOf(hash).remove().catch(noop)
  }

  // Evicts least recently used entries until `bytes` more fit (the entry `keep` replaced).
  const makeRoom = async (current: PersistIndex, keep: string, bytes: number) => {
    const own = current.entries[keep] ? current.entries[keep].bytes : 0
    let victim = oldest(current, keep)
    while (total(current) - own + bytes > maxBytes && victim) {
      await drop(current, victim)
      victim = oldest(current, keep)
    }
  }

  // Writes one entry; when storage as a whole is full, evicts one more entry and tries again.
  const write = async (current: PersistIndex, hash: string, record: PersistedQuery) => {
    for (;;) {
      try {
        await itemOf(hash).set(record)
        return true
      } catch (error) {
        const victim = isStorageQuotaError(error) ? oldest(current, hash) : undefined
        if (!victim) return false
        await drop(current, victim)
      }
    }
  }

  return {
    load: (hash) =>
      serial(async (current) => {
        if (!current.entries[hash]) return undefined
        const stored = await itemOf(hash).get().catch(noop)
        if (!stored || stored.key !== hash) return undefined
        current.entries[hash].used = ++current.clock
        await writeIndex(current)
        return stored
      }),
    save: (hash, data, updatedAt) =>
      serial(async (current) => {
        const record: PersistedQuery = { key: hash, data, updatedAt }
        const size = valueBytes(record)
        const bytes = size === undefined ? undefined : size + utf8Length(prefix + fnv1a(hash))
        if (size === undefined || bytes === undefined || size > maxItemBytes || bytes > maxBytes) {
          if (current.entries[hash]) await drop(current, hash)
        } else {
          await makeRoom(current, hash, bytes)
          if (await write(current, hash, record)) {
            current.entries[hash] = { bytes, used: ++current.clock }
          } else delete current.entries[hash]
        }
        await writeIndex(current)
      }).catch(noop),
    remove: (hash) =>
      serial(async (current) => {
        if (!current.entries[hash]) return
        await drop(current, hash)
        await writeIndex(current)
      }).catch(noop),
    usedBytes: () => serial(total),
  }
}
