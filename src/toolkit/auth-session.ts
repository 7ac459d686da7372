// The state behind one withAuth pool and the transitions of each call through it:
//
//   call ─token─▶ sending ─accepted─▶ done
//   sending ─needs refresh─▶ waiting (one refresh for all) ─refreshed─▶ sending (replay) ─▶ done
//   sending ─needs refresh, token already newer─▶ sending (replay, no refresh)
//   waiting ─refresh failed─▶ done with AuthRefreshError
// A call is replayed at most once; a replay that still needs a refresh ends with its own
// response. Calls made while a refresh runs wait for it before they are first sent.
import { isHttpError } from '../core/errors'
import type { HeadersEvent, TransferApi } from '../network/request-types'
import type { AuthOptions, AuthResponse, AuthToken } from './auth-refresh'
import { noop } from '../core/noop'
import { AuthRefreshError } from './auth-refresh-error'
import type { CallSink, SendAttempt, WrappedCall } from './wrap-pool'

/** The token state one withAuth pool shares among its calls. */
export interface AuthSession {
  getToken: AuthOptions['getToken']
  refresh: AuthOptions['refresh']
  needsRefresh: (response: AuthResponse) => boolean
  applyToken: NonNullable<AuthOptions['applyToken']>
  /** Completed refreshes: a token read at an older version is known to be stale. */
  version: number
  refreshing: boolean
  /** Calls waiting for the refresh in flight. */
  waiting: AuthCall[]
}

/** One call through withAuth: where it is, and what it owes when cancelled. */
interface AuthCall {
  session: AuthSession
  /** The wx API of the call. */
  api: TransferApi
  /** The caller's options, without `signal` and the `auth` switch (never mutate them). */
  options: Record<string, any>
  /** Sends options through the wrapped pool. */
  send: SendAttempt
  sink: CallSink
  /** Whether its one replay has been spent. */
  replayed: boolean
  /** The session's version when its token was read. */
  tokenVersion: number
  /** Takes the attempt on the wire off it; replaced at each send. */
  cancelAttempt: () => void
  ended: boolean
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

/** The session of a withAuth pool, from its (checked) options. */
export function createAuthSession(options: AuthOptions): AuthSession {
  return {
    getToken: options.getToken,
    refresh: options.refresh,
    needsRefresh: options.needsRefresh || isUnauthorized,
    applyToken: options.applyToken || bearer,
    version: 0,
    refreshing: false,
    waiting: [],
  }
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

function needs(session: AuthSession, api: TransferApi, outcome: unknown, header?: unknown) {
  const response = responseOf(api, outcome, header)
  return !!response && session.needsRefresh(response)
}

function end(auth: AuthCall): void {
  auth.ended = true
  const waiting = auth.session.waiting
  const at = waiting.indexOf(auth)
  if (at >= 0) waiting.splice(at, 1)
}

function fail(auth: AuthCall, error: unknown): void {
  if (auth.ended) return
  end(auth)
  auth.sink.error(error)
}

function settleRefresh(session: AuthSession, error?: unknown): void {
  session.refreshing = false
  if (error === undefined) session.version++
  const failure = error === undefined ? undefined : new AuthRefreshError(error)
  for (const auth of session.waiting.splice(0)) {
    if (failure) {
      auth.ended = true
      auth.sink.error(failure)
    } else readToken(auth)
  }
}

function startRefresh(session: AuthSession): void {
  session.refreshing = true
  new Promise((resolve) => resolve(session.refresh())).then(
    () => settleRefresh(session),
    (error) => settleRefresh(session, error === undefined ? new Error('refresh rejected') : error),
  )
}

// A response said the token is no longer good: replay now or wait for a refresh, and say so;
// false when the one replay is spent (the response is then the call's outcome).
function replayed(auth: AuthCall): boolean {
  const session = auth.session
  if (auth.replayed) return false
  auth.replayed = true
  if (session.refreshing) session.waiting.push(auth)
  else if (auth.tokenVersion < session.version) readToken(auth)
  else {
    session.waiting.push(auth)
    startRefresh(session)
  }
  return true
}

function readToken(auth: AuthCall): void {
  auth.tokenVersion = auth.session.version
  let token: ReturnType<AuthSession['getToken']>
  try {
    token = auth.session.getToken()
  } catch (error) {
    return fail(auth, error)
  }
  if (!isThenable(token)) return send(auth, token)
  token.then(
    (value) => auth.ended || send(auth, value),
    (error) => fail(auth, error),
  )
}

// A copy of the caller's options (and of its header) with the token on it.
function tokenOptions(auth: AuthCall, token: AuthToken): Record<string, any> {
  const given = auth.options
  const copy: Record<string, any> = {}
  for (const key in given) copy[key] = given[key]
  copy.header = {}
  for (const key in given.header) copy.header[key] = given.header[key]
  if (token === null || token === undefined || token === '') return copy
  return auth.session.applyToken(copy, token) || copy
}

/** One send of a call: the sink of that attempt on the wire. */
class Attempt implements CallSink {
  /** Its headers called for a refresh: its headers and chunks are not passed on. */
  doomed = false

  constructor(private readonly auth: AuthCall) {}

  /** Judges headers (once); whether they, and the chunks after them, may be passed on. */
  seeHeaders(event: HeadersEvent): boolean {
    const auth = this.auth
    if (!this.doomed && !auth.replayed && typeof event.statusCode === 'number') {
      this.doomed = needs(auth.session, auth.api, { statusCode: event.statusCode }, event.header)
    }
    return !this.doomed
  }

  event(event: unknown): void {
    const type = (event as { type?: unknown }).type
    if (type !== 'headers' || this.seeHeaders(event as HeadersEvent)) this.auth.sink.event(event)
  }

  result(result: unknown): void {
    const auth = this.auth
    if (auth.ended || this.replays(result)) return
    end(auth)
    auth.sink.result(result)
  }

  error(error: unknown): void {
    if (this.auth.ended) return
    if (!isHttpError(error) || !this.replays(error, error.header)) fail(this.auth, error)
  }

  // Whether the response calls for a refresh and the call is replayed (or waits) for it. A
  // needsRefresh that throws fails the call: the pool may be delivering from inside wx.
  private replays(outcome: unknown, header?: unknown): boolean {
    const auth = this.auth
    try {
      if (!needs(auth.session, auth.api, outcome, header)) return false
    } catch (error) {
      fail(auth, error)
      return true
    }
    return replayed(auth)
  }
}

function send(auth: AuthCall, token: AuthToken): void {
  let options: Record<string, any>
  try {
    options = tokenOptions(auth, token)
  } catch (error) {
    return fail(auth, error)
  }
  const attempt = new Attempt(auth)
  gateStreamCallbacks(options, attempt)
  auth.cancelAttempt = auth.send(options, attempt)
}

/** Starts a call through the session; returns the function that cancels it. */
export function startAuthCall(session: AuthSession, call: WrappedCall, sink: CallSink) {
  const auth: AuthCall = {
    session,
    api: call.api,
    options: call.options as Record<string, any>,
    send: call.send,
    sink,
    replayed: false,
    tokenVersion: session.version,
    cancelAttempt: noop,
    ended: false,
  }
  if (session.refreshing) session.waiting.push(auth)
  else readToken(auth)
  return () => {
    if (auth.ended) return
    end(auth)
    auth.cancelAttempt()
  }
}

// Wraps the caller's own onHeadersReceived / onChunkReceived (when given) so that an attempt
// whose headers call for a refresh passes neither on: the replay's will follow.
function gateStreamCallbacks(options: Record<string, any>, attempt: Attempt): void {
  const onHeaders = options.onHeadersReceived
  const onChunk = options.onChunkReceived
  // A stream needs the headers judged even when its caller does not listen to them.
  if (typeof onHeaders === 'function' || typeof onChunk === 'function') {
    options.onHeadersReceived = (event: HeadersEvent) => {
      if (attempt.seeHeaders(event) && typeof onHeaders === 'function') onHeaders(event)
    }
  }
  if (typeof onChunk === 'function') {
    options.onChunkReceived = (chunk: ArrayBuffer) => {
      if (!attempt.doomed) onChunk(chunk)
    }
  }
}
