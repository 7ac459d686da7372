// The public face of a request pool: cold Observables and cancellable promises over the
// engine in pool-engine.ts.
import { Observable } from 'rxjs'
import { PoolEngine, type CallSink } from './pool-engine'
import type {
  DownloadEvent,
  DownloadFileResult,
  DownloadOptions,
  RequestData,
  RequestOptions,
  RequestPoolOptions,
  RequestPoolStats,
  RequestResult,
  TransferApi,
  UploadEvent,
  UploadFileResult,
  UploadOptions,
} from './request-types'

/**
 * A Promise of a pooled call that can be cancelled: `abort()` removes a queued call (never
 * sent), aborts a running one (`task.abort()`, slot freed at once) or clears a retry timer,
 * and the promise rejects with `AbortError`. After the promise has settled it does nothing.
 * Keep the promise returned by the call: `.then()` makes a new one without `abort`.
 *
 * @example
 * const p = request({ url: '/search', data: { q } })
 * onUnload(() => p.abort())
 * const { data } = await p
 */
export type CancellablePromise<T> = Promise<T> & {
  /** Cancels the call; the promise rejects with `AbortError`. */
  abort(): void
}

/** A pool of HTTP calls with a concurrency limit, priorities, retries and offline awareness. */
export interface RequestPool {
  /** Calls on the wire at once. */
  readonly concurrency: number
  /** Calls waiting for a slot (p-queue's `size`). */
  readonly size: number
  /** Calls on the wire now (p-queue's `pending`). */
  readonly pending: number
  /** The counters now, then after every transition. */
  readonly stats$: Observable<RequestPoolStats>
  /** The counters now. */
  getStats(): RequestPoolStats
  /** Resolves when nothing is preparing, queued, running or waiting to retry. */
  onIdle(): Promise<void>
  /**
   * `wx.request` through the pool, as a cold Observable: subscribing sends, the result is
   * emitted and it completes; unsubscribing first cancels. A status the call does not
   * accept errors with `HttpError`.
   */
  request$<T extends RequestData = any>(options: RequestOptions<T>): Observable<RequestResult<T>>
  /** `wx.uploadFile` through the pool: progress and header events, then the result. */
  upload$(options: UploadOptions): Observable<UploadEvent>
  /** `wx.downloadFile` through the pool: progress and header events, then the result. */
  download$(options: DownloadOptions): Observable<DownloadEvent>
  /** `wx.request` through the pool, as a cancellable promise. */
  request<T extends RequestData = any>(
    options: RequestOptions<T>,
  ): CancellablePromise<RequestResult<T>>
  /** `wx.uploadFile` through the pool, as a cancellable promise. */
  uploadFile(options: UploadOptions): CancellablePromise<UploadFileResult>
  /** `wx.downloadFile` through the pool, as a cancellable promise. */
  downloadFile(options: DownloadOptions): CancellablePromise<DownloadFileResult>
}

function single<R>(engine: PoolEngine, api: TransferApi, options: unknown): Observable<R> {
  return new Observable<R>((subscriber) =>
    engine.run(api, options, {
      result: (result) => {
        subscriber.next(result)
        subscriber.complete()
      },
      error: (error) => subscriber.error(error),
    }),
  )
}

function events<E>(engine: PoolEngine, api: TransferApi, options: unknown): Observable<E> {
  return new Observable<E>((subscriber) => {
    const sink: CallSink = {
      headers: (event) => subscriber.next(event as unknown as E),
      progress: (event) => subscriber.next(event as unknown as E),
      result: (result) => {
        const event = { type: 'result' } as Record<string, unknown>
        for (const key in result) {
          if (Object.prototype.hasOwnProperty.call(result, key)) event[key] = result[key]
        }
        event.type = 'result'
        subscriber.next(event as unknown as E)
        subscriber.complete()
      },
      error: (error) => subscriber.error(error),
    }
    return engine.run(api, options, sink)
  })
}

function promise<R>(engine: PoolEngine, api: TransferApi, options: unknown): CancellablePromise<R> {
  let cancel: () => void = () => {}
  const result = new Promise<R>((resolve, reject) => {
    cancel = engine.run(api, options, { result: resolve, error: reject })
  }) as CancellablePromise<R>
  result.abort = () => cancel()
  return result
}

/**
 * Makes a request pool. Its Observables and promises send through `wx.request`,
 * `wx.uploadFile` and `wx.downloadFile` with at most `concurrency` calls on the wire,
 * higher `priority` first, a per-attempt `timeout`, retries with backoff for idempotent
 * methods, and queued calls held while the device is offline. Throws a `TypeError` naming
 * the field for bad options (a `concurrency` of 0, an unknown option type).
 *
 * @example
 * const api = createRequestPool({ baseURL: 'https://api.example.com', header: { 'X-App': '1' } })
 * const { data } = await api.request({ url: '/me', timeout: 5000 })
 */
export function createRequestPool(options: RequestPoolOptions = {}): RequestPool {
  const engine = new PoolEngine(options)
  return {
    concurrency: engine.concurrency,
    get size() {
      return engine.size
    },
    get pending() {
      return engine.pending
    },
    stats$: engine.stats$,
    getStats: () => engine.stats(),
    onIdle: () => engine.onIdle(),
    request$: (o) => single(engine, 'request', o),
    upload$: (o) => events<UploadEvent>(engine, 'uploadFile', o),
    download$: (o) => events<DownloadEvent>(engine, 'downloadFile', o),
    request: (o) => promise(engine, 'request', o),
    uploadFile: (o) => promise<UploadFileResult>(engine, 'uploadFile', o),
    downloadFile: (o) => promise<DownloadFileResult>(engine, 'downloadFile', o),
  }
}
