// withDedupe over withAuth over a pool: the layers hand calls straight to each other (no
// promise between them), so what a promise used to absorb must still be handled: a throwing
// needsRefresh, an abort while the wire request runs, and the pools' public shape.
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  createRequestPool,
  isAbortError,
  withAuth,
  withDedupe,
  type AuthOptions,
} from 'miniprogram-rx'
import { useHostWithHttpServer } from '../helpers/installed-host'
import { until } from '../helpers/poll-until'

/** Responses of `/held` waiting for the test. */
const held: ServerResponse[] = []
let received = 0

function handle(req: IncomingMessage, res: ServerResponse): void {
  received++
  if (req.url === '/held') return void held.push(res)
  res.writeHead(req.url === '/401' ? 401 : 200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ url: req.url, auth: req.headers.authorization }))
}

const { server } = useHostWithHttpServer(handle)

function layered(extra: Partial<AuthOptions> = {}) {
  const bare = createRequestPool({ allowInsecure: true, baseURL: server().url, retry: false })
  const auth = withAuth(bare, { getToken: () => 't1', refresh: () => undefined, ...extra })
  return { bare, auth, api: withDedupe(auth) }
}

beforeEach(() => {
  received = 0
})

describe('wrapped pools over wrapped pools', () => {
  it('answers through both layers with the token on and one wire request for two callers', async () => {
    const { api, bare } = layered()
    const [first, second] = await Promise.all([
      api.request({ url: '/me' }),
      api.request({ url: '/me' }),
    ])
    expect(first.data).toEqual({ url: '/me', auth: 'Bearer t1' })
    expect(second.data).toEqual(first.data)
    expect(second.data).not.toBe(first.data)
    expect(received).toBe(1)
    await bare.onIdle()
  })

  it('rejects with the error of a needsRefresh that throws, and leaves the pool idle', async () => {
    const broken = new Error('needsRefresh broke')
    const { api, bare } = layered({
      needsRefresh: () => {
        throw broken
      },
    })
    await expect(api.request({ url: '/401' })).rejects.toBe(broken)
    await bare.onIdle()
    expect(bare.getStats()).toMatchObject({ inFlight: 0, queued: 0 })
  })

  it('aborts the wire request when the only caller aborts through both layers', async () => {
    const { api, bare } = layered()
    const call = api.request({ url: '/held' })
    await until(() => held.length === 1, 'the request reached the server')
    call.abort()
    const error = await call.then(
      () => undefined,
      (failure: unknown) => failure,
    )
    expect(isAbortError(error)).toBe(true)
    await bare.onIdle()
    expect(bare.getStats()).toMatchObject({ inFlight: 0, cancelled: 1 })
    held.splice(0).forEach((res) => res.end())
  })

  it('keeps the hook between layers off the pools’ enumerable keys', () => {
    const { bare, auth, api } = layered()
    const keys = Object.keys(bare)
    expect(keys).not.toContainEqual(expect.stringContaining('miniprogramRx'))
    expect(Object.keys(auth)).toEqual(Object.keys(api))
    expect(Object.keys(api)).not.toContainEqual(expect.stringContaining('miniprogramRx'))
    expect(Object.keys(api)).toEqual(expect.arrayContaining(['request', 'request$', 'onIdle']))
  })
})
