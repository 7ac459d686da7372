// withAuth: a pool that puts a token on every call and, when a response says the token is no
// longer good, refreshes it once for everyone and replays the calls that failed.
//
//   call ─token─▶ sending ─accepted─▶ done
//   sending ─needs refresh─▶ waiting (one refresh for all) ─refreshed─▶ sending (replay) ─▶ done
//   sending ─needs refresh, token already newer─▶ sending (replay, no refresh)
//   waiting ─refresh failed─▶ done with AuthRefreshError
// A call is replayed at most once; a replay that still needs a refresh ends with its own
// response. Calls made while a refresh runs wait for it before they are first sent.
import { optionsError, type Rules } from '../core/check'
import { isHttpError } from '../core/errors'
import { isPlainObject } from '../core/guards'
import type { RequestPool } from '../network/request-pool'
import type { HeadersEvent, TransferApi } from '../network/request-types'
import { AuthRefreshError } from './auth-refresh-error'
import { takeSwitch, type ToolkitRequestPool } from './toolkit-pool'
import { checkPool, wrapPool, type CallSink, type WrappedCall } from './wrap-pool'

/** What `needsRefresh` is told about a response. */
export interface AuthResponse {
  /** The wx API of the call. */
  api: TransferApi
  /** The HTTP status. */
  statusCode: number
  /**
   * The body (`request`, `uploadFile`) or file path (`downloadFile`); `undefined` when judged
   * on the headers of a streamed call, before any body.
   */
  data: unknown
  /** The response headers, when known. */
  header?: Record<string, string>
}

/** A token, or none (the call is sent without one). */
export type AuthToken = string | null | undefined

/** Options of `withAuth`. */
export interface AuthOptions {
  /**
   * The current token, read before every send (a replay reads it again). May return a
   * promise. Keep it cheap: a variable the app fills from storage at start is best.
   */
  getToken: () => AuthToken | PromiseLike<AuthToken>
  /**
   * Gets a new token and makes `getToken()` return it. Runs once however many calls fail at
   * once. Send it through the bare pool, or with `auth: false`: through the wrapped pool it
   * would wait for itself. A throw or rejection fails every waiting call with
   * `AuthRefreshError`.
   */
  refresh: () => unknown
  /**
   * Whether a response means "refresh the token and try again". Judged on every response,
   * accepted or not (a stream's `validateStatus` may accept every status), and on the headers
   * of calls that stream (`data` is then `undefined`). @default statusCode === 401
   */
  needsRefresh?: (response: AuthResponse) => boolean
  /**
   * Puts the token on a copy of the options (the copy and its `header` are yours to change);
   * may return new options instead. Not called when there is no token.
   * @default sets header `Authorization: Bearer <token>`
   */
  applyToken?: (options: Record<string, any>, token: string) => Record<string, any> | void
}

const API = 'withAuth'
const RULES: Rules = {
  getToken: { type: 'function', required: true },
  refresh: { type: 'function', required: true },
  needsRefresh: { type: 'function' },
  applyToken: { type: 'function' },
}

const isUnauthorized = (response: AuthResponse) => response.statusCode === 401

function bearer(options: Record<string, any>, token: string): void {
  options.header.Authorization = 'Bearer ' + token
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    !!value &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  )
}

// The response a result or an HttpError describes, or undefined when there is none.
function responseOf(
  api: TransferApi,
  outcome: unknown,
  header?: unknown,
): AuthResponse | undefined {
  const found = outcome as { statusCode?: unknown; data?: unknown; tempFilePath?: unknown }
  if (!found || typeof found.statusCode !== 'number') return undefined
  const data = api === 'downloadFile' && !isHttpError(outcome) ? found.tempFilePath : found.data
  return {
    api,
    statusCode: found.statusCode,
    data,
    header: (header || (found as { header?: unknown }).header) as Record<string, string>,
  }
}

/** One call through `withAuth`: where it is, and what it owes when cancelled. */
interface AuthCall {
  call: WrappedCall
  sink: CallSink
  /** Whether its one replay has been spent. */
  replayed: boolean
  /** The refresh count when its token was read. */
  tokenVersion: number
  /** Takes the attempt on the wire off it; replaced at each send. */
  cancelAttempt: () => void
  ended: boolean
}

/**
 * Wraps `pool` so that every call carries the token of `getToken()` and a response that
 * needs a refresh (by default a 401) triggers exactly one `refresh()` however many calls fail
 * at once; the calls that failed wait for it and are replayed once with the new token. A
 * call that failed with a token older than the current one is replayed without another
 * refresh. A failed refresh rejects every waiting call with one `AuthRefreshError` (code
 * `ERR_AUTH_REFRESH`) and nothing loops. Works for `request`, `uploadFile`, `downloadFile`,
 * their Observable forms and streamed calls (headers and chunks of a response that needs a
 * refresh are not passed on); `abort()` and unsubscribe free a waiting call at once. The
 * result is itself a `RequestPool` (combine it with `withDedupe`); `auth: false` on a call
 * skips all of this. Throws a `TypeError` for bad options.
 *
 * @example
 * const bare = createRequestPool({ baseURL: 'https://api.example.com' })
 * let token = wx.getStorageSync('token') as string
 * const api = withAuth(bare, {
 *   getToken: () => token,
 *   refresh: async () => {
 *     const { data } = await bare.request<{ token: string }>({ url: '/token', method: 'POST' })
 *     token = data.token
 *   },
 * })
 */
export function withAuth(pool: RequestPool, options: AuthOptions): ToolkitRequestPool {
  checkPool(API, pool)
  const invalid = optionsError(API, options, RULES)
  if (invalid) throw invalid
  const { getToken, refresh } = options
  const needsRefresh = options.needsRefresh || isUnauthorized
  const applyToken = options.applyToken || bearer
  /** Completed refreshes: a token read at an older version is known to be stale. */
  let version = 0
  let refreshing = false
  const waiting: AuthCall[] = []

  const end = (auth: AuthCall) => {
    auth.ended = true
    const at = waiting.indexOf(auth)
    if (at >= 0) waiting.splice(at, 1)
  }

  const needs = (api: TransferApi, outcome: unknown, header?: unknown): boolean => {
    const response = responseOf(api, outcome, header)
    return !!response && needsRefresh(response)
  }

  const settleRefresh = (error?: unknown) => {
    refreshing = false
    if (error === undefined) version++
    const failure = error === undefined ? undefined : new AuthRefreshError(error)
    for (const auth of waiting.splice(0)) {
      if (failure) {
        auth.ended = true
        auth.sink.error(failure)
      } else readToken(auth)
    }
  }

  const startRefresh = () => {
    refreshing = true
    new Promise((resolve) => resolve(refresh())).then(
      () => settleRefresh(),
      (error) => settleRefresh(error === undefined ? new Error('refresh rejected') : error),
    )
  }

  // A response said the token is no longer good: replay now, wait, or give up.
  const unauthorized = (auth: AuthCall, deliver: () => void) => {
    if (auth.replayed) return deliver()
    auth.replayed = true
    if (refreshing) waiting.push(auth)
    else if (auth.tokenVersion < version) readToken(auth)
    else {
      waiting.push(auth)
      startRefresh()
    }
  }

  const readToken = (auth: AuthCall) => {
    auth.tokenVersion = version
    let token: ReturnType<typeof getToken>
    try {
      token = getToken()
    } catch (error) {
      return fail(auth, error)
    }
    if (!isThenable(token)) return send(auth, token)
    token.then(
      (value) => auth.ended || send(auth, value),
      (error) => fail(auth, error),
    )
  }

  const fail = (auth: AuthCall, error: unknown) => {
    if (auth.ended) return
    end(auth)
    auth.sink.error(error)
  }

  const send = (auth: AuthCall, token: AuthToken) => {
    const { api, send: sendAttempt } = auth.call
    let attemptOptions: Record<string, any>
    try {
      attemptOptions = tokenOptions(auth, token)
    } catch (error) {
      return fail(auth, error)
    }
    let doomed = false
    // Headers that call for a refresh mark the attempt: its headers and chunks stay here.
    const seeHeaders = (event: HeadersEvent) => {
      if (!doomed && !auth.replayed && typeof event.statusCode === 'number') {
        doomed = needs(api, { statusCode: event.statusCode }, event.header)
      }
      return !doomed
    }
    gateStreamCallbacks(attemptOptions, seeHeaders, () => !doomed)
    auth.cancelAttempt = sendAttempt(attemptOptions, {
      event: (event) => {
        const type = (event as { type?: unknown }).type
        if (type !== 'headers' || seeHeaders(event as HeadersEvent)) auth.sink.event(event)
      },
      result: (result) => {
        if (auth.ended) return
        const deliver = () => (end(auth), auth.sink.result(result))
        if (needs(api, result)) unauthorized(auth, deliver)
        else deliver()
      },
      error: (error) => {
        if (auth.ended) return
        const deliver = () => fail(auth, error)
        if (isHttpError(error) && needs(api, error, error.header)) unauthorized(auth, deliver)
        else deliver()
      },
    })
  }

  const tokenOptions = (auth: AuthCall, token: AuthToken): Record<string, any> => {
    const given = auth.call.options as Record<string, any>
    const copy: Record<string, any> = {}
    for (const key in given) copy[key] = given[key]
    copy.header = {}
    for (const key in given.header) copy.header[key] = given.header[key]
    if (token === null || token === undefined || token === '') return copy
    return applyToken(copy, token) || copy
  }

  return wrapPool(pool, (call, sink) => {
    if (!isPlainObject(call.options)) return call.send(call.options, sink)
    const taken = takeSwitch(call.options, 'auth')
    if (taken.value === false) return call.send(taken.options, sink)
    const auth: AuthCall = {
      call: { api: call.api, options: taken.options, send: call.send },
      sink,
      replayed: false,
      tokenVersion: version,
      cancelAttempt: () => {},
      ended: false,
    }
    if (refreshing) waiting.push(auth)
    else readToken(auth)
    return () => {
      if (auth.ended) return
      end(auth)
      auth.cancelAttempt()
    }
  }) as ToolkitRequestPool
}

// Wraps the caller's own onHeadersReceived / onChunkReceived (when given) so that an attempt
// whose headers call for a refresh passes neither on: the replay's will follow.
function gateStreamCallbacks(
  options: Record<string, any>,
  seeHeaders: (event: HeadersEvent) => boolean,
  open: () => boolean,
): void {
  const onHeaders = options.onHeadersReceived
  const onChunk = options.onChunkReceived
  // A stream needs the headers judged even when its caller does not listen to them.
  if (typeof onHeaders === 'function' || typeof onChunk === 'function') {
    options.onHeadersReceived = (event: HeadersEvent) => {
      if (seeHeaders(event) && typeof onHeaders === 'function') onHeaders(event)
    }
  }
  if (typeof onChunk === 'function') {
    options.onChunkReceived = (chunk: ArrayBuffer) => {
      if (open()) onChunk(chunk)
    }
  }
}
