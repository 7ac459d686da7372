// The pool's state machine against a scripted wx and fake timers: every answer, every timer
// and every network change happens exactly when the test says so.
import { createRequestPool, isAbortError, isHttpError, isTimeoutError } from 'miniprogram-rx'
import type { RequestPoolStats, RetryContext } from 'miniprogram-rx'
import { createPoolFakeWx, flush, type PoolFakeWx } from './pool-fake-wx'

let fake: PoolFakeWx
let restore: () => void

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] })
  fake = createPoolFakeWx()
  restore = fake.install()
})

afterEach(async () => {
  await flush()
  // Every test leaves its pools idle: no network listener, no transfer listener, no timer.
  expect(fake.networkListeners()).toBe(0)
  expect(fake.transfers.filter((t) => t.listenerCount > 0 && !t.settled && !t.aborted)).toEqual([])
  expect(jest.getTimerCount()).toBe(0)
  restore()
  jest.useRealTimers()
})

const url = (path: string) => 'https://api.test' + path
const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error }),
  )

/** Lets the pool read the network state and send what it can. */
async function tick(ms = 0): Promise<void> {
  await flush()
  await jest.advanceTimersByTimeAsync(ms)
  await flush()
}

describe('slots and order', () => {
  it('never has more than `concurrency` calls on the wire and starts the next when one ends', async () => {
    const pool = createRequestPool({ concurrency: 2 })
    const calls = [1, 2, 3, 4, 5].map((i) => settle(pool.request({ url: url('/' + i) })))
    await tick()
    expect(fake.open().map((t) => t.options.url)).toEqual([url('/1'), url('/2')])
    expect([pool.size, pool.pending]).toEqual([3, 2])
    fake.open()[0].respond()
    expect(fake.open().map((t) => t.options.url)).toEqual([url('/2'), url('/3')])
    while (fake.open().length) fake.open()[0].respond()
    expect((await Promise.all(calls)).every((r) => r.ok)).toBe(true)
    expect(fake.transfers).toHaveLength(5)
    await pool.onIdle()
    expect(fake.networkListeners()).toBe(0)
  })

  it('runs higher priority first and keeps call order within a priority', async () => {
    const pool = createRequestPool({ concurrency: 1 })
    const order = [
      ['/first', 0],
      ['/low-a', -1],
      ['/mid-a', 0],
      ['/high', 5],
      ['/mid-b', 0],
      ['/low-b', -1],
    ] as const
    const calls = [pool.request({ url: url('/first') })]
    await tick()
    for (const [path, priority] of order.slice(1)) {
      calls.push(pool.request({ url: url(path), priority }))
    }
    const sent: string[] = []
    while (fake.open().length) {
      const t = fake.open()[0]
      sent.push(t.options.url.slice(url('').length))
      t.respond()
    }
    await Promise.all(calls)
    expect(sent).toEqual(['/first', '/high', '/mid-a', '/mid-b', '/low-a', '/low-b'])
  })

  it('shares the slots between request, upload and download', async () => {
    const pool = createRequestPool({ concurrency: 2 })
    const a = pool.request({ url: url('/a') })
    const b = pool.uploadFile({ url: url('/b'), filePath: 'wxfile://tmp_1', name: 'f' })
    const c = pool.downloadFile({ url: url('/c') })
    await tick()
    expect(fake.open().map((t) => t.api)).toEqual(['request', 'uploadFile'])
    fake.open()[1].respond()
    expect(fake.open().map((t) => t.api)).toEqual(['request', 'downloadFile'])
    fake.open()[1].respond(200, 'c')
    fake.open()[0].respond()
    await Promise.all([a, b, c])
  })

  it('works with a wx that answers synchronously, without growing the stack', async () => {
    fake.onTransfer = (t) => t.respond(200, t.options.url)
    const pool = createRequestPool({ concurrency: 3 })
    const calls = Array.from({ length: 2000 }, (_, i) => pool.request({ url: url('/' + i) }))
    await tick()
    const results = await Promise.all(calls)
    expect(results[1999].data).toBe(url('/1999'))
    expect(pool.getStats()).toMatchObject({ done: 2000, queued: 0, inFlight: 0 })
  })
})

describe('cancel in every state', () => {
  it('removes a queued call without sending it', async () => {
    const pool = createRequestPool({ concurrency: 1 })
    const first = pool.request({ url: url('/1') })
    const second = pool.request({ url: url('/2') })
    await tick()
    second.abort()
    const r = await settle(second)
    expect(!r.ok && isAbortError(r.error)).toBe(true)
    expect(pool.size).toBe(0)
    fake.open()[0].respond()
    await first
    expect(fake.transfers.map((t) => t.options.url)).toEqual([url('/1')])
    expect(pool.getStats()).toMatchObject({ cancelled: 1, done: 1 })
  })

  it('aborts a running call and frees its slot at once', async () => {
    const pool = createRequestPool({ concurrency: 1 })
    const first = pool.request({ url: url('/1') })
    const second = pool.request({ url: url('/2') })
    await tick()
    const running = fake.transfers[0]
    first.abort()
    expect(running.aborted).toBe(true)
    expect(running.listenerCount).toBe(0)
    // the slot is free before wx reports the abort
    expect(fake.open().map((t) => t.options.url)).toEqual([url('/2')])
    const r = await settle(first)
    expect(!r.ok && isAbortError(r.error)).toBe(true)
    fake.open()[0].respond()
    await second
    expect(pool.getStats()).toMatchObject({ cancelled: 1, done: 1, failed: 0, retried: 0 })
  })

  it('clears the retry timer of a call backing off', async () => {
    const pool = createRequestPool({ retry: { delay: 1000 } })
    const call = pool.request({ url: url('/') })
    const outcome = settle(call)
    await tick()
    fake.transfers[0].respond(503)
    expect(pool.getStats()).toMatchObject({ backoff: 1, retried: 1 })
    call.abort()
    expect(pool.getStats()).toMatchObject({ backoff: 0, cancelled: 1 })
    await tick(60_000)
    expect(fake.transfers).toHaveLength(1)
    expect(jest.getTimerCount()).toBe(0)
    const r = await outcome
    expect(!r.ok && isAbortError(r.error)).toBe(true)
  })

  it('never queues a call cancelled while its async beforeRequest hook runs', async () => {
    let release!: () => void
    const pool = createRequestPool({
      hooks: { beforeRequest: [() => new Promise<void>((resolve) => (release = resolve))] },
    })
    const call = pool.request({ url: url('/') })
    const outcome = settle(call)
    await tick()
    call.abort()
    release()
    await tick()
    expect(fake.transfers).toHaveLength(0)
    expect((await outcome).ok).toBe(false)
    await pool.onIdle()
  })

  it('counts a call cancelled while its slot is handed on exactly once', async () => {
    const pool = createRequestPool({ concurrency: 1 })
    const a = pool.request({ url: url('/a') })
    const outcome = settle(a)
    const b = pool.request({ url: url('/b') })
    await tick()
    // /b starts inside /a's answer, before /a's result is delivered; it cancels /a there.
    fake.onTransfer = () => a.abort()
    fake.open()[0].respond(200)
    fake.onTransfer = undefined
    const r = await outcome
    expect(!r.ok && isAbortError(r.error)).toBe(true)
    fake.open()[0].respond(200)
    await b
    expect(pool.getStats()).toMatchObject({ cancelled: 1, done: 1, failed: 0, inFlight: 0 })
  })

  it('unsubscribing request$ aborts the task', async () => {
    const pool = createRequestPool()
    const next = jest.fn()
    const sub = pool.request$({ url: url('/') }).subscribe({ next, error: next })
    await tick()
    sub.unsubscribe()
    expect(fake.transfers[0].aborted).toBe(true)
    await tick()
    expect(next).not.toHaveBeenCalled()
    expect(pool.getStats()).toMatchObject({ cancelled: 1, inFlight: 0 })
  })

  it('sends nothing before subscribe (cold) and each subscribe sends again', async () => {
    const pool = createRequestPool()
    const source = pool.request$({ url: url('/') })
    await tick()
    expect(fake.transfers).toHaveLength(0)
    const got: number[] = []
    source.subscribe((r) => got.push(r.statusCode))
    source.subscribe((r) => got.push(r.statusCode))
    await tick()
    expect(fake.transfers).toHaveLength(2)
    fake.open().forEach((t) => t.respond(204))
    expect(got).toEqual([204, 204])
  })

  it('follows an AbortSignal-like option and detaches from it when done', async () => {
    const pool = createRequestPool()
    const controller = new AbortController()
    const add = jest.spyOn(controller.signal, 'addEventListener')
    const remove = jest.spyOn(controller.signal, 'removeEventListener')
    const a = pool.request({ url: url('/a'), signal: controller.signal })
    const b = pool.request({ url: url('/b'), signal: controller.signal })
    await tick()
    controller.abort()
    const results = await Promise.all([settle(a), settle(b)])
    expect(results.every((r) => !r.ok && isAbortError(r.error))).toBe(true)
    expect(fake.transfers.every((t) => t.aborted)).toBe(true)
    expect(add).toHaveBeenCalledTimes(2)
    expect(remove).toHaveBeenCalledTimes(2)
    const late = await settle(pool.request({ url: url('/c'), signal: controller.signal }))
    expect(!late.ok && isAbortError(late.error)).toBe(true)
    expect(fake.transfers).toHaveLength(2)
  })
})

describe('retry', () => {
  it('retries a GET on 503 with exponential backoff, capped', async () => {
    const pool = createRequestPool({ retry: { limit: 4, delay: 100, factor: 3, maxDelay: 1000 } })
    const call = settle(pool.request({ url: url('/') }))
    await tick()
    for (let i = 0; i < 4; i++) {
      fake.transfers[i].respond(503)
      await tick(5000)
    }
    fake.transfers[4].respond(200)
    expect((await call).ok).toBe(true)
    const gaps = fake.transfers.slice(1).map((t, i) => t.at - fake.transfers[i].endedAt)
    expect(gaps).toEqual([100, 300, 900, 1000])
    expect(pool.getStats()).toMatchObject({ retried: 4, done: 1, failed: 0 })
  })

  it('fails with HttpError (status, data, header, request) once the limit is reached', async () => {
    const pool = createRequestPool({ retry: 1 })
    const call = settle(pool.request({ url: url('/x'), method: 'put' as 'PUT' }))
    await tick()
    fake.transfers[0].respond(500)
    await tick(10_000)
    fake.transfers[1].respond(502, { why: 'down' }, { 'X-Id': '7' })
    const r = await call
    expect(r.ok).toBe(false)
    if (r.ok || !isHttpError(r.error)) throw new Error('expected HttpError')
    expect(r.error.statusCode).toBe(502)
    expect(r.error.data).toEqual({ why: 'down' })
    expect(r.error.header).toEqual({ 'X-Id': '7' })
    expect(r.error.request).toEqual({ method: 'PUT', url: url('/x') })
    expect(fake.transfers).toHaveLength(2)
  })

  it('honours Retry-After (seconds or HTTP date, any case) without jitter, clamped by maxRetryAfter', async () => {
    jest.setSystemTime(Date.UTC(2030, 0, 1))
    const delays: number[] = []
    const pool = createRequestPool({
      retry: { limit: 3, jitter: true, random: () => 0.5, maxRetryAfter: 5000 },
      hooks: { beforeRetry: [(c) => void delays.push(c.delay)] },
    })
    const call = settle(pool.request({ url: url('/') }))
    await tick()
    fake.transfers[0].respond(429, '', { 'retry-after': '2' })
    await tick(2000)
    const date = new Date(Date.now() + 3000).toUTCString()
    fake.transfers[1].respond(503, '', { 'RETRY-AFTER': date })
    await tick(3000)
    fake.transfers[2].respond(503, '', { 'Retry-After': '3600' })
    await tick(5000)
    fake.transfers[3].respond(200)
    expect((await call).ok).toBe(true)
    expect(delays).toEqual([2000, 3000, 5000])
    const gaps = fake.transfers.slice(1).map((t, i) => t.at - fake.transfers[i].endedAt)
    expect(gaps).toEqual([2000, 3000, 5000])
  })

  it('applies jitter from the given random source', async () => {
    const delays: number[] = []
    const pool = createRequestPool({
      retry: { delay: 1000, jitter: 0.5, random: () => 1 },
      hooks: { beforeRetry: [(c) => void delays.push(c.delay)] },
    })
    const call = settle(pool.request({ url: url('/') }))
    await tick()
    fake.transfers[0].respond(500)
    await tick(1000)
    fake.transfers[1].respond(500)
    await tick(1000)
    fake.transfers[2].respond(200)
    await call
    expect(delays).toEqual([500, 1000])
  })

  it('never retries a POST unless the caller opts in', async () => {
    const pool = createRequestPool()
    const post = settle(pool.request({ url: url('/'), method: 'POST' }))
    await tick()
    fake.transfers[0].respond(503)
    const r = await post
    expect(!r.ok && isHttpError(r.error)).toBe(true)
    fake.transfers.length = 0

    const optIn = settle(
      pool.request({ url: url('/'), method: 'POST', retry: { methods: ['post'], delay: 10 } }),
    )
    await tick()
    fake.transfers[0].fail()
    await tick(10)
    fake.transfers[1].respond(201)
    expect((await optIn).ok).toBe(true)
  })

  it('never retries an upload (a POST) by default', async () => {
    const pool = createRequestPool()
    const up = settle(pool.uploadFile({ url: url('/'), filePath: 'wxfile://tmp_1', name: 'f' }))
    await tick()
    fake.transfers[0].fail()
    expect((await up).ok).toBe(false)
    expect(fake.transfers).toHaveLength(1)
  })

  it('lets shouldRetry overrule the defaults both ways, never past the limit', async () => {
    const seen: Array<{ attempt: number; retryable: boolean }> = []
    const pool = createRequestPool({
      retry: {
        limit: 2,
        delay: 1,
        shouldRetry: (c: RetryContext & { retryable: boolean }) => {
          seen.push({ attempt: c.attempt, retryable: c.retryable })
          return isHttpError(c.error) && c.error.statusCode === 418
        },
      },
    })
    const teapot = settle(pool.request({ url: url('/'), method: 'POST' }))
    await tick()
    fake.transfers[0].respond(418)
    await tick(10)
    fake.transfers[1].respond(418)
    await tick(10)
    fake.transfers[2].respond(418)
    expect((await teapot).ok).toBe(false)
    expect(fake.transfers).toHaveLength(3)
    expect(seen).toEqual([
      { attempt: 1, retryable: false },
      { attempt: 2, retryable: false },
    ])
    const get = settle(pool.request({ url: url('/') }))
    await tick()
    fake.transfers[3].respond(503)
    expect((await get).ok).toBe(false)
    expect(fake.transfers).toHaveLength(4)
  })

  it('retries network failures but not a wx abort', async () => {
    const pool = createRequestPool({ retry: { delay: 1 } })
    const call = settle(pool.request({ url: url('/') }))
    await tick()
    fake.transfers[0].fail('request:fail -101:net::ERR_CONNECTION_RESET', 600001)
    await tick(1)
    fake.transfers[1].fail('request:fail abort')
    const r = await call
    expect(!r.ok && isAbortError(r.error)).toBe(true)
    expect(fake.transfers).toHaveLength(2)
  })

  it('does not hold a slot while backing off', async () => {
    const pool = createRequestPool({ concurrency: 1, retry: { delay: 1000 } })
    const a = settle(pool.request({ url: url('/a') }))
    const b = settle(pool.request({ url: url('/b') }))
    await tick()
    fake.transfers[0].respond(503)
    expect(fake.open().map((t) => t.options.url)).toEqual([url('/b')])
    expect(pool.getStats()).toMatchObject({ inFlight: 1, backoff: 1, queued: 0 })
    fake.open()[0].respond(200)
    expect((await b).ok).toBe(true)
    await tick(1000)
    fake.open()[0].respond(200)
    expect((await a).ok).toBe(true)
  })

  it('puts a retry at the front of its priority', async () => {
    const pool = createRequestPool({ concurrency: 1, retry: { delay: 10 } })
    const calls = ['/a', '/b', '/c'].map((p) => pool.request({ url: url(p) }))
    await tick()
    fake.open()[0].respond(503) // /a backs off, /b starts
    await tick(10) // /a is queued again, ahead of /c
    fake.open()[0].respond(200) // /b
    fake.open()[0].respond(200) // /a again
    fake.open()[0].respond(200) // /c
    await Promise.all(calls)
    expect(fake.transfers.map((t) => t.options.url.slice(-2))).toEqual(['/a', '/b', '/a', '/c'])
  })

  it('accepts what validateStatus accepts', async () => {
    const pool = createRequestPool()
    const call = pool.request({ url: url('/'), validateStatus: (s) => s === 404 })
    await tick()
    fake.transfers[0].respond(404, 'missing')
    expect((await call).data).toBe('missing')
  })
})

describe('timeout', () => {
  it('aborts the attempt after `timeout` ms on the wire, with TimeoutError, and retries it', async () => {
    const pool = createRequestPool({ concurrency: 1, retry: { limit: 1, delay: 50 } })
    const blocker = pool.request({ url: url('/blocker') })
    const call = settle(pool.request({ url: url('/slow'), timeout: 1000 }))
    await tick(5000) // queued time does not count
    fake.transfers[0].respond()
    await blocker
    expect(fake.transfers[1].options.timeout).toBe(1000)
    await tick(999)
    expect(fake.transfers[1].aborted).toBe(false)
    await tick(1)
    expect(fake.transfers[1].aborted).toBe(true)
    expect(pool.getStats()).toMatchObject({ inFlight: 0, backoff: 1 })
    await tick(50 + 1000)
    const r = await call
    expect(!r.ok && isTimeoutError(r.error)).toBe(true)
    expect(fake.transfers).toHaveLength(3)
  })

  it('uses the pool timeout when the call gives none', async () => {
    const pool = createRequestPool({ timeout: 200, retry: false })
    const call = settle(pool.request({ url: url('/') }))
    await tick(200)
    const r = await call
    expect(!r.ok && isTimeoutError(r.error) && /200 ms/.test(r.error.message)).toBe(true)
  })
})

describe('offline', () => {
  it('holds queued calls while offline and sends them when the network is back', async () => {
    fake.setOnline(false)
    const offline = createPoolFakeWx(false)
    restore()
    fake = offline
    restore = fake.install()
    const pool = createRequestPool()
    const call = pool.request({ url: url('/') })
    await tick(60_000)
    expect(fake.transfers).toHaveLength(0)
    expect(pool.size).toBe(1)
    expect(fake.networkListeners()).toBe(1)
    fake.setOnline(true)
    expect(fake.transfers).toHaveLength(1)
    fake.transfers[0].respond()
    await call
    await pool.onIdle()
    expect(fake.networkListeners()).toBe(0)
    expect(pool.getStats().retried).toBe(0)
  })

  it('spends no retry on a failure while offline, and no retry leaves while offline', async () => {
    const pool = createRequestPool({ retry: { limit: 1, delay: 10 } })
    const call = settle(pool.request({ url: url('/') }))
    await tick()
    fake.setOnline(false)
    fake.transfers[0].fail('request:fail -106:net::ERR_INTERNET_DISCONNECTED', 600001)
    await tick(60_000)
    expect(fake.transfers).toHaveLength(1)
    expect(pool.getStats()).toMatchObject({ queued: 1, retried: 0 })
    fake.setOnline(true)
    fake.transfers[1].respond(503)
    await tick(10)
    fake.transfers[2].respond(200)
    expect((await call).ok).toBe(true)
    expect(pool.getStats().retried).toBe(1)
  })

  it('holds a retry whose delay ends while offline', async () => {
    const pool = createRequestPool({ retry: { delay: 100 } })
    const call = settle(pool.request({ url: url('/') }))
    await tick()
    fake.transfers[0].respond(503)
    fake.setOnline(false)
    await tick(10_000)
    expect(fake.transfers).toHaveLength(1)
    fake.setOnline(true)
    fake.transfers[1].respond(200)
    expect((await call).ok).toBe(true)
  })

  it('sends at once, without listening to the network, when waitForNetwork is false', async () => {
    fake.setOnline(false)
    const pool = createRequestPool({ waitForNetwork: false })
    const call = pool.request({ url: url('/') })
    expect(fake.transfers).toHaveLength(1)
    expect(fake.networkListeners()).toBe(0)
    fake.transfers[0].respond()
    await call
  })

  it('leaves no network listener once idle', async () => {
    const pool = createRequestPool()
    const calls = [pool.request({ url: url('/1') }), pool.request({ url: url('/2') })]
    await tick()
    expect(fake.networkListeners()).toBe(1)
    fake.open().forEach((t) => t.respond())
    await Promise.all(calls)
    expect(fake.networkListeners()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })
})

describe('stats and idle', () => {
  it('shows every transition of a call in stats$', async () => {
    const pool = createRequestPool({ retry: { delay: 10 } })
    const seen: RequestPoolStats[] = []
    const sub = pool.stats$.subscribe((s) => seen.push(s))
    const call = pool.request({ url: url('/') })
    await tick()
    fake.transfers[0].respond(503)
    await tick(10)
    fake.transfers[1].respond(200)
    await call
    sub.unsubscribe()
    const brief = seen.map((s) =>
      [s.queued, s.inFlight, s.backoff, s.done, s.failed, s.retried].join(''),
    )
    // queued, running, backoff, queued again, running, finishing, done
    expect(brief).toEqual([
      '000000',
      '100000',
      '010000',
      '001001',
      '100001',
      '010001',
      '000001',
      '000101',
    ])
  })

  it('onIdle resolves when nothing is queued, running or backing off', async () => {
    const pool = createRequestPool({ retry: { delay: 100 } })
    await pool.onIdle()
    const call = pool.request({ url: url('/') })
    let idle = false
    void pool.onIdle().then(() => (idle = true))
    await tick()
    fake.transfers[0].respond(503)
    await tick(50)
    expect(idle).toBe(false)
    await tick(50)
    fake.transfers[1].respond(200)
    await call
    await flush()
    expect(idle).toBe(true)
  })
})

describe('hooks', () => {
  it('beforeRequest sees merged options and may change them, sync or async', async () => {
    const pool = createRequestPool({
      baseURL: 'https://api.test/v1/',
      header: { 'X-App': 'demo', Accept: 'text/plain' },
      hooks: {
        beforeRequest: [
          (o) => {
            o.header['X-Seen'] = o.url
          },
          async (o) => ({ ...o, header: { ...o.header, Authorization: 'Bearer t' } }),
        ],
      },
    })
    const call = pool.request({ url: '/me', header: { accept: 'application/json' } })
    await tick()
    expect(fake.transfers[0].options.url).toBe('https://api.test/v1/me')
    expect(fake.transfers[0].options.header).toEqual({
      accept: 'application/json',
      'X-App': 'demo',
      'X-Seen': 'https://api.test/v1/me',
      Authorization: 'Bearer t',
    })
    fake.transfers[0].respond()
    await call
  })

  it('afterResponse may replace the result; beforeRetry may change the options', async () => {
    let token = 'old'
    const pool = createRequestPool({
      retry: { delay: 1, statusCodes: [401] },
      hooks: {
        beforeRequest: [(o) => void (o.header.Authorization = token)],
        afterResponse: [(r) => ({ ...r, data: { wrapped: r.data } })],
        beforeRetry: [
          async (c) => {
            token = 'new'
            c.options.header.Authorization = token
          },
        ],
      },
    })
    const call = pool.request({ url: url('/') })
    await tick()
    fake.transfers[0].respond(401)
    await tick(1)
    expect(fake.transfers[1].options.header.Authorization).toBe('new')
    fake.transfers[1].respond(200, 'x')
    expect((await call).data).toEqual({ wrapped: 'x' })
  })

  it('fails the call when a hook throws or rejects, always with an Error', async () => {
    const thrower = createRequestPool({
      hooks: {
        beforeRequest: [
          () => {
            throw new Error('no token')
          },
        ],
      },
    })
    const r1 = await settle(thrower.request({ url: url('/') }))
    expect(!r1.ok && r1.error.message).toBe('no token')
    const rejecter = createRequestPool({ hooks: { afterResponse: [() => Promise.reject('nope')] } })
    const p = settle(rejecter.request({ url: url('/') }))
    await tick()
    fake.open()[0].respond()
    const r2 = await p
    expect(!r2.ok && r2.error instanceof Error).toBe(true)
    expect(rejecter.getStats()).toMatchObject({ failed: 1, done: 0 })
  })

  it('checks again what a hook changed: method, timeout, url', async () => {
    const broken = (change: (o: Record<string, any>) => void) =>
      settle(
        createRequestPool({ hooks: { beforeRequest: [(o) => void change(o)] } }).request({
          url: url('/'),
        }),
      )
    const method = await broken((o) => (o.method = 'FETCH'))
    expect(!method.ok && method.error.message).toMatch(/`options.method` must be one of/)
    const timeout = await broken((o) => (o.timeout = -1))
    expect(!timeout.ok && timeout.error.message).toMatch(/`options.timeout`/)
    const insecure = await broken((o) => (o.url = 'http://api.test/'))
    expect(!insecure.ok && insecure.error.message).toMatch(/must be https/)
    expect(fake.transfers).toHaveLength(0)
  })

  it('keeps abort and progress working through async hooks', async () => {
    let release!: () => void
    const pool = createRequestPool({
      hooks: {
        beforeRequest: [() => new Promise<void>((r) => (release = r))],
        afterResponse: [() => new Promise(() => {})], // never settles: only abort ends it
      },
    })
    const events: string[] = []
    const sub = pool
      .download$({ url: url('/f') })
      .subscribe((e) => events.push(e.type === 'progress' ? 'p' + e.progress : e.type))
    await tick()
    release()
    await tick()
    fake.transfers[0].progress(40)
    fake.transfers[0].progress(100)
    fake.transfers[0].respond(200, 'f')
    expect(events).toEqual(['p40', 'p100', 'headers'])
    await tick()
    expect(pool.getStats().inFlight).toBe(0)
    sub.unsubscribe()
    await pool.onIdle()
    expect(pool.getStats()).toMatchObject({ cancelled: 1 })
  })
})

describe('upload$ and download$', () => {
  it('emit progress, headers and one result event, then complete', async () => {
    const pool = createRequestPool()
    const events: unknown[] = []
    const complete = jest.fn()
    const onProgressUpdate = jest.fn()
    pool
      .upload$({ url: url('/up'), filePath: 'wxfile://tmp_1', name: 'file', onProgressUpdate })
      .subscribe({ next: (e) => events.push(e), complete })
    await tick()
    const t = fake.transfers[0]
    t.progress(50, 200)
    t.progress(100, 200)
    t.respond(200, 'stored', { 'x-id': '1' })
    expect(events).toEqual([
      { type: 'progress', progress: 50, totalBytesSent: 100, totalBytesExpectedToSend: 200 },
      { type: 'progress', progress: 100, totalBytesSent: 200, totalBytesExpectedToSend: 200 },
      { type: 'headers', header: { 'x-id': '1' }, statusCode: 200 },
      { type: 'result', errMsg: 'uploadFile:ok', statusCode: 200, data: 'stored' },
    ])
    expect(onProgressUpdate).toHaveBeenCalledTimes(2)
    expect(complete).toHaveBeenCalled()
    expect(t.listenerCount).toBe(0)
    expect(t.options.method).toBeUndefined()
  })

  it('download$ errors with HttpError whose data is the file path, using the headers event for Retry-After', async () => {
    const delays: number[] = []
    const pool = createRequestPool({ hooks: { beforeRetry: [(c) => void delays.push(c.delay)] } })
    const error = jest.fn()
    pool.download$({ url: url('/f'), retry: 1 }).subscribe({ error })
    await tick()
    fake.transfers[0].respond(503, 'a', { 'Retry-After': '7' })
    await tick(7000)
    fake.transfers[1].respond(404, 'b')
    expect(delays).toEqual([7000])
    expect(isHttpError(error.mock.calls[0][0])).toBe(true)
    expect(error.mock.calls[0][0].data).toBe('wxfile://tmp_b')
  })
})

describe('missing wx', () => {
  it('fails with "not supported" when wx has no request', async () => {
    delete fake.wx.request
    const pool = createRequestPool({ retry: 3 })
    const r = await settle(pool.request({ url: url('/') }))
    expect(!r.ok && r.error.message).toMatch(/^request:fail not supported/)
    expect(fake.transfers).toHaveLength(0)
  })
})
