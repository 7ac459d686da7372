// The public shapes of the network layer: what a call takes, what it gives back, and what a
// pool is made with. The wx shapes come from miniprogram-api-typings; only the pool's own
// additions are written out here.
import type { RetryOptions } from './retry-policy'

/** The three wx APIs a request pool drives. */
export type TransferApi = 'request' | 'uploadFile' | 'downloadFile'

/** An HTTP method that `wx.request` accepts. */
export type RequestMethod = NonNullable<WechatMiniprogram.RequestOption['method']>

/** What a request's `data` and a response's body can be. */
export type RequestData = string | WechatMiniprogram.IAnyObject | ArrayBuffer

/**
 * The part of the DOM `AbortSignal` a call listens to, so a real `AbortController` (or any
 * small object of this shape) can cancel one or many calls. Mini programs have no
 * `AbortController`; the promise's `abort()` and the Observable's unsubscribe work without it.
 */
export interface AbortSignalLike {
  /** True once the signal has fired. */
  readonly aborted: boolean
  /** Registers the `abort` listener. */
  addEventListener(type: 'abort', listener: () => void): void
  /** Removes the `abort` listener again. */
  removeEventListener(type: 'abort', listener: () => void): void
}

/** Headers of the response, as soon as they arrive (`task.onHeadersReceived`). */
export interface HeadersEvent {
  /** Discriminant. */
  type: 'headers'
  /** The response headers. */
  header: Record<string, string>
  /** The status, where the client reports it (not in DevTools for `request`). */
  statusCode?: number
  /** Cookies set by the response (`request` only). */
  cookies?: string[]
}

/** Options every pooled call takes on top of the wx API's own. */
export interface CallOptions {
  /** Higher runs first; equal priorities run in call order. @default 0 */
  priority?: number
  /**
   * Milliseconds one attempt may take once it is on the wire (time in the queue does not
   * count); the attempt's task is aborted and the call fails with `TimeoutError` (or retries).
   * Also passed to wx as its own `timeout`. At most 2147483647 (what a timer can wait), or
   * `Infinity` for none; time spent queued, offline or hidden never counts.
   * @default the pool's `timeout`, else wx's 60000
   */
  timeout?: number
  /** Retry policy of this call, merged over the pool's; a number sets `limit`; `false` is none. */
  retry?: RetryOptions | number | false
  /** Which statuses count as success. @default status >= 200 && status < 300 */
  validateStatus?: (statusCode: number) => boolean
  /** Cancels the call when it fires (an `AbortController`'s signal or any look-alike). */
  signal?: AbortSignalLike
  /** Called with each headers event of each attempt. */
  onHeadersReceived?: (event: HeadersEvent) => void
  /**
   * `request` only: called with each chunk of the body as it arrives. The pool then sends
   * `enableChunked: true` to wx and listens with `task.onChunkReceived`; a base library whose
   * task lacks it fails the call with `WxError` code `ERR_NOT_SUPPORTED`. A call that has
   * received a chunk is never retried (the caller would get data twice): it fails instead.
   */
  onChunkReceived?: (data: ArrayBuffer) => void
}

/** Options of `request`/`request$`: wx's `RequestOption` without callbacks, plus the pool's. */
export type RequestOptions<T extends RequestData = any> = Omit<
  WechatMiniprogram.RequestOption<T>,
  'success' | 'fail' | 'complete'
> &
  CallOptions

/** A progress event of an upload. */
export type UploadProgressEvent = {
  /** Discriminant. */
  type: 'progress'
} & WechatMiniprogram.UploadTaskOnProgressUpdateListenerResult

/** A progress event of a download. */
export type DownloadProgressEvent = {
  /** Discriminant. */
  type: 'progress'
} & WechatMiniprogram.DownloadTaskOnProgressUpdateListenerResult

/** Options of `uploadFile`/`upload$`. */
export type UploadOptions = Omit<
  WechatMiniprogram.UploadFileOption,
  'success' | 'fail' | 'complete'
> &
  CallOptions & {
    /** Called with each progress event (the Observable form emits them instead). */
    onProgressUpdate?: (event: UploadProgressEvent) => void
  }

/** Options of `downloadFile`/`download$`. */
export type DownloadOptions = Omit<
  WechatMiniprogram.DownloadFileOption,
  'success' | 'fail' | 'complete'
> &
  CallOptions & {
    /** Called with each progress event (the Observable form emits them instead). */
    onProgressUpdate?: (event: DownloadProgressEvent) => void
  }

/** What `request` resolves with: wx's success result. */
export type RequestResult<T extends RequestData = any> =
  WechatMiniprogram.RequestSuccessCallbackResult<T>

/** What `uploadFile` resolves with: wx's success result. */
export type UploadFileResult = WechatMiniprogram.UploadFileSuccessCallbackResult

/** What `downloadFile` resolves with: wx's success result. */
export type DownloadFileResult = WechatMiniprogram.DownloadFileSuccessCallbackResult

/** The last event of `upload$`: wx's success result with `type: 'result'`. */
export type UploadResultEvent = { type: 'result' } & UploadFileResult

/** The last event of `download$`: wx's success result with `type: 'result'`. */
export type DownloadResultEvent = { type: 'result' } & DownloadFileResult

/** What `upload$` emits: progress and header events, then one result, then it completes. */
export type UploadEvent = UploadProgressEvent | HeadersEvent | UploadResultEvent

/** What `download$` emits: progress and header events, then one result, then it completes. */
export type DownloadEvent = DownloadProgressEvent | HeadersEvent | DownloadResultEvent

/**
 * The options a `beforeRequest` hook sees and may change: the wx options about to be sent,
 * with the URL already joined to `baseURL` and the pool's headers merged in.
 */
export type PreparedOptions = {
  /** The absolute URL. */
  url: string
  /** The method, upper case (`POST` for uploads, `GET` for downloads). */
  method: string
  /** The merged headers. */
  header: Record<string, unknown>
} & Record<string, unknown>

/** What every hook is told about the call. */
export interface HookContext {
  /** The wx API of the call. */
  api: TransferApi
  /** The options being sent. */
  options: PreparedOptions
}

/**
 * Runs before a call is queued; may change the options in place or return new ones; may
 * return a Promise (e.g. to fetch a token). A throw or rejection fails the call.
 */
export type BeforeRequestHook = (
  options: PreparedOptions,
  context: HookContext,
) => PreparedOptions | void | PromiseLike<PreparedOptions | void>

/**
 * Runs on each accepted response (after `validateStatus`); may return a replacement result.
 * A throw or rejection fails the call.
 */
export type AfterResponseHook = (
  result: any,
  context: HookContext,
) => unknown | PromiseLike<unknown>

/** What `shouldRetry` and `beforeRetry` are told about a failed attempt. */
export interface RetryContext extends HookContext {
  /** The retry about to happen: 1 for the first retry. */
  attempt: number
  /** Why the last attempt failed: `HttpError`, `TimeoutError` or `WxError`. */
  error: Error
  /** The milliseconds the pool will wait before the retry (Retry-After or backoff). */
  delay: number
}

/**
 * Runs after the backoff wait and before the retry is queued; may change
 * `context.options` (e.g. a refreshed token). A throw or rejection fails the call.
 */
export type BeforeRetryHook = (context: RetryContext) => void | PromiseLike<void>

/** The hooks of a pool; each list runs in order. */
export interface RequestHooks {
  /** Before a call is queued. */
  beforeRequest?: BeforeRequestHook[]
  /** On each accepted response. */
  afterResponse?: AfterResponseHook[]
  /** Before each retry. */
  beforeRetry?: BeforeRetryHook[]
}

/** Options of `createRequestPool`. */
export interface RequestPoolOptions {
  /** Calls on the wire at once, shared by request, upload and download. @default 5 */
  concurrency?: number
  /** Joined to relative URLs (`'/users'` → `baseURL + '/users'`). */
  baseURL?: string
  /** Headers sent with every call; a call's own header of the same name (any case) wins. */
  header?: Record<string, unknown>
  /** Default per-attempt timeout in ms. @default none of the pool's own (wx's 60000) */
  timeout?: number
  /** Default retry policy. @default `{ limit: 2 }` with the idempotent methods */
  retry?: RetryOptions | number | false
  /** Default success test. @default status >= 200 && status < 300 */
  validateStatus?: (statusCode: number) => boolean
  /** Hooks run for every call of the pool. */
  hooks?: RequestHooks
  /**
   * Hold queued calls (and retries) while the device is offline or the app is in the
   * background, and send them when the network is back or the app shows again. Calls that
   * failed offline (never sent) or `interrupted` (idempotent ones) go back to the front of
   * the queue without spending a retry. The pool listens to wx only while it holds work, and
   * trusts what it last learned for 30 s, so calls through an idle pool cost no round trip.
   * `false`: send at once and treat those failures like any other. @default true
   */
  waitForNetwork?: boolean
  /** Allow `http://` URLs (for local servers in development and tests). @default false */
  allowInsecure?: boolean
  /**
   * Hosts calls may go to (`'api.example.com'`, `'127.0.0.1:8080'`, `'*.example.com'`),
   * checked after `baseURL` and hooks. @default any host
   */
  allowedHosts?: string[]
}

/** Counters of a pool; `stats$` emits a new one at each transition. */
export interface RequestPoolStats {
  /** Calls waiting for a slot (or for the network). */
  queued: number
  /** Calls on the wire. */
  inFlight: number
  /** Calls waiting out a retry delay (they hold no slot). */
  backoff: number
  /** Calls that succeeded. */
  done: number
  /** Calls that failed. */
  failed: number
  /** Calls cancelled by the caller. */
  cancelled: number
  /** Retries scheduled. */
  retried: number
}
