import { describe } from './describe'
import { classifyFailure, type ErrorCode } from './error-code'

/** What a `WxError` is made from: the API, wx's `errMsg`, and what wx gave back. */
export interface WxErrorInit {
  /** The API that failed, as wx names it (`request`, `getStorage`, ...). */
  api: string
  /** wx's message, `"<api>:fail <reason>"`. */
  errMsg: string
  /** wx's error number where the client gives one (06xxxxx are network errors). */
  errno?: number
  /** The raw fail result, or the error that caused this one. */
  cause?: unknown
  /** The stable code; classified from `errno` and `errMsg` when not given. */
  code?: ErrorCode
}

// Subclassing Error in ES5 output: `Error.call(this)` returns a new object, so the prototype
// chain has to be put back by hand, or `instanceof WxError` would be false on old clients.
function restorePrototype(self: object, prototype: object): void {
  if (Object.setPrototypeOf) Object.setPrototypeOf(self, prototype)
  else (self as { __proto__?: object }).__proto__ = prototype
}

// The init of a subclass whose code is fixed (written out: a spread would be a helper call).
function withCode(init: WxErrorInit, code: ErrorCode): WxErrorInit {
  return { api: init.api, errMsg: init.errMsg, errno: init.errno, cause: init.cause, code }
}

/**
 * A failed wx call. `message` starts with wx's `errMsg` (`"request:fail timeout"`), and the
 * raw fail result is kept as `cause`.
 *
 * @example
 * try { await wxp.getStorage({ key: 'token' }) }
 * catch (e) { if (isWxError(e) && /data not found/.test(e.errMsg)) login() }
 */
export class WxError extends Error {
  /** The API that failed. */
  readonly api: string
  /** wx's message, `"<api>:fail <reason>"`. */
  readonly errMsg: string
  /** wx's error number, when the client reports one. */
  readonly errno?: number
  /** The raw fail result, or the error that caused this one. */
  readonly cause?: unknown
  /**
   * The stable code callers branch on (`ERR_OFFLINE`, `ERR_TIMEOUT`, ...), the same on every
   * client whatever language its errMsg is in.
   */
  readonly code: ErrorCode

  constructor(init: WxErrorInit, detail?: string) {
    super(detail ? init.errMsg + ' (' + detail + ')' : init.errMsg)
    restorePrototype(this, new.target.prototype)
    this.name = 'WxError'
    this.api = init.api
    this.errMsg = init.errMsg
    this.code = init.code || classifyFailure(init)
    if (typeof init.errno === 'number') this.errno = init.errno
    if (init.cause !== undefined) this.cause = init.cause
  }
}

/**
 * The call took longer than its `timeout`; its task was aborted. wx's own
 * `"<api>:fail timeout"` results become this class too.
 */
export class TimeoutError extends WxError {
  constructor(init: WxErrorInit, detail?: string) {
    super(withCode(init, 'ERR_TIMEOUT'), detail)
    this.name = 'TimeoutError'
  }
}

/** The call was cancelled by the caller (`abort()`, `cancel()` or an unsubscribe). */
export class AbortError extends WxError {
  constructor(init: WxErrorInit, detail?: string) {
    super(withCode(init, 'ERR_ABORTED'), detail)
    this.name = 'AbortError'
  }
}

/** What `HttpError` keeps of the request that got the response. */
export interface HttpErrorRequest {
  /** The request's method, upper case. */
  method: string
  /** The full URL that was requested. */
  url: string
}

/** What an `HttpError` is made from. */
export interface HttpErrorInit {
  /** `request`, `uploadFile` or `downloadFile`. */
  api: string
  /** The response's HTTP status. */
  statusCode: number
  /** The response body as wx delivered it (parsed JSON, string, ArrayBuffer, file path). */
  data: unknown
  /** The response headers. */
  header: Record<string, string>
  /** The request that got this response. */
  request: HttpErrorRequest
  /** The raw wx result. */
  cause?: unknown
}

/**
 * The server answered with a status the caller did not accept (by default anything outside
 * 2xx). wx itself calls `success` for every status; the network layer turns those into this.
 */
export class HttpError extends WxError {
  /** The response's HTTP status. */
  readonly statusCode: number
  /** The response body. */
  readonly data: unknown
  /** The response headers. */
  readonly header: Record<string, string>
  /** The method and URL of the request. */
  readonly request: HttpErrorRequest

  constructor(init: HttpErrorInit) {
    super(
      {
        api: init.api,
        errMsg: init.api + ':fail http status ' + init.statusCode,
        cause: init.cause,
        code: 'ERR_HTTP_STATUS',
      },
      // Query strings carry tokens, and messages end up in logs.
      init.request.method + ' ' + withoutQuery(init.request.url),
    )
    this.name = 'HttpError'
    this.statusCode = init.statusCode
    this.data = init.data
    this.header = init.header
    this.request = init.request
  }
}

/** `url` without its query string and fragment. */
export function withoutQuery(url: string): string {
  const end = url.search(/[?#]/)
  return end < 0 ? url : url.slice(0, end)
}

// The guards read the error's shape, its code and its name rather than `instanceof`: an error
// from another copy of the package (a subpackage may carry its own) passes too, and a bundle
// that only imports a guard does not carry the classes.
function hasErrorShape(error: unknown, code?: ErrorCode, name?: string): boolean {
  if (!(error instanceof Error)) return false
  const e = error as Error & { api?: unknown; errMsg?: unknown; code?: unknown }
  if (typeof e.api !== 'string' || typeof e.errMsg !== 'string') return false
  return !code || e.code === code || e.name === name
}

/** True for a `WxError` (or a subclass), from this or another copy of the package. */
export function isWxError(error: unknown): error is WxError {
  return hasErrorShape(error)
}

/** True for an `HttpError` (code `ERR_HTTP_STATUS`), from this or another copy of the package. */
export function isHttpError(error: unknown): error is HttpError {
  return hasErrorShape(error, 'ERR_HTTP_STATUS', 'HttpError')
}

/** True for a `TimeoutError` or any error with code `ERR_TIMEOUT`. */
export function isTimeoutError(error: unknown): error is TimeoutError {
  return hasErrorShape(error, 'ERR_TIMEOUT', 'TimeoutError')
}

/** True for an `AbortError` or any error with code `ERR_ABORTED`. */
export function isAbortError(error: unknown): error is AbortError {
  return hasErrorShape(error, 'ERR_ABORTED', 'AbortError')
}

/**
 * Turns whatever a wx `fail` callback (or a throwing wx call) gave into a `WxError`:
 * `AbortError` for `"...:fail abort"`, `TimeoutError` for `"...:fail timeout"`.
 */
export function toWxError(api: string, raw: unknown): WxError {
  if (isWxError(raw)) return raw
  const result = raw as { errMsg?: unknown; errno?: unknown; message?: unknown } | null
  let errMsg: string
  if (result && typeof result.errMsg === 'string' && result.errMsg) errMsg = result.errMsg
  else if (raw instanceof Error) errMsg = api + ':fail ' + raw.message
  else errMsg = api + ':fail ' + (typeof raw === 'string' ? raw : describe(raw))
  const init: WxErrorInit = {
    api,
    errMsg,
    errno: result && typeof result.errno === 'number' ? result.errno : undefined,
    cause: raw,
  }
  switch (classifyFailure(init)) {
    case 'ERR_ABORTED':
      return new AbortError(init)
    case 'ERR_TIMEOUT':
      return new TimeoutError(init)
    default:
      return new WxError(init)
  }
}

/** What `failure` may add to the error it makes. */
export interface FailureDetails {
  /** Words for the message, after the errMsg. */
  detail?: string
  /** The error or result that caused this one. */
  cause?: unknown
  /** The class to make (`TimeoutError`, `AbortError`). @default WxError */
  type?: typeof WxError
}

/**
 * A `WxError` (or `details.type`) of `api` whose errMsg is `"<api>:fail <reason>"`, with an
 * optional detail for the message and the error or result that caused it.
 */
export function failure(api: string, reason: string, details: FailureDetails = {}): WxError {
  const Type = details.type || WxError
  return new Type({ api, errMsg: api + ':fail ' + reason, cause: details.cause }, details.detail)
}

/**
 * `value` if it is an `Error`, else a `WxError` of `api` that describes it (a hook or a user
 * callback that threw a string): calls only ever reject with Errors.
 */
export function asError(api: string, value: unknown): Error {
  return value instanceof Error ? value : failure(api, describe(value), { cause: value })
}

/** The `AbortError` of a call of `api` cancelled by its caller (`abort()`, an unsubscribe). */
export function cancelledError(api: string): WxError {
  return failure(api, 'abort', { detail: 'cancelled by the caller', type: AbortError })
}

/** The `WxError` for an API that the running base library does not have. */
export function notSupported(api: string): WxError {
  return new WxError({ api, errMsg: api + ':fail not supported', code: 'ERR_NOT_SUPPORTED' })
}
