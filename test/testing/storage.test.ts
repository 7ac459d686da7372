import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ts from 'typescript'
import { HostContext } from '../../src/testing/context'
import {
  installStorage,
  type StorageHostControls,
  type StorageHostOptions,
} from '../../src/testing/storage'

type AnyWx = Record<string, any>

interface TestHost {
  wx: AnyWx
  calls: HostContext['calls']
  storage: StorageHostControls
  close(): Promise<void>
}

const MB = 1024 * 1024
const hosts: TestHost[] = []
const dirs: string[] = []

// The storage part on its own context, closed the way createWxHost closes a host; the wiring
// into createWxHost is checked once at the end.
function newHost({ storage = {} }: { storage?: StorageHostOptions } = {}) {
  const ctx = new HostContext()
  const host: TestHost = {
    wx: ctx.wx,
    calls: ctx.calls,
    storage: installStorage(ctx, storage),
    async close() {
      ctx.closed = true
      await ctx.closeResources()
      rmSync(ctx.root, { recursive: true, force: true })
    },
  }
  hosts.push(host)
  return { host, wx: host.wx }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wx-storage-test-'))
  dirs.push(dir)
  return dir
}

/** Calls a callback-style API and resolves with `['success' | 'fail', result, completeResult]`. */
function call(wx: AnyWx, api: string, options: Record<string, unknown> = {}) {
  return new Promise<[string, any, any]>((resolve) => {
    let outcome: [string, any] | undefined
    wx[api]({
      ...options,
      success: (res: unknown) => (outcome = ['success', res]),
      fail: (res: unknown) => (outcome = ['fail', res]),
      complete: (res: unknown) => resolve([outcome![0], outcome![1], res]),
    })
  })
}

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

afterEach(async () => {
  jest.restoreAllMocks()
  await Promise.all(hosts.splice(0).map((h) => h.close()))
})

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('setStorage / getStorage', () => {
  it('stores a value and reads it back with WeChat result shapes', async () => {
    const { wx } = newHost()
    const set = await call(wx, 'setStorage', { key: 'user', data: { name: 'Li', tags: ['a'] } })
    expect(set).toEqual(['success', { errMsg: 'setStorage:ok' }, { errMsg: 'setStorage:ok' }])
    const [kind, res] = await call(wx, 'getStorage', { key: 'user' })
    expect(kind).toBe('success')
    expect(res).toEqual({ data: { name: 'Li', tags: ['a'] }, errMsg: 'getStorage:ok' })
  })

  it('returns a Promise when called without callbacks', async () => {
    const { wx } = newHost()
    await expect(wx.setStorage({ key: 'k', data: 1 })).resolves.toEqual({ errMsg: 'setStorage:ok' })
    await expect(wx.getStorage({ key: 'k' })).resolves.toEqual({ data: 1, errMsg: 'getStorage:ok' })
    await expect(wx.getStorage({ key: 'nope' })).rejects.toEqual({
      errMsg: 'getStorage:fail data not found',
    })
  })

  it('calls back later, never inside the call', () => {
    const { wx } = newHost()
    const success = jest.fn()
    wx.setStorage({ key: 'k', data: 1, success })
    expect(success).not.toHaveBeenCalled()
  })

  it('fails getStorage of a missing key with "data not found", and getStorageSync gives ""', async () => {
    const { wx } = newHost()
    const [kind, res, complete] = await call(wx, 'getStorage', { key: 'missing' })
    expect(kind).toBe('fail')
    expect(res).toEqual({ errMsg: 'getStorage:fail data not found' })
    expect(complete).toBe(res)
    expect(wx.getStorageSync('missing')).toBe('')
  })

  it('returns a fresh copy on every read and keeps no reference to what was stored', () => {
    const { wx } = newHost()
    const value = { list: [1, 2], inner: { a: 1 } }
    wx.setStorageSync('v', value)
    value.list.push(3)
    const first = wx.getStorageSync('v')
    expect(first).toEqual({ list: [1, 2], inner: { a: 1 } })
    first.inner.a = 99
    const second = wx.getStorageSync('v')
    expect(second).toEqual({ list: [1, 2], inner: { a: 1 } })
    expect(second).not.toBe(first)
  })

  it('keeps each JSON-able type, a top-level Date as a Date and a nested Date as its ISO string', () => {
    const { wx } = newHost()
    const when = new Date('2024-05-06T07:08:09.010Z')
    const values: Record<string, unknown> = {
      s: 'text',
      n: 42.5,
      nan: NaN,
      inf: -Infinity,
      t: true,
      f: false,
      nil: null,
      undef: undefined,
      arr: [1, 'a', null],
      obj: { a: { b: [true] } },
      unicode: '中文 ✓',
    }
    for (const [key, value] of Object.entries(values)) wx.setStorageSync(key, value)
    for (const [key, value] of Object.entries(values)) expect(wx.getStorageSync(key)).toEqual(value)
    expect(Number.isNaN(wx.getStorageSync('nan'))).toBe(true)

    wx.setStorageSync('date', when)
    const date = wx.getStorageSync('date')
    expect(Object.prototype.toString.call(date)).toBe('[object Date]')
    expect(date.getTime()).toBe(when.getTime())
    expect(date).not.toBe(when)

    wx.setStorageSync('nested', { when })
    expect(wx.getStorageSync('nested')).toEqual({ when: '2024-05-06T07:08:09.010Z' })
  })

  it('refuses a non-string key with WeChat parameter error, and data JSON cannot hold', async () => {
    const { wx } = newHost()
    const [, res] = await call(wx, 'setStorage', { key: 7, data: 1 })
    expect(res.errMsg).toBe(
      'setStorage:fail parameter error: parameter.key should be String instead of Number;',
    )
    expect(thrown(() => wx.getStorageSync(undefined)).message).toBe(
      'getStorageSync:fail parameter error: parameter.key should be String instead of Undefined;',
    )
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(thrown(() => wx.setStorageSync('c', circular)).message).toMatch(
      /^setStorageSync:fail data cannot be stored: .*circular/i,
    )
    expect(thrown(() => wx.setStorageSync('f', () => 1)).message).toMatch(
      /^setStorageSync:fail data cannot be stored/,
    )
    expect(wx.getStorageInfoSync().keys).toEqual([])
  })
})

describe('remove, clear and info', () => {
  it('removes one key, async and sync; removing a missing key succeeds', async () => {
    const { wx } = newHost()
    wx.setStorageSync('a', 1)
    wx.setStorageSync('b', 2)
    expect(await call(wx, 'removeStorage', { key: 'a' })).toEqual([
      'success',
      { errMsg: 'removeStorage:ok' },
      { errMsg: 'removeStorage:ok' },
    ])
    expect((await call(wx, 'removeStorage', { key: 'never' }))[0]).toBe('success')
    wx.removeStorageSync('b')
    expect(wx.getStorageInfoSync().keys).toEqual([])
  })

  it('clears everything, async and sync', async () => {
    const { wx } = newHost()
    wx.setStorageSync('a', 1)
    expect((await call(wx, 'clearStorage'))[1]).toEqual({ errMsg: 'clearStorage:ok' })
    expect(wx.getStorageSync('a')).toBe('')
    wx.setStorageSync('b', 1)
    wx.clearStorageSync()
    expect(wx.getStorageInfoSync()).toEqual({ keys: [], currentSize: 0, limitSize: 10240 })
  })

  it('reports keys, currentSize and limitSize in KB, counting UTF-8 bytes of key and value', async () => {
    const { wx, host } = newHost()
    wx.setStorageSync('k1', 'x'.repeat(1000)) // 2 + 1000 bytes
    wx.setStorageSync('k2', '中'.repeat(100)) // 2 + 300 bytes
    wx.setStorageSync('k3', { a: 1 }) // 2 + 7 bytes ('{"a":1}')
    expect(host.storage.bytesUsed()).toBe(1002 + 302 + 9)
    const [, res] = await call(wx, 'getStorageInfo')
    expect(res).toEqual({
      keys: ['k1', 'k2', 'k3'],
      currentSize: 2, // ceil(1313 / 1024)
      limitSize: 10240,
      errMsg: 'getStorageInfo:ok',
    })
    expect(wx.getStorageInfoSync()).toEqual({
      keys: ['k1', 'k2', 'k3'],
      currentSize: 2,
      limitSize: 10240,
    })
  })
})

describe('batchSetStorage / batchGetStorage', () => {
  it('sets and gets several keys at once, missing keys reading as ""', async () => {
    const { wx } = newHost()
    const [kind, res] = await call(wx, 'batchSetStorage', {
      kvList: [
        { key: 'a', value: 1 },
        { key: 'b', value: { x: [1] } },
      ],
    })
    expect([kind, res]).toEqual(['success', { errMsg: 'batchSetStorage:ok' }])
    const [, got] = await call(wx, 'batchGetStorage', { keyList: ['a', 'b', 'zz'] })
    expect(got).toEqual({ dataList: [1, { x: [1] }, ''], errMsg: 'batchGetStorage:ok' })

    wx.batchSetStorageSync([{ key: 'c', value: true }])
    expect(wx.batchGetStorageSync(['c', 'a'])).toEqual([true, 1])
  })

  it('checks the list shape and every key', async () => {
    const { wx } = newHost()
    expect((await call(wx, 'batchSetStorage', { kvList: 'no' }))[1].errMsg).toBe(
      'batchSetStorage:fail parameter error: parameter.kvList should be Array instead of String;',
    )
    expect(
      thrown(() => wx.batchSetStorageSync([{ key: 'ok', value: 1 }, { value: 2 }])).message,
    ).toBe(
      'batchSetStorageSync:fail parameter error: parameter.kvList[1].key should be String instead of Undefined;',
    )
    expect(wx.getStorageSync('ok')).toBe('') // nothing of the refused batch was written
    expect(thrown(() => wx.batchGetStorageSync([1])).message).toMatch(
      /keyList\[0\] should be String/,
    )
  })
})

describe('quotas', () => {
  it('refuses a value over 1 MB for one key, keeping the old value', async () => {
    const { wx } = newHost()
    wx.setStorageSync('big', 'old')
    const [kind, res] = await call(wx, 'setStorage', { key: 'big', data: 'x'.repeat(MB + 1) })
    expect([kind, res]).toEqual([
      'fail',
      { errMsg: 'setStorage:fail exceed storage item max length' },
    ])
    const error = thrown(() => wx.setStorageSync('big', 'x'.repeat(MB + 1)))
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toBe('setStorageSync:fail exceed storage item max length')
    expect(wx.getStorageSync('big')).toBe('old')
    // exactly 1 MB is allowed
    wx.setStorageSync('big', 'x'.repeat(MB))
    expect(wx.getStorageSync('big')).toHaveLength(MB)
  })

  it('refuses a write that would pass 10 MB in total, leaving everything intact', async () => {
    const { wx, host } = newHost()
    const chunk = 'y'.repeat(1_000_000)
    for (let i = 0; i < 10; i++) wx.setStorageSync('k' + i, chunk) // 10 * 1_000_002 bytes
    const before = host.storage.bytesUsed()
    expect(before).toBe(10_000_020)
    const [kind, res] = await call(wx, 'setStorage', { key: 'k10', data: chunk })
    expect([kind, res]).toEqual([
      'fail',
      { errMsg: 'setStorage:fail exceed storage max size 10Mb' },
    ])
    expect(thrown(() => wx.setStorageSync('k10', chunk)).message).toBe(
      'setStorageSync:fail exceed storage max size 10Mb',
    )
    expect(host.storage.bytesUsed()).toBe(before)
    expect(wx.getStorageInfoSync().keys).toHaveLength(10)
    // overwriting a key with a value of the same size still fits
    wx.setStorageSync('k0', 'z'.repeat(1_000_000))
    expect(wx.getStorageSync('k0').charAt(0)).toBe('z')
  })

  it('applies a batch all or nothing when it would pass the quota', () => {
    const { wx, host } = newHost()
    host.storage.setQuota({ maxTotalSize: 100 })
    wx.setStorageSync('a', 'keep')
    expect(
      thrown(() =>
        wx.batchSetStorageSync([
          { key: 'a', value: 'changed' },
          { key: 'b', value: 'x'.repeat(200) },
        ]),
      ).message,
    ).toBe('batchSetStorageSync:fail exceed storage max size 100b')
    expect(host.storage.snapshot()).toEqual({ a: 'keep' })
  })

  it('lets tests set smaller quotas, and a store over a lowered quota may still shrink', () => {
    const { wx, host } = newHost({ storage: { maxItemSize: 10 } })
    expect(host.storage.quota()).toEqual({ maxItemSize: 10, maxTotalSize: 10 * MB })
    expect(thrown(() => wx.setStorageSync('k', 'x'.repeat(11))).message).toBe(
      'setStorageSync:fail exceed storage item max length',
    )
    wx.setStorageSync('k', 'x'.repeat(10))
    wx.setStorageSync('j', 'x'.repeat(10))
    host.storage.setQuota({ maxTotalSize: 5 * 1024 })
    expect(wx.getStorageInfoSync().limitSize).toBe(5)
    host.storage.setQuota({ maxTotalSize: 1 })
    wx.removeStorageSync('j')
    expect(host.storage.snapshot()).toEqual({ k: 'xxxxxxxxxx' })
    expect(() => host.storage.setQuota({ maxTotalSize: 0 })).toThrow(TypeError)
  })
})

describe('persistence', () => {
  it('keeps data across a restart: a new host on the same folder sees it', async () => {
    const dir = tempDir()
    const first = newHost({ storage: { dir } })
    first.wx.setStorageSync('token', 'abc')
    first.wx.setStorageSync('when', new Date(1_700_000_000_000))
    await call(first.wx, 'setStorage', { key: 'profile', data: { id: 7, nick: '小明' } })
    first.wx.setStorageSync('gone', 1)
    first.wx.removeStorageSync('gone')
    expect(first.host.storage.file).toBe(join(dir, 'wx-storage.json'))
    const size = first.wx.getStorageInfoSync().currentSize
    await first.host.close()

    const second = newHost({ storage: { dir } })
    expect(second.host.storage.snapshot()).toEqual({
      token: 'abc',
      when: new Date(1_700_000_000_000),
      profile: { id: 7, nick: '小明' },
    })
    expect(second.wx.getStorageSync('when')).toBeInstanceOf(Date)
    expect(second.wx.getStorageInfoSync().currentSize).toBe(size)
    second.wx.clearStorageSync()
    await second.host.close()

    const third = newHost({ storage: { dir } })
    expect(third.wx.getStorageInfoSync().keys).toEqual([])
  })

  it('keeps the last of many concurrent writes, in memory and on disk', async () => {
    const dir = tempDir()
    const { wx, host } = newHost({ storage: { dir } })
    const pending: Promise<unknown>[] = []
    for (let i = 0; i < 50; i++) {
      if (i % 5 === 0) wx.setStorageSync('counter', i)
      else pending.push(wx.setStorage({ key: 'counter', data: i }))
    }
    await Promise.all(pending)
    expect(wx.getStorageSync('counter')).toBe(49)
    await host.close()
    expect(newHost({ storage: { dir } }).wx.getStorageSync('counter')).toBe(49)
  })

  it('survives a failure mid-write: the old store stays, in memory and on disk', () => {
    const dir = tempDir()
    const { wx } = newHost({ storage: { dir } })
    wx.setStorageSync('k', 'v1')
    // The disk fills up half-way through writing the new store.
    const nodeFs = require('node:fs') as typeof import('node:fs')
    const realWriteSync = nodeFs.writeSync
    jest.spyOn(nodeFs, 'writeSync').mockImplementation(((fd: number, text: string) => {
      realWriteSync(fd, text.slice(0, text.length >> 1))
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
    }) as unknown as typeof nodeFs.writeSync)
    expect(thrown(() => wx.setStorageSync('k', 'v2')).message).toBe(
      'setStorageSync:fail write storage failed: ENOSPC: no space left on device',
    )
    jest.restoreAllMocks()
    expect(wx.getStorageSync('k')).toBe('v1')
    expect(readdirSync(dir)).toEqual(['wx-storage.json'])
    expect(newHost({ storage: { dir } }).wx.getStorageSync('k')).toBe('v1')
  })

  it('ignores and removes a temp file left by a crashed process', () => {
    const dir = tempDir()
    const { wx } = newHost({ storage: { dir } })
    wx.setStorageSync('k', 'kept')
    writeFileSync(join(dir, 'wx-storage.json.99999.3.tmp'), '{"format":"miniprogram-rx-sto')
    expect(newHost({ storage: { dir } }).wx.getStorageSync('k')).toBe('kept')
    expect(readdirSync(dir)).toEqual(['wx-storage.json'])
  })

  it('refuses to start on a file that is not a storage file, rather than lose it', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'wx-storage.json'), 'not json')
    expect(() => newHost({ storage: { dir } })).toThrow(/storage file .* is unreadable/)
  })

  it('never corrupts the store when the process is killed in the middle of a write', async () => {
    const dir = tempDir()
    const child = spawn(process.execPath, [buildWriterScript(), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    // The writer stores rounds 0..19, then stops half-way through writing round 20 and says so.
    await new Promise<void>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('mid-write')) resolve()
      })
      child.once('exit', (code) => reject(new Error('writer exited early: ' + code + '\n' + out)))
    })
    const halfWritten = readdirSync(dir).filter((n) => n.endsWith('.tmp'))
    expect(halfWritten).toHaveLength(1)
    child.removeAllListeners('exit')
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGKILL') // no cleanup, like a crash or a power cut
    await exited

    const { wx } = newHost({ storage: { dir } })
    expect(wx.getStorageSync('round')).toBe(19)
    expect(wx.getStorageSync('a')).toBe('19'.padEnd(900_000, '.'))
    expect(wx.getStorageSync('b')).toBe('19'.padEnd(900_000, '.'))
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })
})

describe('host life', () => {
  it('is wired into createWxHost as host.storage', async () => {
    const { createWxHost } =
      require('miniprogram-rx/testing') as typeof import('miniprogram-rx/testing')
    const dir = tempDir()
    const host = createWxHost({ storage: { dir } })
    try {
      host.wx.setStorageSync('k', [1])
      expect(host.storage.snapshot()).toEqual({ k: [1] })
      expect(host.storage.file).toBe(join(dir, 'wx-storage.json'))
    } finally {
      await host.close()
    }
  })

  it('fails every call after close()', async () => {
    const { wx, host } = newHost()
    await host.close()
    expect((await call(wx, 'getStorageInfo'))[1]).toEqual({
      errMsg: 'getStorageInfo:fail host closed',
    })
    expect(thrown(() => wx.getStorageSync('a')).message).toBe('getStorageSync:fail host closed')
  })

  it('logs sync and async calls', () => {
    const { wx, host } = newHost()
    wx.setStorageSync('a', 1)
    wx.getStorage({ key: 'a', success() {} })
    expect(host.calls.map((c) => c.api)).toEqual(['setStorageSync', 'getStorage'])
  })
})

/**
 * Transpiles the host's storage part to plain CommonJS in a temp folder, next to a stand-in for
 * the context it needs, and writes the writer script the crash test runs.
 */
function buildWriterScript(): string {
  const out = tempDir()
  const code = readFileSync(join(__dirname, '../../src/testing/storage.ts'), 'utf8')
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  }).outputText
  writeFileSync(join(out, 'storage.js'), js)
  const params = readFileSync(join(__dirname, '../../src/testing/params.ts'), 'utf8')
  writeFileSync(
    join(out, 'params.js'),
    ts.transpileModule(params, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    }).outputText,
  )
  writeFileSync(
    join(out, 'context.js'),
    `class HostFail extends Error {
  constructor(reason, errno) { super(reason); this.reason = reason; this.errno = errno }
}
module.exports = { HostFail }
`,
  )
  const script = join(out, 'writer.js')
  // The store is written with fs.writeSync; in round 20 the patched one writes half the bytes,
  // reports it and blocks, so the test can kill the process with a torn temp file on disk.
  writeFileSync(
    script,
    `const fs = require('node:fs')
const realWriteSync = fs.writeSync
let round = 0
fs.writeSync = (fd, text, ...rest) => {
  if (round === 20) {
    realWriteSync(fd, text.slice(0, text.length >> 1))
    process.stdout.write('mid-write\\n')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
  }
  return realWriteSync(fd, text, ...rest)
}
const { installStorage } = require('./storage')
const ctx = { wx: {}, closed: false, log() {}, defineAsync() {} }
installStorage(ctx, { dir: process.argv[2] })
for (; round <= 20; round++) {
  const v = String(round).padEnd(900000, '.')
  ctx.wx.batchSetStorageSync([{ key: 'a', value: v }, { key: 'b', value: v }, { key: 'round', value: round }])
}
`,
  )
  return script
}
