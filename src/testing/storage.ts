// The storage part of the Node wx host: wx.setStorage/getStorage/... and their Sync twins,
// batchSetStorage/batchGetStorage, WeChat's quotas (1 MB per key, 10 MB in total) and, with
// `storage: { dir }`, persistence to a folder that survives a new host (an app restart).
//
// Values are kept as WeChat keeps them: a type tag plus a string (`{ type: 'Object', data:
// '{"a":1}' }`), so every read returns a fresh copy and a top-level Date comes back as a Date.
// Sizes are UTF-8 bytes of that string form: a key's value must fit in the per-key quota, and
// key + value bytes of every key add up to the total.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { join, resolve } from 'node:path'
import { HostFail, type HostContext } from './context'
import { parameterError } from './params'

const KB = 1024
const MB = 1024 * KB
const FILE_NAME = 'wx-storage.json'
const FILE_FORMAT = 'miniprogram-rx-storage'

/** Options of the storage part of the host. */
export interface StorageHostOptions {
  /**
   * A folder to persist storage to. A new host on the same folder (an app restart) sees the
   * data. Writes are atomic (temp file, fsync, rename): a crash mid-write leaves the previous
   * store intact. Use one live host per folder at a time.
   * @default none: storage lives in memory and ends with the host
   */
  dir?: string
  /** Largest value one key may hold, in bytes (UTF-8 of the stored form). @default 1 MB */
  maxItemSize?: number
  /** Largest total of key + value bytes over all keys. @default 10 MB */
  maxTotalSize?: number
}

/** Test controls of the storage part of the host. */
export interface StorageHostControls {
  /** Every key with a fresh copy of its value, in insertion order. */
  snapshot(): Record<string, unknown>
  /** Bytes in use (key + value, UTF-8 of the stored form), as the total quota counts them. */
  bytesUsed(): number
  /** The quotas in force, in bytes. */
  quota(): { maxItemSize: number; maxTotalSize: number }
  /** Changes the quotas (e.g. a small total to test the "storage full" path). */
  setQuota(quota: { maxItemSize?: number; maxTotalSize?: number }): void
  /** The file storage persists to, or `undefined` when it lives in memory only. */
  readonly file: string | undefined
}

type StoredType =
  'String' | 'Number' | 'Boolean' | 'Undefined' | 'Null' | 'Date' | 'Array' | 'Object'

interface StoredItem {
  type: StoredType
  data: string
}

// ---- values ----------------------------------------------------------------------------------

function encode(value: unknown): StoredItem {
  switch (typeof value) {
    case 'string':
      return { type: 'String', data: value }
    case 'number':
      // String(), not JSON: NaN and Infinity survive, as they do in WeChat.
      return { type: 'Number', data: String(value) }
    case 'boolean':
      return { type: 'Boolean', data: String(value) }
    case 'undefined':
      return { type: 'Undefined', data: '' }
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new HostFail('data cannot be stored: a ' + typeof value + ' is not JSON-serializable')
  }
  if (value === null) return { type: 'Null', data: 'null' }
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const time = (value as Date).getTime()
    return { type: 'Date', data: isNaN(time) ? 'Invalid Date' : (value as Date).toISOString() }
  }
  let data: string | undefined
  try {
    data = JSON.stringify(value)
  } catch (error) {
    throw new HostFail('data cannot be stored: ' + (error as Error).message)
  }
  if (data === undefined) throw new HostFail('data cannot be stored: not JSON-serializable')
  return { type: Array.isArray(value) ? 'Array' : 'Object', data }
}

function decode(item: StoredItem): unknown {
  switch (item.type) {
    case 'String':
      return item.data
    case 'Number':
      return Number(item.data)
    case 'Boolean':
      return item.data === 'true'
    case 'Undefined':
      return undefined
    case 'Null':
      return null
    case 'Date':
      return new Date(item.data)
    default:
      return JSON.parse(item.data)
  }
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8')

// ---- the store -------------------------------------------------------------------------------

/** The key/value store behind the wx storage APIs, with quotas and optional persistence. */
class Store {
  private items = new Map<string, StoredItem>()
  private used = 0
  private tempCounter = 0

  constructor(
    readonly file: string | undefined,
    public maxItemSize: number,
    public maxTotalSize: number,
  ) {
    if (file) this.load(file)
  }

  get bytesUsed(): number {
    return this.used
  }

  keys(): string[] {
    return [...this.items.keys()]
  }

  has(key: string): boolean {
    return this.items.has(key)
  }

  get(key: string): unknown {
    const item = this.items.get(key)
    return item ? decode(item) : undefined
  }

  /**
   * Sets, removes or clears keys all or nothing: the quotas are checked on the result and the
   * store is saved before it changes, so a refused or failed write leaves everything as it was.
   */
  commit(sets: Array<[string, StoredItem]>, removes: string[] = [], clear = false): void {
    for (const [, item] of sets) {
      if (bytes(item.data) > this.maxItemSize) throw new HostFail('exceed storage item max length')
    }
    const next = clear ? new Map<string, StoredItem>() : new Map(this.items)
    for (const key of removes) next.delete(key)
    for (const [key, item] of sets) next.set(key, item)
    let used = 0
    for (const [key, item] of next) used += bytes(key) + bytes(item.data)
    // A store already over a lowered quota may still shrink.
    if (used > this.maxTotalSize && used > this.used) {
      throw new HostFail('exceed storage max size ' + formatSize(this.maxTotalSize))
    }
    if (this.file) this.save(this.file, next)
    this.items = next
    this.used = used
  }

  private load(file: string): void {
    mkdirSync(resolve(file, '..'), { recursive: true })
    this.removeStaleTempFiles(file)
    if (!existsSync(file)) return
    let parsed: { format?: unknown; items?: unknown }
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'))
    } catch (error) {
      const unreadable = new Error(
        'miniprogram-rx host: the storage file ' + file + ' is unreadable: ' + String(error),
      )
      ;(unreadable as { cause?: unknown }).cause = error
      throw unreadable
    }
    if (parsed.format !== FILE_FORMAT || !Array.isArray(parsed.items)) {
      throw new Error('miniprogram-rx host: ' + file + ' is not a miniprogram-rx storage file')
    }
    for (const entry of parsed.items as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 3 || entry.some((x) => typeof x !== 'string')) {
        throw new Error('miniprogram-rx host: ' + file + ' holds a malformed entry')
      }
      const [key, type, data] = entry as [string, StoredType, string]
      this.items.set(key, { type, data })
      this.used += bytes(key) + bytes(data)
    }
  }

  // A temp file left by a crash mid-write is garbage: the store file was never replaced.
  private removeStaleTempFiles(file: string): void {
    const dir = resolve(file, '..')
    const prefix = FILE_NAME + '.'
    for (const name of readdirSync(dir)) {
      if (name.startsWith(prefix) && name.endsWith('.tmp')) {
        try {
          unlinkSync(join(dir, name))
        } catch {
          // another process may have removed it first
        }
      }
    }
  }

  private save(file: string, items: Map<string, StoredItem>): void {
    const entries: Array<[string, string, string]> = []
    for (const [key, item] of items) entries.push([key, item.type, item.data])
    const text = JSON.stringify({ format: FILE_FORMAT, version: 1, items: entries })
    this.tempCounter += 1
    const temp = file + '.' + process.pid + '.' + this.tempCounter + '.tmp'
    try {
      const fd = openSync(temp, 'w')
      try {
        writeSync(fd, text)
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      renameSync(temp, file)
    } catch (error) {
      try {
        unlinkSync(temp)
      } catch {
        // nothing was written
      }
      throw new HostFail('write storage failed: ' + (error as Error).message)
    }
    syncDirectory(resolve(file, '..'))
  }
}

// Makes the rename itself durable; not every platform lets a directory be fsynced.
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // best effort
  }
}

function formatSize(n: number): string {
  if (n % MB === 0) return n / MB + 'Mb'
  if (n % KB === 0) return n / KB + 'Kb'
  return n + 'b'
}

function positiveSize(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value > 0) || !isFinite(value)) {
    throw new TypeError(
      'miniprogram-rx host: storage.' +
        field +
        ' must be a positive number of bytes, got ' +
        String(value),
    )
  }
  return value
}

// ---- wx members ------------------------------------------------------------------------------

function syncError(api: string, error: unknown): Error {
  const reason = error instanceof HostFail ? error.reason : String((error as Error)?.message)
  const result = new Error(api + ':fail ' + reason) as Error & { errMsg: string }
  result.errMsg = result.message
  return result
}

/** Defines `wx[name]` as a Sync API that logs its call and throws `<name>:fail <reason>`. */
function defineSync(ctx: HostContext, name: string, impl: (...args: any[]) => unknown): void {
  ctx.wx[name] = (...args: unknown[]) => {
    ctx.log(name, args)
    if (ctx.closed) throw syncError(name, new HostFail('host closed'))
    try {
      return impl(...args)
    } catch (error) {
      throw syncError(name, error)
    }
  }
}

function requireKey(key: unknown, field = 'key'): string {
  if (typeof key !== 'string') throw parameterError(field, 'String', key)
  return key
}

function kvPairs(list: unknown): Array<[string, StoredItem]> {
  if (!Array.isArray(list)) throw parameterError('kvList', 'Array', list)
  return list.map((entry, i) => {
    const e = (entry ?? {}) as { key?: unknown; value?: unknown }
    return [requireKey(e.key, 'kvList[' + i + '].key'), encode(e.value)] as [string, StoredItem]
  })
}

function keyList(list: unknown): string[] {
  if (!Array.isArray(list)) throw parameterError('keyList', 'Array', list)
  return list.map((key, i) => requireKey(key, 'keyList[' + i + ']'))
}

/** Adds the storage members to `ctx.wx` and returns the test controls. */
export function installStorage(ctx: HostContext, options: StorageHostOptions): StorageHostControls {
  const store = new Store(
    options.dir ? resolve(options.dir, FILE_NAME) : undefined,
    options.maxItemSize === undefined ? MB : positiveSize(options.maxItemSize, 'maxItemSize'),
    options.maxTotalSize === undefined
      ? 10 * MB
      : positiveSize(options.maxTotalSize, 'maxTotalSize'),
  )
  // A missing key reads as '' in getStorageSync and batchGet, as in WeChat.
  const read = (key: string) => (store.has(key) ? store.get(key) : '')
  const info = () => ({
    keys: store.keys(),
    currentSize: Math.ceil(store.bytesUsed / KB),
    limitSize: Math.floor(store.maxTotalSize / KB),
  })

  ctx.defineAsync('setStorage', (o, settle) => {
    store.commit([[requireKey(o.key), encode(o.data)]])
    settle.ok()
  })
  ctx.defineAsync<{ data: unknown }>('getStorage', (o, settle) => {
    const key = requireKey(o.key)
    if (!store.has(key)) throw new HostFail('data not found')
    settle.ok({ data: store.get(key) })
  })
  ctx.defineAsync('removeStorage', (o, settle) => {
    store.commit([], [requireKey(o.key)])
    settle.ok()
  })
  ctx.defineAsync('clearStorage', (_o, settle) => {
    store.commit([], [], true)
    settle.ok()
  })
  ctx.defineAsync('getStorageInfo', (_o, settle) => settle.ok(info()))
  ctx.defineAsync('batchSetStorage', (o, settle) => {
    store.commit(kvPairs(o.kvList))
    settle.ok()
  })
  ctx.defineAsync<{ dataList: unknown[] }>('batchGetStorage', (o, settle) => {
    settle.ok({ dataList: keyList(o.keyList).map(read) })
  })

  defineSync(ctx, 'setStorageSync', (key: unknown, data: unknown) => {
    store.commit([[requireKey(key), encode(data)]])
  })
  defineSync(ctx, 'getStorageSync', (key: unknown) => read(requireKey(key)))
  defineSync(ctx, 'removeStorageSync', (key: unknown) => {
    store.commit([], [requireKey(key)])
  })
  defineSync(ctx, 'clearStorageSync', () => {
    store.commit([], [], true)
  })
  defineSync(ctx, 'getStorageInfoSync', info)
  defineSync(ctx, 'batchSetStorageSync', (list: unknown) => {
    store.commit(kvPairs(list))
  })
  defineSync(ctx, 'batchGetStorageSync', (list: unknown) => keyList(list).map(read))

  return {
    snapshot() {
      const out: Record<string, unknown> = {}
      for (const key of store.keys()) out[key] = store.get(key)
      return out
    },
    bytesUsed: () => store.bytesUsed,
    quota: () => ({ maxItemSize: store.maxItemSize, maxTotalSize: store.maxTotalSize }),
    setQuota(quota) {
      if (quota.maxItemSize !== undefined) {
        store.maxItemSize = positiveSize(quota.maxItemSize, 'maxItemSize')
      }
      if (quota.maxTotalSize !== undefined) {
        store.maxTotalSize = positiveSize(quota.maxTotalSize, 'maxTotalSize')
      }
    },
    file: store.file,
  }
}
