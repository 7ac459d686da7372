// The type of a pool made by withAuth or withDedupe: a `RequestPool` whose calls also take the
// toolkit's per-call switches. The wrappers read the switches and never pass them on to wx.
import type { Observable } from 'rxjs'
import type { CancellablePromise, RequestPool } from '../network/request-pool'
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
} from '../network/request-types'

/** Per-call switches of the request toolkit, on top of a pool's `CallOptions`. */
export interface ToolkitCallOptions {
  /**
   * `false` sends this call without the token and never refreshes for it (the refresh call
   * itself, public endpoints). Read by `withAuth`. @default true
   */
  auth?: boolean
  /**
   * `true` shares this call's wire request with identical ones in flight even where the
   * pool's `withDedupe` rules would not (any method); `false` never shares it. Read by
   * `withDedupe`. @default the pool's rule (GET and HEAD)
   */
  dedupe?: boolean
}

/** A `RequestPool` made by `withAuth` or `withDedupe`: its calls take `ToolkitCallOptions`. */
export interface ToolkitRequestPool extends RequestPool {
  /** `wx.request` through the pool, as a cold Observable. */
  request$<T extends RequestData = any>(
    options: RequestOptions<T> & ToolkitCallOptions,
  ): Observable<RequestResult<T>>
  /** `wx.uploadFile` through the pool: progress and header events, then the result. */
  upload$(options: UploadOptions & ToolkitCallOptions): Observable<UploadEvent>
  /** `wx.downloadFile` through the pool: progress and header events, then the result. */
  download$(options: DownloadOptions & ToolkitCallOptions): Observable<DownloadEvent>
  /** `wx.request` through the pool, as a cancellable promise. */
  request<T extends RequestData = any>(
    options: RequestOptions<T> & ToolkitCallOptions,
  ): CancellablePromise<RequestResult<T>>
  /** `wx.uploadFile` through the pool, as a cancellable promise. */
  uploadFile(options: UploadOptions & ToolkitCallOptions): CancellablePromise<UploadFileResult>
  /** `wx.downloadFile` through the pool, as a cancellable promise. */
  downloadFile(
    options: DownloadOptions & ToolkitCallOptions,
  ): CancellablePromise<DownloadFileResult>
}

/**
 * A shallow copy of `options` without the switch `name`; the options themselves when they lack
 * it (the common case costs no copy). The switch's value is `options[name]`.
 */
export function withoutSwitch(
  options: Record<string, unknown>,
  name: keyof ToolkitCallOptions,
): Record<string, unknown> {
  if (!(name in options)) return options
  const copy: Record<string, unknown> = {}
  for (const key in options) if (key !== name) copy[key] = options[key]
  return copy
}
