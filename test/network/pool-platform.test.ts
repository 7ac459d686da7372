// The request pool under the phone's order of events (issue 11), through the Node wx host
// against a real HTTP server on 127.0.0.1: the app hidden mid-call, the status event late or
// never, sequential calls through an idle pool, the allowedHosts bypass, timer limits,
// Retry-After dates, a bad signal, listener leaks. Time is never measured: waits are for
// events, and the host's background grace is scaled down (50 ms instead of 5 s).
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  createRequestPool,
  isWxError,
  networkStatus$,
  parseRetryAfter,
  type RequestPool,
} from 'miniprogram-rx'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { startHttpServer, type TestHttpServer } from '../helpers/servers'

let server: TestHttpServer
let host: WxHost
let restore: () => void
/** `METHOD path` in the order the server received them. */
let arrivals: string[] = []
/** Requests held open, answered by `releaseAll()`. */
const held: ServerResponse[] = []
/** How many times each `/once/<key>` has arrived (the first is held). */
const seen = new Map<string, number>()

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x')
  const path = url.pathname
  arrivals.push(req.method + ' ' + path)
  req.resume()
  if (path.startsWith('/once/')) {
    const n = (seen.get(path) ?? 0) + 1
    seen.set(path, n)
    if (n === 1) return void held.push(res)
  }
  if (path === '/hold') return void held.push(res)
  if (path === '/slow') {
    setTimeout(() => res.end('ok'), Number(url.searchParams.get('ms') ?? 5))
    return
  }
  if (path === '/retry-after') {
    res.writeHead(503, { 'Retry-After': url.searchParams.get('v') ?? '1' })
    return void res.end('busy')
  }
  if (path === '/chunks') {
    res.writeHead(Number(url.searchParams.get('status') ?? 200))
    res.write('a')
    setTimeout(() => res.end('b'), 5)
    return
  }
  res.end('ok')
}

function releaseAll(): void {
  for (const res of held.splice(0)) if (!res.destroyed) res.end('released')
}

async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (test()) return
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error('timed out waiting for ' + what)
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: Error & { code?: string }) => ({ ok: false as const, error }),
  )

const count = (entry: string) => arrivals.filter((a) => a === entry).length

beforeAll(async () => {
  server = await startHttpServer(handle)
})

afterAll(async () => {
  await server.close()
})

beforeEach(() => {
  host = createWxHost({ http: { backgroundGrace: 50 } })
  restore = host.install()
  arrivals = []
  seen.clear()
})

afterEach(async () => {
  releaseAll()
  await until(() => server.inFlight === 0, 'server idle')
  // No listener of the app is left behind by any pool.
  expect(host.listeners()).toEqual({})
  restore()
  await host.close()
})

function makePool(options: Parameters<typeof createRequestPool>[0] = {}): RequestPool {
  return createRequestPool({ baseURL: server.url, allowInsecure: true, ...options })
}

describe('1. the app goes to the background', () => {
  it('a GET on the wire when the app hides resolves after show, with no retry spent', async () => {
    const pool = makePool({ retry: { limit: 2, delay: 1 } })
    const call = settle(pool.request({ url: '/once/get' }))
    await until(() => held.length === 1, 'the GET on the wire')
    host.hide()
    // WeChat cuts it after the grace period; the pool puts it back and holds it.
    await until(() => held[0].destroyed && pool.size === 1, 'the GET cut and queued again')
    expect(count('GET /once/get')).toBe(1)
    host.show()
    const result = await call
    expect(result.ok).toBe(true)
    expect(count('GET /once/get')).toBe(2)
    expect(pool.getStats()).toMatchObject({ retried: 0, failed: 0, done: 1 })
  })

  it('a POST interrupted on the wire rejects with ERR_INTERRUPTED and is never sent again', async () => {
    const pool = makePool()
    const call = settle(pool.request({ url: '/once/post', method: 'POST', data: { a: 1 } }))
    await until(() => held.length === 1, 'the POST on the wire')
    host.hide()
    const result = await call
    expect(!result.ok && result.error.code).toBe('ERR_INTERRUPTED')
    host.show()
    await pool.onIdle()
    expect(count('POST /once/post')).toBe(1)
  })

  it('holds calls made while hidden until show', async () => {
    const pool = makePool()
    const first = settle(pool.request({ url: '/once/first' }))
    await until(() => held.length === 1, 'a call on the wire')
    host.hide()
    await until(() => pool.size === 1, 'the cut call queued again')
    const later = settle(pool.request({ url: '/ok' }))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(pool.size).toBe(2)
    expect(count('GET /ok')).toBe(0)
    host.show()
    expect((await first).ok).toBe(true)
    expect((await later).ok).toBe(true)
    expect(pool.getStats()).toMatchObject({ retried: 0, failed: 0 })
  })
})

describe('2. offline reported late, or never', () => {
  it.each([0, 50, 300, 'never'] as const)(
    'status event %s ms after the failures: no retry spent, no POST failed unsent, every GET ok',
    async (delay) => {
      host.networkEventDelay = delay
      const pool = makePool({ concurrency: 3, retry: { limit: 2, delay: 1 } })
      const gets = Array.from({ length: 30 }, () => settle(pool.request({ url: '/slow?ms=20' })))
      const posts = Array.from({ length: 6 }, () =>
        settle(pool.request({ url: '/slow?ms=20', method: 'POST', data: 'x' })),
      )
      await until(() => arrivals.length >= 4, 'a few calls on the wire')
      host.setNetwork({ isConnected: false })
      // The failures come first; the pool holds everything that was not answered.
      await until(() => pool.pending === 0 && pool.size > 0, 'everything held')
      const whileOffline = arrivals.length
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(arrivals.length).toBe(whileOffline)
      host.setNetwork({ isConnected: true })
      const results = await Promise.all([...gets, ...posts])
      expect(results.every((r) => r.ok)).toBe(true)
      expect(pool.getStats()).toMatchObject({ retried: 0, failed: 0, done: 36 })
      // Held calls asked getNetworkType again instead of feeding the queue into failures.
      expect(host.calls.filter((c) => c.api === 'getNetworkType').length).toBeGreaterThan(0)
    },
  )
})

describe('3. an idle pool costs no round trip per request', () => {
  it('makes at most 1.1 wx calls per request beyond the request itself', async () => {
    const pool = makePool()
    await pool.request({ url: '/ok' })
    const before = host.calls.length
    const N = 50
    for (let i = 0; i < N; i++) await pool.request({ url: '/ok' })
    const made = host.calls.slice(before).filter((c) => !/[A-Z]\w*Task\.|^[A-Z]/.test(c.api))
    const extra = made.filter((c) => c.api !== 'request')
    expect(made.filter((c) => c.api === 'request')).toHaveLength(N)
    expect(extra.length / N).toBeLessThanOrEqual(1.1)
    expect(extra.map((c) => c.api)).not.toContain('getNetworkType')
  })
})

describe('4. allowedHosts reads the host as the platform does', () => {
  it('refuses http://127.0.0.1:PORT\\@api.good.example/x and sends nothing', async () => {
    const pool = createRequestPool({
      allowInsecure: true,
      allowedHosts: ['api.good.example'],
      header: { Authorization: 'Bearer secret' },
    })
    const port = new URL(server.url).port
    const result = await settle(
      pool.request({ url: 'http://127.0.0.1:' + port + '\\@api.good.example/x' }),
    )
    expect(!result.ok && result.error).toBeInstanceOf(TypeError)
    expect(arrivals).toEqual([])
  })
})

describe('5. timers', () => {
  it('refuses a timeout a timer cannot wait, naming the field', async () => {
    expect(() => makePool({ timeout: Number.MAX_SAFE_INTEGER })).toThrow(
      /createRequestPool: `options.timeout` must be/,
    )
    const pool = makePool()
    const result = await settle(pool.request({ url: '/ok', timeout: 2147483648 }))
    expect(!result.ok && result.error.message).toMatch(/request: `options.timeout` must be/)
    expect((await pool.request({ url: '/ok', timeout: 2147483647 })).statusCode).toBe(200)
    expect((await pool.request({ url: '/ok', timeout: Infinity })).statusCode).toBe(200)
  })

  it('waits the longest a timer can for a Retry-After beyond 2^31 - 1 ms instead of none', async () => {
    const delays: number[] = []
    const pool = makePool({
      retry: { maxRetryAfter: Infinity, shouldRetry: ({ delay }) => void delays.push(delay) },
    })
    const call = pool.request({ url: '/retry-after?v=9999999' })
    await until(() => pool.getStats().backoff === 1, 'the call backing off')
    expect(delays).toEqual([2147483647])
    expect(count('GET /retry-after')).toBe(1)
    call.abort()
    expect((await settle(call)).ok).toBe(false)
  })
})

describe('6. Retry-After dates (RFC 9110)', () => {
  const now = Date.UTC(1994, 10, 6, 8, 49, 30)
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', 7000],
    ['Sunday, 06-Nov-94 08:49:37 GMT', 7000],
    ['Sun Nov  6 08:49:37 1994', 7000],
    ['Sun, 06 Nov 1994 08:49:60 GMT', 30000],
    ['Sun, 06 Nov 1994 08:49:00 GMT', 0],
    ['120', 120000],
  ])('%s → %d ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected)
  })

  it.each([
    'Sun, 06 Nov 1994 08:49:37 PST',
    'Sun, 31 Feb 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:00:00 GMT',
    '06 Nov 1994 08:49:37 GMT',
    '1994-11-06T08:49:37Z',
    'next tuesday',
    '-5',
  ])('%s falls back to backoff', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined()
  })

  it('reads asctime as GMT whatever the time zone', () => {
    const zone = process.env.TZ
    process.env.TZ = 'Asia/Shanghai'
    try {
      expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', now)).toBe(7000)
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('reads a two-digit RFC 850 year with the 50-year rule', () => {
    const in2030 = Date.UTC(2030, 0, 1)
    // '79 is 2079 (49 years ahead), '81 is 1981 (2081 would be more than 50 years ahead).
    expect(parseRetryAfter('Sunday, 01-Jan-79 00:00:00 GMT', in2030)).toBe(
      Date.UTC(2079, 0, 1) - in2030,
    )
    expect(parseRetryAfter('Thursday, 01-Jan-81 00:00:01 GMT', in2030)).toBe(0)
  })
})

describe('7. every call settles', () => {
  it('refuses a signal without removeEventListener, naming the field', async () => {
    const pool = makePool()
    const signal = { aborted: false, addEventListener: () => undefined }
    const result = await settle(pool.request({ url: '/ok', signal } as never))
    expect(!result.ok && result.error.message).toMatch(/request: `options.signal` must be/)
    await pool.onIdle()
    expect(arrivals).toEqual([])
  })

  it('rejects when a callback of the caller throws inside a wx callback', async () => {
    const pool = makePool()
    const boom = new Error('boom')
    const result = await settle(
      pool.request({
        url: '/ok',
        onHeadersReceived: () => {
          throw boom
        },
      }),
    )
    expect(!result.ok && result.error).toBe(boom)
    await pool.onIdle()
    expect(pool.getStats()).toMatchObject({ failed: 1, inFlight: 0 })
  })
})

describe('11. one network listener however many subscribers', () => {
  it('leaves one onNetworkStatusChange listener on a wx without offNetworkStatusChange', async () => {
    const wx = host.wx as unknown as Record<string, unknown>
    delete wx.offNetworkStatusChange
    for (let i = 0; i < 50; i++) {
      // A new pool knows nothing yet, so each one listens while it works.
      const pool = makePool()
      await pool.request({ url: '/ok' })
      networkStatus$.subscribe().unsubscribe()
    }
    expect(host.listenerCount('onNetworkStatusChange')).toBe(1)
    // That one stays registered for good (wx cannot remove it): this host is done.
    restore()
    await host.close()
    host = createWxHost()
    restore = host.install()
  })
})

describe('streaming contract: onChunkReceived', () => {
  it('asks wx for chunks and delivers them; a call that got a chunk is never retried', async () => {
    const pool = makePool({ retry: { limit: 3, delay: 1 } })
    const chunks: string[] = []
    const onChunkReceived = (data: ArrayBuffer) => chunks.push(Buffer.from(data).toString())
    const ok = await pool.request({ url: '/chunks', onChunkReceived })
    expect(chunks.join('')).toBe('ab')
    expect(ok.statusCode).toBe(200)
    const request = host.calls.find((c) => c.api === 'request')
    expect((request?.args[0] as { enableChunked?: boolean }).enableChunked).toBe(true)
    const failed = await settle(pool.request({ url: '/chunks?status=503', onChunkReceived }))
    expect(!failed.ok && failed.error.code).toBe('ERR_HTTP_STATUS')
    expect(count('GET /chunks')).toBe(2)
  })

  it('fails with ERR_NOT_SUPPORTED when the task has no onChunkReceived', async () => {
    const wx = host.wx as unknown as Record<string, (o: unknown) => Record<string, unknown>>
    const request = wx.request
    wx.request = (options) => {
      const task = request(options)
      delete task.onChunkReceived
      return task
    }
    const pool = makePool()
    const result = await settle(pool.request({ url: '/slow', onChunkReceived: () => undefined }))
    expect(!result.ok && isWxError(result.error) && result.error.code).toBe('ERR_NOT_SUPPORTED')
    await pool.onIdle()
  })
})
