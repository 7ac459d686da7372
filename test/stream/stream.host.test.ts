// stream$, text$, lines$, ndjson$ and sse$ through the request pool and the Node wx host
// against a real HTTP server on 127.0.0.1. Time (idle timeout, reconnection delay) runs on
// jest's fake timers while the I/O stays real; waits are for events, never for wall time.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { lastValueFrom, toArray, type Observable, type Subscription } from 'rxjs'
import {
  createRequestPool,
  isHttpError,
  isTimeoutError,
  isWxError,
  lines$,
  ndjson$,
  setDefaultRequestPool,
  sse$,
  stream$,
  text$,
  type RequestPool,
  type SseEvent,
  type StreamEvent,
} from '../../src'
import { createWxHost, type WxHost, type WxHostOptions } from '../../src/testing'
import { startHttpServer, type TestHttpServer } from '../helpers/servers'

let server: TestHttpServer
let host: WxHost
let restore: () => void
let pool: RequestPool
const subs: Subscription[] = []
/** Paths whose connection closed before the server finished the response. */
const cutShort: string[] = []
/** Last-Event-ID header of each /sse/reconnect connection. */
let lastEventIds: (string | undefined)[] = []
/** Responses held open by /hold, to finish or leave hanging. */
const held: ServerResponse[] = []

const STORY = 'Grüße 🙂 — 你好, мир!\r\nsecond line\rthird\n'

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '').split('?')[0]
  res.on('close', () => {
    if (!res.writableFinished) cutShort.push(path)
  })
  switch (path) {
    case '/story':
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      writeSlowly(res, [Buffer.from(STORY)], true)
      return
    case '/ndjson':
      res.writeHead(200, { 'content-type': 'application/x-ndjson' })
      writeSlowly(
        res,
        ['{"n":1}\n{"n"', ':2}\n\n{"n":3}'].map((s) => Buffer.from(s)),
        true,
      )
      return
    case '/bad-ndjson':
      res.writeHead(200)
      writeSlowly(
        res,
        ['{"n":1}\nnot json\n{"n":3}\n'].map((s) => Buffer.from(s)),
        true,
      )
      return
    case '/refused':
      res.writeHead(503, { 'content-type': 'text/plain' })
      writeSlowly(res, [Buffer.from('busy, '), Buffer.from('try later')], true)
      return
    case '/hold':
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(': hello\n\n')
      held.push(res)
      return
    case '/sse/reconnect': {
      const id = req.headers['last-event-id']
      lastEventIds.push(typeof id === 'string' ? id : undefined)
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      const n = lastEventIds.length
      res.end('retry: 20\nid: ' + n + '\nevent: tick\ndata: connection ' + n + '\n\n')
      return
    }
    case '/sse/http-error':
      res.writeHead(500)
      res.end('server error')
      return
  }
  res.writeHead(404)
  res.end()
}

// Writes `parts` one per macrotask, so the client sees separate chunks.
function writeSlowly(res: ServerResponse, parts: Buffer[], end: boolean): void {
  const next = (i: number) => {
    if (res.destroyed) return
    if (i === parts.length) {
      if (end) res.end()
      return
    }
    res.write(parts[i])
    setImmediate(() => next(i + 1))
  }
  next(0)
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    if (check()) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('never happened: ' + what)
}

// Moves fake time on in 5 ms steps, letting real I/O run between them, until `check` holds.
async function advanceUntil(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return
    jest.advanceTimersByTime(5)
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('never happened: ' + what)
}

function useHost(options: WxHostOptions = {}): void {
  restore()
  void host.close()
  host = createWxHost(options)
  restore = host.install()
}

beforeAll(async () => {
  server = await startHttpServer(handle)
})

afterAll(() => server.close())

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
  cutShort.length = 0
  lastEventIds = []
  host = createWxHost()
  restore = host.install()
  pool = createRequestPool({ allowInsecure: true, allowedHosts: ['127.0.0.1'] })
})

afterEach(async () => {
  for (const sub of subs.splice(0)) sub.unsubscribe()
  for (const res of held.splice(0)) res.destroy()
  await pool.onIdle()
  // Every stream test ends with nothing left registered on wx or on a task.
  expect(host.listenerCount()).toBe(0)
  expect(host.http.chunked.listenerCount).toBe(0)
  restore()
  await host.close()
  jest.useRealTimers()
})

const url = (path: string) => server.url + path

describe('stream$', () => {
  it('emits the headers first, then the chunks, then completes', async () => {
    const events = await lastValueFrom(stream$({ url: url('/story') }, { pool }).pipe(toArray()))
    expect(events[0]).toMatchObject({ type: 'headers', statusCode: 200 })
    expect((events[0] as { header: Record<string, string> }).header['content-type']).toMatch(
      /text\/plain/,
    )
    const chunks = events.slice(1) as Extract<StreamEvent, { type: 'chunk' }>[]
    expect(chunks.length).toBeGreaterThan(0)
    expect(chunks.every((e) => e.type === 'chunk')).toBe(true)
    expect(Buffer.concat(chunks.map((e) => Buffer.from(e.data))).toString()).toBe(STORY)
  })

  it('goes through the default pool when none is given', async () => {
    setDefaultRequestPool(pool)
    const before = pool.getStats().done
    await lastValueFrom(stream$({ url: url('/story') }))
    expect(pool.getStats().done).toBe(before + 1)
  })

  it('errors with HttpError whose data is the body read so far, never emitting it', async () => {
    const seen: StreamEvent[] = []
    const error = await new Promise<unknown>((resolve) =>
      subs.push(
        stream$({ url: url('/refused') }, { pool }).subscribe({
          next: (e) => seen.push(e),
          error: resolve,
          complete: () => resolve(undefined),
        }),
      ),
    )
    expect(isHttpError(error)).toBe(true)
    if (!isHttpError(error)) return
    expect(error.statusCode).toBe(503)
    expect(error.code).toBe('ERR_HTTP_STATUS')
    expect(Buffer.from(error.data as ArrayBuffer).toString()).toBe('busy, try later')
    expect(seen).toEqual([])
    const textError = await lastValueFrom(text$({ url: url('/refused') }, { pool })).catch(
      (e: unknown) => e,
    )
    expect(isHttpError(textError) && textError.data).toBe('busy, try later')
  })

  it('aborts the task when unsubscribed, and the server sees the connection close', async () => {
    const seen: StreamEvent[] = []
    subs.push(stream$({ url: url('/hold') }, { pool }).subscribe((e) => seen.push(e)))
    await until(() => seen.length === 2, 'the first chunk')
    expect(host.http.chunked.listenerCount).toBe(1)
    subs.pop()!.unsubscribe()
    await until(() => cutShort.includes('/hold'), 'the server to see the abort')
    expect(host.calls.some((c) => c.api === 'RequestTask.abort')).toBe(true)
    expect(pool.getStats().inFlight).toBe(0)
  })

  it('errors with TimeoutError after idleTimeout ms without data, and aborts', async () => {
    let error: unknown
    const seen: StreamEvent[] = []
    subs.push(
      stream$({ url: url('/hold'), idleTimeout: 1000 }, { pool }).subscribe({
        next: (e) => seen.push(e),
        error: (e) => (error = e),
      }),
    )
    await until(() => seen.length === 2, 'the first chunk')
    jest.advanceTimersByTime(999)
    expect(error).toBeUndefined()
    jest.advanceTimersByTime(1)
    expect(isTimeoutError(error)).toBe(true)
    expect((error as { code: string }).code).toBe('ERR_TIMEOUT')
    await until(() => cutShort.includes('/hold'), 'the server to see the abort')
  })

  it('fails with ERR_NOT_SUPPORTED on a base library without chunked requests', async () => {
    useHost({ http: { chunked: { supported: false } } })
    const error = await lastValueFrom(stream$({ url: url('/story') }, { pool })).catch(
      (e: unknown) => e,
    )
    expect(isWxError(error) && error.code).toBe('ERR_NOT_SUPPORTED')
  })

  it('errors with a TypeError naming the field for bad options', async () => {
    const bad: (() => Observable<unknown>)[] = [
      () => stream$({ url: '' }, { pool }),
      () => stream$({ url: url('/story'), idleTimeout: -1 }, { pool }),
      () => stream$({ url: url('/story') }, { pool: {} as RequestPool }),
      () => sse$({ url: url('/story'), reconnect: { limit: 1.5 } }, { pool }),
      () => sse$({ url: url('/story'), lastEventId: 3 as unknown as string }, { pool }),
    ]
    const messages: string[] = []
    for (const make of bad) {
      const error = await lastValueFrom(make()).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TypeError)
      messages.push((error as Error).message)
    }
    expect(messages).toEqual([
      expect.stringMatching(/^stream\$: `options.url` must be a non-empty string/),
      expect.stringMatching(/^stream\$: `options.idleTimeout` must be a number in \(0, /),
      expect.stringMatching(/^stream\$: `config.pool` must be a RequestPool/),
      expect.stringMatching(/^sse\$: `options.reconnect.limit` must be a whole number >= 0/),
      expect.stringMatching(/^sse\$: `options.lastEventId` must be a string/),
    ])
  })
})

describe('text$, lines$ and ndjson$', () => {
  it.each([1, 2, 3, 4, 5])(
    'decode the same text and lines whatever the chunks are cut into (seed %i)',
    async (seed) => {
      useHost({ http: { chunked: { split: { seed, maxSize: 3 } } } })
      const pieces = await lastValueFrom(text$({ url: url('/story') }, { pool }).pipe(toArray()))
      expect(pieces.length).toBeGreaterThan(5)
      expect(pieces.join('')).toBe(STORY)
      const lines = await lastValueFrom(lines$({ url: url('/story') }, { pool }).pipe(toArray()))
      expect(lines).toEqual(['Grüße 🙂 — 你好, мир!', 'second line', 'third'])
      expect(host.http.chunked.chunksSent).toBeGreaterThan(2 * pieces.length - 5)
    },
  )

  it('decode with their own decoder where TextDecoder is missing (old base libraries)', async () => {
    useHost({ http: { chunked: { split: { seed: 99, maxSize: 2 } } } })
    const g = globalThis as { TextDecoder?: unknown }
    const saved = g.TextDecoder
    delete g.TextDecoder
    try {
      expect(typeof TextDecoder).toBe('undefined')
      const pieces = await lastValueFrom(text$({ url: url('/story') }, { pool }).pipe(toArray()))
      expect(pieces.join('')).toBe(STORY)
    } finally {
      g.TextDecoder = saved
    }
  })

  it('ndjson$ parses each non-blank line, the last one without a line end too', async () => {
    const values = await lastValueFrom(ndjson$({ url: url('/ndjson') }, { pool }).pipe(toArray()))
    expect(values).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }])
  })

  it('ndjson$ errors on a line that is not JSON, after the lines before it', async () => {
    const seen: unknown[] = []
    const error = await new Promise<unknown>((resolve) =>
      subs.push(
        ndjson$({ url: url('/bad-ndjson') }, { pool }).subscribe({
          next: (value) => seen.push(value),
          error: resolve,
          complete: () => resolve(undefined),
        }),
      ),
    )
    expect(seen).toEqual([{ n: 1 }])
    expect(isWxError(error) && error.message).toMatch(/invalid json \(NDJSON line 2\)/)
  })
})

describe('sse$', () => {
  it('reconnects after the server retry with Last-Event-ID, and unsubscribing stops it', async () => {
    useHost({ http: { chunked: { split: { seed: 7, maxSize: 5 } } } })
    const events: SseEvent[] = []
    subs.push(sse$({ url: url('/sse/reconnect') }, { pool }).subscribe((e) => events.push(e)))
    await until(() => events.length === 1 && pool.getStats().inFlight === 0, 'the first end')
    expect(events[0]).toEqual({ type: 'tick', data: 'connection 1', lastEventId: '1' })
    // The server said `retry: 20`: nothing before 20 ms, a reconnection at 20 ms.
    jest.advanceTimersByTime(19)
    await until(() => lastEventIds.length === 1 && pool.getStats().queued === 0, 'no early call')
    expect(lastEventIds).toEqual([undefined])
    jest.advanceTimersByTime(1)
    await until(() => events.length === 2, 'the second event')
    expect(lastEventIds).toEqual([undefined, '1'])
    expect(events[1]).toEqual({ type: 'tick', data: 'connection 2', lastEventId: '2' })
    subs.pop()!.unsubscribe()
    jest.advanceTimersByTime(1000)
    expect(lastEventIds).toHaveLength(2)
  })

  it('completes when the server closes and reconnect is false', async () => {
    const events = await lastValueFrom(
      sse$({ url: url('/sse/reconnect'), reconnect: false }, { pool }).pipe(toArray()),
    )
    expect(events.map((e) => e.data)).toEqual(['connection 1'])
  })

  it('gives up after `limit` reconnections that bring no event', async () => {
    let done = false
    const events: SseEvent[] = []
    subs.push(
      sse$(
        { url: url('/hold'), idleTimeout: 50, reconnect: { delay: 10, limit: 2 } },
        { pool },
      ).subscribe({ next: (e) => events.push(e), error: () => (done = true) }),
    )
    // Each connection goes silent: idle timeout, wait 10 ms, reconnect; the third end is final.
    for (let attempt = 1; attempt <= 3; attempt++) {
      await advanceUntil(() => held.length === attempt, 'connection ' + attempt)
    }
    await advanceUntil(() => done, 'sse$ to give up')
    jest.advanceTimersByTime(1000)
    expect(held).toHaveLength(3)
    expect(events).toEqual([])
  })

  it('does not reconnect after an HTTP error status, which carries the body text', async () => {
    const error = await lastValueFrom(sse$({ url: url('/sse/http-error') }, { pool })).catch(
      (e: unknown) => e,
    )
    expect(isHttpError(error) && [error.statusCode, error.data]).toEqual([500, 'server error'])
  })

  it('waits while the app is hidden (the stream cut after 5 s) and reconnects on show', async () => {
    let error: unknown
    subs.push(
      sse$({ url: url('/hold'), reconnect: { delay: 10, limit: 0 } }, { pool }).subscribe({
        error: (e) => (error = e),
      }),
    )
    await until(() => held.length === 1, 'the first connection')
    host.hide()
    // WeChat cuts the request 5 s after the app hides; limit 0 would end sse$ on a counted retry.
    jest.advanceTimersByTime(5000)
    await until(() => cutShort.includes('/hold'), 'the interruption to reach the server')
    jest.advanceTimersByTime(60000)
    for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve))
    expect(held).toHaveLength(1)
    expect(error).toBeUndefined()
    host.show()
    await until(() => held.length === 2, 'the reconnection on show')
    expect(error).toBeUndefined()
  })

  it('waits while offline and reconnects as soon as the network is back', async () => {
    const events: SseEvent[] = []
    subs.push(
      sse$({ url: url('/sse/reconnect'), reconnect: { delay: 60000 } }, { pool }).subscribe((e) =>
        events.push(e),
      ),
    )
    await until(() => events.length === 1 && pool.getStats().inFlight === 0, 'the first end')
    host.setNetwork({ isConnected: false, networkType: 'none' })
    await until(() => host.listenerCount('onNetworkStatusChange') > 0, 'a network listener')
    jest.advanceTimersByTime(120000)
    expect(lastEventIds).toHaveLength(1)
    host.setNetwork({ isConnected: true, networkType: 'wifi' })
    await until(() => events.length === 2, 'the reconnection')
    expect(lastEventIds).toEqual([undefined, '1'])
  })
})
