// request$/upload$/download$ and their promise twins over one default pool, made on first
// use (importing the package creates nothing and calls no wx API).
import type { Observable } from 'rxjs'
import { argumentError } from '../core/describe'
import { isFunction } from '../core/guards'
import { createRequestPool, type CancellablePromise, type RequestPool } from './request-pool'
import type {
  DownloadEvent,
  DownloadFileResult,
  DownloadOptions,
  RequestData,
  RequestOptions,
  RequestResult,
  UploadEvent,
  UploadFileResult,
  UploadOptions,
} from './request-types'

let defaultPool: RequestPool | undefined

/**
 * The pool behind `request`, `request$`, `uploadFile`, ... : made on first use with the
 * defaults (concurrency 5, https only, two retries of idempotent methods), unless
 * `setDefaultRequestPool` gave another.
 */
export function getDefaultRequestPool(): RequestPool {
  if (!defaultPool) defaultPool = createRequestPool()
  return defaultPool
}

/**
 * Makes `pool` the one behind `request`, `request$`, `uploadFile`, ... from now on (calls
 * already made stay in their pool).
 *
 * @example
 * setDefaultRequestPool(createRequestPool({ baseURL: 'https://api.example.com' }))
 */
export function setDefaultRequestPool(pool: RequestPool): void {
  if (!pool || typeof pool.request$ !== 'function' || !isFunction(pool.onIdle)) {
    throw argumentError('setDefaultRequestPool', 'pool', 'a pool from createRequestPool', pool)
  }
  defaultPool = pool
}

/**
 * `wx.request` through the default pool, as a cold Observable: subscribing sends, the result
 * is emitted and it completes; unsubscribing before that aborts the task (or removes the
 * queued call) and frees its slot. A status outside 2xx errors with `HttpError` unless
 * `validateStatus` accepts it; bad options error with a `TypeError` naming the field.
 *
 * @example
 * request$<User>({ url: 'https://api.example.com/me' }).subscribe(({ data }) => this.setData({ user: data }))
 */
export function request$<T extends RequestData = any>(
  options: RequestOptions<T>,
): Observable<RequestResult<T>> {
  return getDefaultRequestPool().request$<T>(options)
}

/**
 * `wx.uploadFile` through the default pool, as a cold Observable of `{ type: 'progress', ... }`
 * and `{ type: 'headers', ... }` events, then one `{ type: 'result', ...wxResult }`, then
 * complete. Unsubscribing first aborts the upload. An upload (a POST) is never retried unless
 * `retry.methods` lists POST.
 *
 * @example
 * upload$({ url, filePath, name: 'file' }).subscribe((e) => {
 *   if (e.type === 'progress') this.setData({ percent: e.progress })
 *   else if (e.type === 'result') this.setData({ answer: e.data })
 * })
 */
export function upload$(options: UploadOptions): Observable<UploadEvent> {
  return getDefaultRequestPool().upload$(options)
}

/**
 * `wx.downloadFile` through the default pool, as a cold Observable of progress and header
 * events, then one `{ type: 'result', tempFilePath, statusCode, ... }`, then complete.
 * Unsubscribing first aborts the download.
 */
export function download$(options: DownloadOptions): Observable<DownloadEvent> {
  return getDefaultRequestPool().download$(options)
}

/**
 * `wx.request` through the default pool, as a promise with `abort()`. Resolves with wx's
 * result for an accepted status; rejects with `HttpError`, `TimeoutError`, `AbortError`,
 * `WxError`, or a `TypeError` for bad options. Never throws synchronously.
 *
 * @example
 * const call = request<{ items: Item[] }>({ url: 'https://api.example.com/items', timeout: 8000 })
 * this.pendingCall = call // call.abort() in onUnload
 * const { data } = await call
 */
export function request<T extends RequestData = any>(
  options: RequestOptions<T>,
): CancellablePromise<RequestResult<T>> {
  return getDefaultRequestPool().request<T>(options)
}

/**
 * `wx.uploadFile` through the default pool, as a promise with `abort()`; progress through
 * `options.onProgressUpdate`.
 */
export function uploadFile(options: UploadOptions): CancellablePromise<UploadFileResult> {
  return getDefaultRequestPool().uploadFile(options)
}

/**
 * `wx.downloadFile` through the default pool, as a promise with `abort()`; progress through
 * `options.onProgressUpdate`. A status outside 2xx rejects with `HttpError` whose `data` is
 * the downloaded file's path.
 */
export function downloadFile(options: DownloadOptions): CancellablePromise<DownloadFileResult> {
  return getDefaultRequestPool().downloadFile(options)
}
