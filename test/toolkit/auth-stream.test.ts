// withAuth over a real request pool that streams (`CallOptions.onChunkReceived`, a
// validateStatus that accepts every status), through the Node wx host against a real HTTP
// server on 127.0.0.1 that writes its body in pieces: the headers and chunks of the 401 attempt
// never reach the caller, the replay's do, and the accepted 401 is judged by its status.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { lastValueFrom, toArray } from 'rxjs'
import { createRequestPool, withAuth, type RequestPool } from 'miniprogram-rx'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { startHttpServer, type TestHttpServer } from '../helpers/servers'

let server: TestHttpServer
let host: WxHost
let restore: () => void
/** The only token the server accepts. */
const serverToken = 't2'
/** `Authorization` of each /stream request, in arrival order. */
let sent: string[] = []

const OK_PIECES = ['data: o', 'k\n', '\n']
const DENIED_PIECES = ['data: unauth', 'orized\n\n']

/** Writes `pieces` one per macrotask, then ends the response. */
function writeInPieces(res: ServerResponse, pieces: string[]): void {
  const next = (index: number) => {
    if (index === pieces.length) return void res.end()
    res.write(pieces[index])
    setTimeout(() => next(index + 1), 1)
  }
  next(0)
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const auth = String(req.headers.authorization)
  sent.push(auth)
  const ok = auth === 'Bearer ' + serverToken
  res.writeHead(ok ? 200 : 401, { 'content-type': 'text/event-stream' })
  writeInPieces(res, ok ? OK_PIECES : DENIED_PIECES)
}

beforeAll(async () => {
  server = await startHttpServer(handle)
})
afterAll(() => server.close())
beforeEach(() => {
  host = createWxHost()
  restore = host.install()
  sent = []
})
afterEach(async () => {
  // checked before close(), which drops whatever is left
  expect(host.listenerCount()).toBe(0)
  expect(host.http.chunked.listenerCount).toBe(0)
  restore()
  await host.close()
})

describe('withAuth on a streamed request$ of a real pool', () => {
  it('passes on only the replay’s headers and chunks, and judges the accepted 401 by its status', async () => {
    const bare: RequestPool = createRequestPool({
      allowInsecure: true,
      baseURL: server.url,
      retry: false,
    })
    let clientToken = 't1'
    let refreshes = 0
    const api = withAuth(bare, {
      getToken: () => clientToken,
      refresh: () => {
        refreshes++
        clientToken = serverToken
      },
    })
    const chunks: string[] = []
    const statuses: Array<number | undefined> = []
    const results = await lastValueFrom(
      api
        .request$({
          url: '/stream',
          validateStatus: () => true,
          onHeadersReceived: (event) => statuses.push(event.statusCode),
          onChunkReceived: (data) => chunks.push(Buffer.from(data).toString('utf8')),
        })
        .pipe(toArray()),
    )
    expect(sent).toEqual(['Bearer t1', 'Bearer t2'])
    expect(refreshes).toBe(1)
    expect(statuses).toEqual([200])
    // the replay's body, however the network cut it; nothing of the 401's
    expect(chunks.join('')).toBe('data: ok\n\n')
    expect(chunks.join('')).not.toContain('unauthorized')
    expect(host.calls.filter((call) => call.api === 'request')).toHaveLength(2)
    expect(results.map((result) => result.statusCode)).toEqual([200])
  })
})
