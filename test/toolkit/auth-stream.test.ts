// withAuth over a scripted pool that streams, as the pool does after the network issue
// (`onChunkReceived` on request$, a validateStatus that accepts every status): the chunks and
// headers of the 401 attempt never reach the caller, the replay's do. The scripted pool is a
// plain object of the public RequestPool shape, so this also shows withAuth needs nothing more.
import { of, lastValueFrom, Observable, toArray } from 'rxjs'
import { withAuth, type RequestPool, type RequestResult } from 'miniprogram-rx'

type Streamed = Record<string, any> & {
  onHeadersReceived?: (event: {
    type: 'headers'
    header: Record<string, string>
    statusCode?: number
  }) => void
  onChunkReceived?: (data: ArrayBuffer) => void
}

/** A pool whose request$ streams `chunks` with the status the token earns. */
function scriptedPool(validToken: () => string, sent: string[]): RequestPool {
  const request$ = (options: Streamed) =>
    new Observable<RequestResult>((subscriber) => {
      const auth = String(options.header && options.header.Authorization)
      sent.push(auth)
      const statusCode = auth === 'Bearer ' + validToken() ? 200 : 401
      const header = { 'content-type': 'text/event-stream' }
      options.onHeadersReceived?.({ type: 'headers', header, statusCode })
      const text = statusCode === 200 ? 'data: ok\n\n' : 'data: unauthorized\n\n'
      options.onChunkReceived?.(new TextEncoder().encode(text).buffer as ArrayBuffer)
      subscriber.next({ statusCode, data: '', header, cookies: [], errMsg: 'request:ok' } as any)
      subscriber.complete()
    })
  const unused = () => {
    throw new Error('not used here')
  }
  return {
    concurrency: 1,
    size: 0,
    pending: 0,
    stats$: of(),
    getStats: unused,
    onIdle: () => Promise.resolve(),
    request$,
    upload$: unused,
    download$: unused,
    request: unused,
    uploadFile: unused,
    downloadFile: unused,
  } as unknown as RequestPool
}

describe('withAuth on a streamed request$', () => {
  it('passes on only the replay’s headers and chunks, and judges the accepted 401 by its status', async () => {
    const serverToken = 't2'
    let clientToken = 't1'
    const sent: string[] = []
    let refreshes = 0
    const api = withAuth(
      scriptedPool(() => serverToken, sent),
      {
        getToken: () => clientToken,
        refresh: () => {
          refreshes++
          clientToken = serverToken
        },
      },
    )
    const chunks: string[] = []
    const statuses: Array<number | undefined> = []
    const results = await lastValueFrom(
      api
        .request$({
          url: 'https://api.example.com/stream',
          validateStatus: () => true,
          onHeadersReceived: (event) => statuses.push(event.statusCode),
          onChunkReceived: (data: ArrayBuffer) => chunks.push(new TextDecoder().decode(data)),
        } as Parameters<RequestPool['request$']>[0])
        .pipe(toArray()),
    )
    expect(sent).toEqual(['Bearer t1', 'Bearer t2'])
    expect(refreshes).toBe(1)
    expect(statuses).toEqual([200])
    expect(chunks).toEqual(['data: ok\n\n'])
    expect(results.map((r) => r.statusCode)).toEqual([200])
  })
})
