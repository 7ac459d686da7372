// The request pool through the Node wx host against a real HTTP server on 127.0.0.1.
// Time is never measured: delays are recorded through hooks, waits are for events.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  createRequestPool,
  isAbortError,
  isHttpError,
  isTimeoutError,
  type DownloadEvent,
  type RequestPool,
  type UploadEvent,
} from 'miniprogram-rx'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { lastValueFrom, toArray } from 'rxjs'
import { readBody, startHttpServer, type TestHttpServer } from '../helpers/servers'
import { until } from '../helpers/poll-until'

let server: TestHttpServer
let host: WxHost
let restore: () => void
/** Paths in the order the server received them. */
let arrivals: string[] = []
/** Requests held open by `/hold/<name>`, released by name. */
const held = new Map<string, ServerResponse>()
/** Per-key attempt counts of `/flaky`. */
const attempts = new Map<string, number>()
const closed: string[] = []

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x')
  const path = url.pathname
  arrivals.push(path + url.search)
  res.on('close', () => {
    if (!res.writableFinished) closed.push(path)
  })
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
  if (path.startsWith('/hold/')) {
    held.set(path.slice(6), res)
    return
  }
  if (path === '/slow') {
    setTimeout(() => json(200, { ok: true }), Number(url.searchParams.get('ms') ?? 10))
    return
  }
  if (path.startsWith('/flaky/')) {
    const key = path.slice(7)
    const n = (attempts.get(key) ?? 0) + 1
    attempts.set(key, n)
    const failures = Number(url.searchParams.get('fail') ?? 1)
    if (n <= failures) {
      const after = url.searchParams.get('after')
      json(
        Number(url.searchParams.get('code') ?? 503),
        { n },
        after ? { 'Retry-After': after } : {},
      )
    } else json(200, { n })
    return
  }
  if (path === '/upload') {
    void readBody(req).then((body) => json(201, { bytes: body.length }))
    return
  }
  if (path === '/download') {
    const size = Number(url.searchParams.get('size') ?? 1000)
    const body = Buffer.alloc(size, 7)
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size })
    let at = 0
    const step = 16 * 1024
    const pump = () => {
      if (res.destroyed) return
      if (at >= size) {
        res.end()
        return
      }
      res.write(body.subarray(at, at + step))
      at += step
      setTimeout(pump, Number(url.searchParams.get('gap') ?? 0))
    }
    pump()
    return
  }
  json(200, { method: req.method, path, headers: req.headers })
}

function release(name: string, status = 200): void {
  const res = held.get(name)
  held.delete(name)
  if (res && !res.destroyed) {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ name }))
  }
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error }),
  )

function makePool(options: Parameters<typeof createRequestPool>[0] = {}): RequestPool {
  return createRequestPool({ allowInsecure: true, baseURL: server.url, ...options })
}

beforeAll(async () => {
  server = await startHttpServer(handle)
})

afterAll(async () => {
  await server.close()
})

beforeEach(() => {
  host = createWxHost()
  restore = host.install()
  arrivals = []
  closed.length = 0
  attempts.clear()
  server.resetStats()
})

afterEach(async () => {
  for (const name of [...held.keys()]) release(name)
  await until(() => server.inFlight === 0, 'server idle')
  // No listener of the app is left behind by any pool (network status included).
  expect(host.listeners()).toEqual({})
  restore()
  await host.close()
})

describe('scheduling against a real server', () => {
  it('sends in priority order, FIFO within a priority', async () => {
    const pool = makePool({ concurrency: 1 })
    const first = pool.request({ url: '/hold/first' })
    await until(() => held.has('first'))
    const calls = [
      pool.request({ url: '/echo/low', priority: -1 }),
      pool.request({ url: '/echo/mid-a' }),
      pool.request({ url: '/echo/high', priority: 10 }),
      pool.request({ url: '/echo/mid-b' }),
    ]
    release('first')
    await Promise.all([first, ...calls])
    expect(arrivals).toEqual([
      '/hold/first',
      '/echo/high',
      '/echo/mid-a',
      '/echo/mid-b',
      '/echo/low',
    ])
  })

  it('never has more than `concurrency` requests at the server', async () => {
    const pool = makePool({ concurrency: 4 })
    const calls = Array.from({ length: 40 }, () => pool.request({ url: '/slow?ms=5' }))
    const results = await Promise.all(calls)
    expect(results.every((r) => r.statusCode === 200)).toBe(true)
    expect(server.maxInFlight).toBe(4)
    expect(host.http.maxInFlight).toBe(4)
    expect(server.received).toBe(40)
  })

  it('merges baseURL and default headers into what the server sees', async () => {
    const pool = makePool({ header: { 'X-App': 'demo', accept: 'text/plain' } })
    const { data } = await pool.request<{ headers: Record<string, string>; path: string }>({
      url: 'echo/h',
      header: { Accept: 'application/json' },
    })
    expect(data.path).toBe('/echo/h')
    expect(data.headers['x-app']).toBe('demo')
    expect(data.headers.accept).toBe('application/json')
  })
})

describe('retry against a real server', () => {
  it('retries 503 honouring Retry-After (seconds and HTTP date), clamped by maxRetryAfter', async () => {
    const delays: number[] = []
    const pool = makePool({
      retry: { limit: 3, maxRetryAfter: 30 },
      hooks: { beforeRetry: [(c) => void delays.push(c.delay)] },
    })
    const date = encodeURIComponent(new Date(Date.now() + 3_600_000).toUTCString())
    const seconds = await pool.request({ url: '/flaky/s?fail=2&after=3600' })
    const dated = await pool.request({ url: '/flaky/d?fail=1&code=429&after=' + date })
    expect(seconds.data).toEqual({ n: 3 })
    expect(dated.data).toEqual({ n: 2 })
    expect(delays).toEqual([30, 30, 30])
  })

  it('sends a POST exactly once even when the server answers 503', async () => {
    const pool = makePool({ retry: { limit: 3, delay: 1 } })
    const r = await settle(pool.request({ url: '/flaky/p?fail=5', method: 'POST', data: 'x' }))
    expect(!r.ok && isHttpError(r.error) && r.error.statusCode).toBe(503)
    expect(arrivals).toEqual(['/flaky/p?fail=5'])
  })

  it('times out an attempt, closes its connection and fails with TimeoutError', async () => {
    const pool = makePool({ retry: false })
    const r = await settle(pool.request({ url: '/hold/t', timeout: 30 }))
    expect(!r.ok && isTimeoutError(r.error)).toBe(true)
    await until(() => closed.includes('/hold/t'), 'server to see the close')
    expect(pool.pending).toBe(0)
  })
})

describe('offline', () => {
  it('holds calls while offline, spends no retry, and sends them on reconnect', async () => {
    host.setNetwork({ isConnected: false })
    const pool = makePool()
    const call = pool.request({ url: '/echo/offline' })
    await until(() => pool.size === 1, 'the call to be queued')
    await new Promise((r) => setTimeout(r, 30))
    expect(server.received).toBe(0)
    host.setNetwork({ isConnected: true })
    expect((await call).statusCode).toBe(200)
    expect(pool.getStats()).toMatchObject({ retried: 0, done: 1 })
  })

  it('requeues a call the network drop failed, without spending a retry', async () => {
    // A spent retry would wait a minute: the call only succeeds in time if none is spent.
    const pool = makePool({ retry: { limit: 1, delay: 60_000 } })
    const call = pool.request({ url: '/hold/drop' })
    await until(() => held.has('drop'))
    host.setNetwork({ isConnected: false })
    await until(() => pool.size === 1, 'the dropped call to be queued again')
    held.delete('drop')
    host.setNetwork({ isConnected: true })
    await until(() => held.has('drop'), 'the second attempt')
    release('drop')
    expect((await call).statusCode).toBe(200)
    expect(pool.getStats()).toMatchObject({ retried: 0, failed: 0, done: 1 })
  })
})

describe('cancel against a real server', () => {
  it('a cancelled queued call never reaches the server', async () => {
    const pool = makePool({ concurrency: 1 })
    const first = pool.request({ url: '/hold/q1' })
    await until(() => held.has('q1'))
    const second = pool.request({ url: '/echo/q2' })
    const outcome = settle(second)
    second.abort()
    release('q1')
    await first
    expect(isAbortError(((await outcome) as { error: Error }).error)).toBe(true)
    await pool.onIdle()
    expect(arrivals).toEqual(['/hold/q1'])
  })

  it('a cancelled running call closes its connection and frees its slot at once', async () => {
    const pool = makePool({ concurrency: 1 })
    const first = pool.request({ url: '/hold/r1' })
    const outcome = settle(first)
    const second = pool.request({ url: '/echo/r2' })
    await until(() => held.has('r1'))
    first.abort()
    expect(pool.pending).toBe(1) // the next call took the slot synchronously
    expect((await second).statusCode).toBe(200)
    expect(isAbortError(((await outcome) as { error: Error }).error)).toBe(true)
    await until(() => closed.includes('/hold/r1'), 'server to see the abort')
  })

  it('a call cancelled while backing off is not sent again', async () => {
    const pool = makePool({ retry: { delay: 10_000 } })
    const call = pool.request({ url: '/flaky/b?fail=1' })
    const outcome = settle(call)
    await until(() => pool.getStats().backoff === 1, 'backoff')
    call.abort()
    expect(isAbortError(((await outcome) as { error: Error }).error)).toBe(true)
    await pool.onIdle()
    expect(arrivals).toEqual(['/flaky/b?fail=1'])
  })
})

describe('upload$ and download$ through hooks', () => {
  function sandboxFile(bytes: number): string {
    mkdirSync(join(host.root, 'usr'), { recursive: true })
    writeFileSync(join(host.root, 'usr', 'photo.bin'), Buffer.alloc(bytes, 1))
    return 'wxfile://usr/photo.bin'
  }

  it('upload$ emits progress up to 100, headers, then the result, through an async hook', async () => {
    const pool = makePool({
      hooks: {
        beforeRequest: [async (o) => void (o.header['X-Token'] = 't')],
        afterResponse: [async (r) => r],
      },
    })
    const filePath = sandboxFile(300 * 1024)
    const events = await lastValueFrom(
      pool.upload$({ url: '/upload', filePath, name: 'file' }).pipe(toArray<UploadEvent>()),
    )
    const progress = events.filter((e) => e.type === 'progress')
    expect(progress.length).toBeGreaterThan(1)
    expect(progress[progress.length - 1]).toMatchObject({ progress: 100 })
    const last = events[events.length - 1]
    expect(last.type).toBe('result')
    if (last.type !== 'result') return
    expect(last.statusCode).toBe(201)
    expect(JSON.parse(last.data).bytes).toBeGreaterThan(300 * 1024)
    expect(events.some((e) => e.type === 'headers')).toBe(true)
  })

  it('download$ emits progress and the result; the file is complete', async () => {
    const pool = makePool({ hooks: { beforeRequest: [async () => undefined] } })
    const events = await lastValueFrom(
      pool.download$({ url: '/download?size=200000' }).pipe(toArray<DownloadEvent>()),
    )
    const progress = events.filter((e) => e.type === 'progress')
    expect(progress.length).toBeGreaterThan(1)
    expect(progress[progress.length - 1]).toMatchObject({
      progress: 100,
      totalBytesWritten: 200000,
      totalBytesExpectedToWrite: 200000,
    })
    const last = events[events.length - 1]
    if (last.type !== 'result') throw new Error('no result')
    const real = join(host.root, 'tmp', last.tempFilePath.replace('wxfile://', ''))
    expect(statSync(real).size).toBe(200000)
    expect(readFileSync(real)[0]).toBe(7)
  })

  it('unsubscribing download$ mid-transfer, after an async hook, aborts it at the server', async () => {
    const pool = makePool({ hooks: { beforeRequest: [async () => undefined] } })
    const seen: number[] = []
    const sub = pool.download$({ url: '/download?size=2000000&gap=5' }).subscribe((e) => {
      if (e.type === 'progress') seen.push(e.progress)
    })
    await until(() => seen.length > 2, 'some progress')
    sub.unsubscribe()
    expect(pool.pending).toBe(0)
    await until(() => closed.includes('/download'), 'server to see the abort')
    expect(seen[seen.length - 1]).toBeLessThan(100)
  })
})

describe('security and bad input', () => {
  it('refuses http:// without allowInsecure, before anything is sent', async () => {
    const pool = createRequestPool()
    const r = await settle(pool.request({ url: server.url + '/echo' }))
    expect(!r.ok && r.error).toBeInstanceOf(TypeError)
    expect(!r.ok && r.error.message).toMatch(/must be https:\/\/.*allowInsecure/)
    expect(server.received).toBe(0)
  })

  it('refuses CR/LF in headers, also when a hook adds them, and hosts outside allowedHosts', async () => {
    const pool = makePool()
    const crlf = await settle(pool.request({ url: '/echo', header: { 'X-A': 'a\r\nX-B: b' } }))
    expect(!crlf.ok && crlf.error.message).toMatch(/without CR, LF or NUL/)
    const hooked = makePool({
      hooks: { beforeRequest: [(o) => void (o.header['X-Evil'] = 'x\nSet-Cookie: y')] },
    })
    const viaHook = await settle(hooked.request({ url: '/echo' }))
    expect(!viaHook.ok && viaHook.error.message).toMatch(/options.header\["X-Evil"\]/)
    const listed = makePool({ allowedHosts: ['api.example.com'] })
    const outside = await settle(listed.downloadFile({ url: '/file' }))
    expect(!outside.ok && outside.error.message).toMatch(/is not in the pool's allowedHosts/)
    expect(server.received).toBe(0)
  })

  it('reports bad input through the Observable and the promise, never by throwing', async () => {
    const pool = makePool()
    const bad: unknown[] = [
      undefined,
      {},
      { url: 42 },
      { url: '/x', method: 'FETCH' },
      { url: '/x', timeout: -5 },
      { url: '/x', retry: -1 },
      { url: '/x', retry: { limit: 'x' } },
      { url: '/x', priority: 'high' },
    ]
    for (const input of bad) {
      const error = jest.fn()
      expect(() => pool.request$(input as never).subscribe({ error })).not.toThrow()
      expect(error.mock.calls[0][0]).toBeInstanceOf(TypeError)
      expect(error.mock.calls[0][0].message).toMatch(/^request: `options/)
      const r = await settle(pool.request(input as never))
      expect(!r.ok && r.error).toBeInstanceOf(TypeError)
    }
    const up = await settle(pool.uploadFile({ url: '/u' } as never))
    expect(!up.ok && up.error.message).toMatch(/^uploadFile: `options.filePath`/)
    expect(() => createRequestPool({ concurrency: 0 })).toThrow(
      /createRequestPool: `options.concurrency` must be a whole number >= 1, got number 0/,
    )
    expect(() => createRequestPool({ retry: { methods: 'GET' } } as never)).toThrow(
      /`options.retry.methods`/,
    )
    expect(() => createRequestPool({ hooks: { beforeRequest: [1] } } as never)).toThrow(
      /`options.hooks.beforeRequest`/,
    )
    expect(server.received).toBe(0)
  })
})
