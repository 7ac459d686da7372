// withAuth: a pool that puts a token on every call and, when a response says the token is no
// longer good, refreshes it once for everyone and replays the calls that failed (the states
// of a call are in auth-session.ts).
import { optionsError, type Rules } from '../core/check'
import { isPlainObject } from '../core/guards'
import type { RequestPool } from '../network/request-pool'
import type { TransferApi } from '../network/request-types'
import { createAuthSession, startAuthCall } from './auth-session'
import { withoutSwitch, type ToolkitRequestPool } from './toolkit-pool'
import { checkPool, wrapPool } from './wrap-pool'

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
  const session = createAuthSession(options)
  return wrapPool(pool, (call, sink) => {
    if (!isPlainObject(call.options)) return call.send(call.options, sink)
    const options = withoutSwitch(call.options, 'auth')
    if (call.options.auth === false) return call.send(options, sink)
    const stripped = options === call.options ? call : { api: call.api, options, send: call.send }
    return startAuthCall(session, stripped, sink)
  }) as ToolkitRequestPool
}
