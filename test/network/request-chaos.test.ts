// Chaos: a real server that fails half of the requests in the ways phones see (503 with and
// without Retry-After, connection resets, stalls past the timeout), 1000 GETs and 200 POSTs
// through one pool and the wx host. Seeded, so every run sees the same server.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRequestPool, isHttpError, isTimeoutError, isWxError } from 'miniprogram-rx'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { startHttpServer, type TestHttpServer } from '../helpers/servers'

/** mulberry32: a small seeded PRNG. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Fault = 'none' | '503' | '503-retry-after' | 'reset' | 'stall'

/**
 * Each request id draws its fault once: 15% 503, 15% 503 with Retry-After, 10% reset, 10%
 * stall, 50% none. A faulted request gets its fault on the first attempt, and again on each
 * later attempt with probability 0.2 (a flaky server that mostly recovers); so a few requests
 * stay faulty through all four attempts and must fail cleanly.
 */
function planFaults(count: number, random: () => number): Fault[] {
  const plan: Fault[] = []
  for (let i = 0; i < count; i++) {
    const r = random()
    plan.push(
      r < 0.15
        ? '503'
        : r < 0.3
          ? '503-retry-after'
          : r < 0.4
            ? 'reset'
            : r < 0.5
              ? 'stall'
              : 'none',
    )
  }
  return plan
}

const GETS = 1000
const POSTS = 200
const CONCURRENCY = 5
const TIMEOUT = 40

let server: TestHttpServer
let host: WxHost
let restore: () => void
const random = seeded(20240607)
const plan = planFaults(GETS + POSTS, random)
const attempts = new Map<string, number>()
const postsSeen = new Map<string, number>()

function handle(req: IncomingMessage, res: ServerResponse): void {
  const id = (req.url ?? '').slice(1)
  const n = (attempts.get(id) ?? 0) + 1
  attempts.set(id, n)
  if (req.method === 'POST') postsSeen.set(id, (postsSeen.get(id) ?? 0) + 1)
  let fault = plan[Number(id)]
  // Keyed by (id, attempt), not by arrival order, so the server is the same on every run.
  if (n > 1 && fault !== 'none' && seeded(Number(id) * 7919 + n)() >= 0.2) fault = 'none'
  req.resume()
  switch (fault) {
    case '503':
      res.writeHead(503).end('busy')
      return
    case '503-retry-after':
      res.writeHead(503, { 'Retry-After': '1' }).end('busy')
      return
    case 'reset':
      req.socket.destroy()
      return
    case 'stall':
      // Never answers: the client's timeout aborts it (and the server sees the close).
      return
    default:
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, n }))
  }
}

beforeAll(async () => {
  server = await startHttpServer(handle)
  host = createWxHost()
  restore = host.install()
})

afterAll(async () => {
  restore?.()
  await host?.close()
  await server?.close()
})

it('settles every call, >= 99% of GETs succeed, never over concurrency, POSTs sent once', async () => {
  const retryAfters: number[] = []
  const pool = createRequestPool({
    allowInsecure: true,
    baseURL: server.url,
    concurrency: CONCURRENCY,
    timeout: TIMEOUT,
    // Short delays keep the run in seconds; Retry-After: 1 (s) is clamped to 10 ms.
    retry: { limit: 3, delay: 2, factor: 2, maxDelay: 10, maxRetryAfter: 10, jitter: true },
    hooks: {
      beforeRetry: [
        (c) => {
          if (isHttpError(c.error) && c.error.header['Retry-After']) retryAfters.push(c.delay)
        },
      ],
    },
  })
  const gets = Array.from({ length: GETS }, (_, i) =>
    pool.request({ url: '/' + i }).then(
      (r) => ({ ok: true as const, n: (r.data as { n: number }).n }),
      (error: Error) => ({ ok: false as const, error }),
    ),
  )
  const posts = Array.from({ length: POSTS }, (_, i) =>
    // A longer timeout, so that a loaded machine cannot time a POST out before it arrives.
    pool.request({ url: '/' + (GETS + i), method: 'POST', data: { i }, timeout: 300 }).then(
      () => true,
      (error: Error) => {
        expect(isWxError(error)).toBe(true)
        return false
      },
    ),
  )
  const getResults = await Promise.all(gets)
  const postResults = await Promise.all(posts)
  await pool.onIdle()

  const ok = getResults.filter((r) => r.ok).length
  if (process.env.CHAOS_REPORT) {
    console.log({
      ok,
      maxInFlight: server.maxInFlight,
      received: server.received,
      ...pool.getStats(),
    })
  }
  expect(ok / GETS).toBeGreaterThanOrEqual(0.99)
  for (const r of getResults) {
    if (!r.ok) {
      expect(isHttpError(r.error) || isTimeoutError(r.error) || isWxError(r.error)).toBe(true)
    }
  }
  // Retries really happened, of every kind, and server-given delays were clamped.
  expect(getResults.some((r) => r.ok && r.n > 1)).toBe(true)
  expect(retryAfters.length).toBeGreaterThan(0)
  expect(retryAfters.every((d) => d === 10)).toBe(true)
  // The server never had more than `concurrency` requests at once, nor had the wx host.
  expect(server.maxInFlight).toBeLessThanOrEqual(CONCURRENCY)
  expect(host.http.maxInFlight).toBeLessThanOrEqual(CONCURRENCY)
  // Each POST reached the server exactly once, whatever happened to it.
  expect(postsSeen.size).toBe(POSTS)
  expect([...postsSeen.values()].every((count) => count === 1)).toBe(true)
  expect(postResults.filter(Boolean).length).toBe(
    plan.slice(GETS).filter((fault) => fault === 'none').length,
  )
  const stats = pool.getStats()
  expect(stats.done + stats.failed).toBe(GETS + POSTS)
  expect(stats).toMatchObject({ queued: 0, inFlight: 0, backoff: 0, cancelled: 0 })
  expect(host.listeners()).toEqual({})
})
