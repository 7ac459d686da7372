// withAuth through the Node wx host against a real HTTP server on 127.0.0.1 that accepts only
// its current token and issues a new one on POST /token.
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  AuthRefreshError,
  createRequestPool,
  isAbortError,
  isAuthRefreshError,
  isHttpError,
  withAuth,
  type AuthOptions,
  type RequestPool,
} from 'miniprogram-rx'
import { lastValueFrom, toArray } from 'rxjs'
import { readBody } from '../helpers/servers'
import { useHostWithHttpServer } from '../helpers/installed-host'
import { until } from '../helpers/poll-until'

/** The only token the server accepts now. */
let serverToken = 't1'
let issued = 1
/** `Authorization` of each request to a protected path, in arrival order. */
let seen: Array<{ path: string; auth: string }> = []
let refreshCalls = 0
let refreshAnswer: 'ok' | 'fail' | 'hold' = 'ok'
const heldRefresh: ServerResponse[] = []
/** Responses of `/held` waiting for the test. */
const held: Array<{ req: IncomingMessage; res: ServerResponse }> = []

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function answerRefresh(res: ServerResponse): void {
  serverToken = 't' + ++issued
  json(res, 200, { token: serverToken })
}

function authorized(req: IncomingMessage): boolean {
  return req.headers.authorization === 'Bearer ' + serverToken
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  if (path === '/token') {
    refreshCalls++
    if (refreshAnswer === 'fail') return json(res, 500, { error: 'refresh broken' })
    if (refreshAnswer === 'hold') return void heldRefresh.push(res)
    return answerRefresh(res)
  }
  seen.push({ path, auth: String(req.headers.authorization) })
  if (path === '/held') return void held.push({ req, res })
  if (path === '/always-401') return json(res, 401, { error: 'no' })
  if (path === '/upload') {
    void readBody(req).then((body) =>
      authorized(req) ? json(res, 201, { bytes: body.length }) : json(res, 401, {}),
    )
    return
  }
  if (!authorized(req)) return json(res, 401, { error: 'token expired' })
  json(res, 200, { path, auth: req.headers.authorization })
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error }),
  )

/** A bare pool, a client token in memory, and a wrapped pool whose refresh uses the bare one. */
function makeApi(extra: Partial<AuthOptions> = {}): {
  bare: RequestPool
  api: ReturnType<typeof withAuth>
  token: { value: string }
} {
  const bare = createRequestPool({
    allowInsecure: true,
    baseURL: server().url,
    retry: false,
    concurrency: 8,
  })
  const token = { value: 't1' }
  const api = withAuth(bare, {
    getToken: () => token.value,
    refresh: async () => {
      const { data } = await bare.request<{ token: string }>({ url: '/token', method: 'POST' })
      token.value = data.token
    },
    ...extra,
  })
  return { bare, api, token }
}

const { server, host } = useHostWithHttpServer(handle)
beforeEach(() => {
  serverToken = 't1'
  issued = 1
  seen = []
  refreshCalls = 0
  refreshAnswer = 'ok'
})

describe('withAuth', () => {
  it('puts the token on each call as a Bearer header', async () => {
    const { api } = makeApi()
    const { data } = await api.request({ url: '/me' })
    expect(data.auth).toBe('Bearer t1')
    expect(refreshCalls).toBe(0)
  })

  it('answers 100 concurrent 401s with exactly 1 refresh and 100 replays, losing none', async () => {
    const { api, bare } = makeApi()
    serverToken = 't-rotated' // every token the client holds is now stale
    const calls = Array.from({ length: 100 }, (_, i) => api.request({ url: '/me', data: { i } }))
    const results = await Promise.all(calls)
    expect(refreshCalls).toBe(1)
    expect(results.map((r) => r.statusCode)).toEqual(Array(100).fill(200))
    expect(results.every((r) => r.data.auth === 'Bearer ' + serverToken)).toBe(true)
    expect(seen.filter((s) => s.auth === 'Bearer t1')).toHaveLength(100)
    expect(seen.filter((s) => s.auth === 'Bearer ' + serverToken)).toHaveLength(100)
    await bare.onIdle()
  })

  it('rejects 100 waiting calls with one typed error after 1 failed refresh, replaying none', async () => {
    const { api } = makeApi()
    serverToken = 't-rotated'
    refreshAnswer = 'fail'
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () => settle(api.request({ url: '/me' }))),
    )
    expect(refreshCalls).toBe(1)
    expect(seen).toHaveLength(100) // no replay reached the server
    for (const outcome of outcomes) {
      expect(outcome.ok).toBe(false)
      const error = (outcome as { error: Error }).error
      expect(error).toBeInstanceOf(AuthRefreshError)
      expect(isAuthRefreshError(error)).toBe(true)
      expect((error as AuthRefreshError).code).toBe('ERR_AUTH_REFRESH')
      expect(isHttpError((error as AuthRefreshError).cause)).toBe(true)
    }
    // Nothing loops: a later call starts one new refresh of its own.
    refreshAnswer = 'ok'
    await expect(api.request({ url: '/me' })).resolves.toMatchObject({ statusCode: 200 })
    expect(refreshCalls).toBe(2)
  })

  it('replays a call that failed with an older token than the current one without refreshing', async () => {
    const { api, token } = makeApi()
    serverToken = 't-rotated'
    // A is on the wire with t1 while B's 401 refreshes the token.
    const a = api.request({ url: '/held' })
    await until(() => held.length === 1, 'A on the wire')
    const b = await api.request({ url: '/me' })
    expect(b.data.auth).toBe('Bearer ' + token.value)
    expect(refreshCalls).toBe(1)
    // A's answer arrives late: its token is stale, the current one is newer.
    const first = held.shift()!
    expect(first.req.headers.authorization).toBe('Bearer t1')
    json(first.res, 401, {})
    await until(() => held.length === 1, 'A replayed')
    const replay = held.shift()!
    expect(replay.req.headers.authorization).toBe('Bearer ' + token.value)
    json(replay.res, 200, { replayed: true })
    await expect(a).resolves.toMatchObject({ statusCode: 200, data: { replayed: true } })
    expect(refreshCalls).toBe(1)
  })

  it('replays each call at most once: a replay that gets 401 again fails with its HttpError', async () => {
    const { api } = makeApi()
    const outcomes = await Promise.all([
      settle(api.request({ url: '/always-401' })),
      settle(api.request({ url: '/always-401' })),
    ])
    expect(refreshCalls).toBe(1)
    expect(seen.filter((s) => s.path === '/always-401')).toHaveLength(4)
    for (const outcome of outcomes) {
      expect(outcome.ok).toBe(false)
      const error = (outcome as { error: Error }).error
      expect(isHttpError(error) && error.statusCode).toBe(401)
    }
  })

  it('frees a call waiting for the refresh as soon as it is aborted, and never replays it', async () => {
    const { api, bare } = makeApi()
    serverToken = 't-rotated'
    refreshAnswer = 'hold'
    const kept = api.request({ url: '/me', data: { who: 'kept' } })
    const dropped = api.request({ url: '/me', data: { who: 'dropped' } })
    await until(() => heldRefresh.length === 1 && seen.length === 2, 'both waiting')
    dropped.abort()
    const outcome = await settle(dropped)
    expect(outcome.ok === false && isAbortError(outcome.error)).toBe(true)
    expect(heldRefresh).toHaveLength(1) // still refreshing when the abort settled
    answerRefresh(heldRefresh.shift()!)
    await expect(kept).resolves.toMatchObject({ statusCode: 200 })
    expect(seen).toHaveLength(3) // two first sends and one replay
    await bare.onIdle()
  })

  it('frees a waiting call when its signal fires, and leaves no abort listener on the signal', async () => {
    const { api, bare } = makeApi()
    serverToken = 't-rotated'
    refreshAnswer = 'hold'
    const controller = new AbortController()
    let listeners = 0
    const signal = {
      get aborted() {
        return controller.signal.aborted
      },
      addEventListener: (type: 'abort', listener: () => void) => {
        listeners++
        controller.signal.addEventListener(type, listener)
      },
      removeEventListener: (type: 'abort', listener: () => void) => {
        listeners--
        controller.signal.removeEventListener(type, listener)
      },
    }
    const call = api.request({ url: '/me', signal })
    await until(() => heldRefresh.length === 1, 'the refresh')
    controller.abort()
    const outcome = await settle(call)
    expect(outcome.ok === false && isAbortError(outcome.error)).toBe(true)
    expect(listeners).toBe(0)
    answerRefresh(heldRefresh.shift()!)
    // A replay of the freed call would be sent before this one, which waits for the refresh.
    await api.request({ url: '/me' })
    expect(seen.map((s) => s.auth)).toEqual(['Bearer t1', 'Bearer t2'])
    await bare.onIdle()
  })

  it('holds calls made during a refresh and sends them once with the new token', async () => {
    const { api } = makeApi()
    serverToken = 't-rotated'
    refreshAnswer = 'hold'
    const first = api.request({ url: '/me' })
    await until(() => heldRefresh.length === 1, 'refresh started')
    const later = api.request({ url: '/me' })
    answerRefresh(heldRefresh.shift()!)
    await Promise.all([first, later])
    expect(seen.map((s) => s.auth)).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t2'])
    expect(refreshCalls).toBe(1)
  })

  it('works for uploads and downloads', async () => {
    const { api } = makeApi()
    serverToken = 't-rotated'
    const path = host().wx.env.USER_DATA_PATH + '/upload.bin'
    host().wx.getFileSystemManager().writeFileSync(path, 'x'.repeat(100))
    const up = await api.uploadFile({ url: '/upload', filePath: path, name: 'file' })
    expect(up.statusCode).toBe(201)
    const down = await api.downloadFile({ url: '/file' })
    expect(down.statusCode).toBe(200)
    expect(refreshCalls).toBe(1)
  })

  it('judges the response, not only HttpError: a stream that accepts every status is replayed', async () => {
    const { api } = makeApi()
    serverToken = 't-rotated'
    const headers: number[] = []
    const results = await lastValueFrom(
      api
        .request$({
          url: '/me',
          validateStatus: () => true,
          onHeadersReceived: (event) => headers.push(event.statusCode ?? -1),
        })
        .pipe(toArray()),
    )
    expect(results.map((r) => r.statusCode)).toEqual([200])
    // The 401 attempt's headers stayed inside withAuth; only the replay's reached the caller.
    expect(headers).toEqual([200])
    expect(refreshCalls).toBe(1)
  })

  it('unsubscribing from request$ while it waits for the refresh frees it', async () => {
    const { api } = makeApi()
    serverToken = 't-rotated'
    refreshAnswer = 'hold'
    const subscription = api.request$({ url: '/me' }).subscribe()
    await until(() => heldRefresh.length === 1, 'refresh started')
    subscription.unsubscribe()
    answerRefresh(heldRefresh.shift()!)
    // A replay of the freed call would be sent before this one, which waits for the refresh.
    await api.request({ url: '/me' })
    expect(seen.map((s) => s.auth)).toEqual(['Bearer t1', 'Bearer t2'])
  })

  it('skips the token and the refresh for a call with auth: false', async () => {
    const { api } = makeApi()
    const outcome = await settle(api.request({ url: '/me', auth: false }))
    expect(outcome.ok === false && isHttpError(outcome.error)).toBe(true)
    expect(seen[0].auth).toBe('undefined')
    expect(refreshCalls).toBe(0)
  })

  it('refuses bad options with a TypeError naming the field', () => {
    const { bare } = makeApi()
    expect(() => withAuth(bare, { getToken: () => 't' } as unknown as AuthOptions)).toThrow(
      /withAuth: `options.refresh` must be a function, got undefined/,
    )
    expect(() => withAuth(bare, null as unknown as AuthOptions)).toThrow(TypeError)
  })
})
