// withDedupe through the Node wx host against a real HTTP server on 127.0.0.1 that holds
// `/held` answers until the test releases them.
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  createRequestPool,
  isAbortError,
  isHttpError,
  withDedupe,
  type DedupeOptions,
  type RequestPool,
} from 'miniprogram-rx'
import { useHostWithHttpServer } from '../helpers/installed-host'
import { until } from '../helpers/poll-until'

let arrivals: Array<{ url: string; method: string; headers: IncomingMessage['headers'] }> = []
let held: ServerResponse[] = []
let closedEarly = 0

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/'
  arrivals.push({ url, method: req.method ?? '', headers: req.headers })
  res.on('close', () => {
    if (!res.writableFinished) closedEarly++
  })
  if (url.startsWith('/held')) return void held.push(res)
  if (url.startsWith('/missing')) {
    res.writeHead(404, { 'content-type': 'application/json' })
    return void res.end('{"error":"missing"}')
  }
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ url, list: [{ id: 1 }, { id: 2 }] }))
}

function release(body: unknown = { list: [{ id: 1 }] }): void {
  for (const res of held.splice(0)) {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
}

function makeApi(options?: DedupeOptions): {
  bare: RequestPool
  api: ReturnType<typeof withDedupe>
} {
  const bare = createRequestPool({ allowInsecure: true, baseURL: server().url, retry: false })
  return { bare, api: withDedupe(bare, options) }
}

const { server, host } = useHostWithHttpServer(handle)
beforeEach(() => {
  arrivals = []
  held = []
  closedEarly = 0
})

describe('withDedupe', () => {
  it('sends 100 identical concurrent GETs as 1 wire request and answers all 100', async () => {
    const { api } = makeApi()
    const calls = Array.from({ length: 100 }, () => api.request({ url: '/items?page=1' }))
    const results = await Promise.all(calls)
    expect(arrivals).toHaveLength(1)
    expect(host().http.started).toBe(1)
    expect(results.every((r) => r.statusCode === 200 && r.data.list.length === 2)).toBe(true)
  })

  it('keeps serving the last caller when 99 of 100 abort, and aborts the wire when all leave', async () => {
    const { api, bare } = makeApi()
    const calls = Array.from({ length: 100 }, () => api.request({ url: '/held/a' }))
    await until(() => held.length === 1, 'the wire request')
    for (const call of calls.slice(0, 99)) call.abort()
    const aborted = await Promise.all(calls.slice(0, 99).map((c) => c.catch((e: Error) => e)))
    expect(aborted.every((e) => isAbortError(e))).toBe(true)
    release({ served: true })
    await expect(calls[99]).resolves.toMatchObject({ statusCode: 200, data: { served: true } })
    expect(arrivals).toHaveLength(1)

    const again = [api.request({ url: '/held/b' }), api.request({ url: '/held/b' })]
    await until(() => held.length === 1, 'the second wire request')
    again.forEach((call) => call.abort())
    const both = await Promise.all(again.map((c) => c.catch((e: Error) => e)))
    expect(both.every((e) => isAbortError(e))).toBe(true)
    await until(() => closedEarly === 1, 'the wire request aborted')
    await bare.onIdle()
    expect(bare.getStats().cancelled).toBe(1)
  })

  it('gives each caller its own copy, so one caller changing its data never changes another', async () => {
    const { api } = makeApi()
    const [a, b] = await Promise.all([api.request({ url: '/x' }), api.request({ url: '/x' })])
    expect(arrivals).toHaveLength(1)
    expect(a.data).toEqual(b.data)
    a.data.list[0].id = 99
    a.data.list.push({ id: 3 })
    expect(b.data.list).toEqual([{ id: 1 }, { id: 2 }])
  })

  it('detaches one subscriber of request$ without touching the others', async () => {
    const { api } = makeApi()
    const got: number[] = []
    const first = api.request$({ url: '/held/c' }).subscribe((r) => got.push(r.statusCode))
    const second = api.request$({ url: '/held/c' }).subscribe((r) => got.push(r.statusCode * 2))
    await until(() => held.length === 1, 'the wire request')
    first.unsubscribe()
    release()
    await until(() => got.length === 1, 'the answer')
    expect(got).toEqual([400])
    second.unsubscribe()
    expect(arrivals).toHaveLength(1)
  })

  it('shares a failure: every caller gets the HttpError', async () => {
    const { api } = makeApi()
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => api.request({ url: '/missing' }).catch((e: Error) => e)),
    )
    expect(arrivals).toHaveLength(1)
    expect(outcomes.every((e) => isHttpError(e) && e.statusCode === 404)).toBe(true)
  })

  it('tells requests apart by query, data, method and headers, but not by ignored headers', async () => {
    const { api } = makeApi({ ignoreHeaders: ['X-Trace'] })
    await Promise.all([
      api.request({ url: '/q?a=1' }),
      api.request({ url: '/q?a=2' }),
      api.request({ url: '/q', data: { b: 1, a: 2 } }),
      api.request({ url: '/q', data: { a: 2, b: 1 } }),
      api.request({ url: '/q', header: { Authorization: 'Bearer u1' } }),
      api.request({ url: '/q', header: { authorization: 'Bearer u2' } }),
      api.request({ url: '/q', header: { 'X-Trace': '1' } }),
      api.request({ url: '/q', header: { 'x-trace': '2' } }),
      api.request({ url: '/q', method: 'POST' }),
      api.request({ url: '/q', method: 'POST' }),
    ])
    // a=1, a=2, data {a,b}, u1, u2, plain /q (the traced ones), and two POSTs.
    expect(arrivals).toHaveLength(8)
  })

  it('lets a call opt out with dedupe: false and a POST opt in with dedupe: true', async () => {
    const { api } = makeApi()
    await Promise.all([
      api.request({ url: '/o' }),
      api.request({ url: '/o', dedupe: false }),
      api.request({ url: '/p', method: 'POST', data: { n: 1 }, dedupe: true }),
      api.request({ url: '/p', method: 'POST', data: { n: 1 }, dedupe: true }),
    ])
    expect(arrivals.map((a) => a.method + ' ' + a.url).sort()).toEqual([
      'GET /o',
      'GET /o',
      'POST /p',
    ])
  })

  it('starts a new wire request once the shared one has landed (it is not a cache)', async () => {
    const { api } = makeApi()
    await api.request({ url: '/z' })
    await api.request({ url: '/z' })
    expect(arrivals).toHaveLength(2)
  })

  it('passes uploads, downloads, header listeners and own validateStatus straight through', async () => {
    const { api } = makeApi()
    await Promise.all([
      api.downloadFile({ url: '/d' }),
      api.downloadFile({ url: '/d' }),
      api.request({ url: '/v', validateStatus: () => true }),
      api.request({ url: '/v', validateStatus: () => true }),
      api.request({ url: '/h', onHeadersReceived: () => undefined }),
      api.request({ url: '/h', onHeadersReceived: () => undefined }),
    ])
    expect(arrivals).toHaveLength(6)
  })

  it('refuses bad options with a TypeError naming the field', () => {
    const { bare } = makeApi()
    expect(() => withDedupe(bare, { methods: [''] })).toThrow(
      /withDedupe: `options.methods` must be an array, each a non-empty string/,
    )
  })
})
