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
import { AuthRefreshError } from './auth-refresh-error'
import type { CallSink, WrappedCall } from './wrap-pool'

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
  call: WrappedCall
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

// A response said the token is no longer good: replay now, wait, or give up.
function unauthorized(auth: AuthCall, deliver: () => void): void {
  const session = auth.session
  if (auth.replayed) return deliver()
  auth.replayed = true
  if (session.refreshing) session.waiting.push(auth)
  else if (auth.tokenVersion < session.version) readToken(auth)
  else {
    session.waiting.push(auth)
    startRefresh(session)
  }
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
  const given = auth.call.options as Record<string, any>
  const copy: Record<string, any> = {}
  for (const key in given) copy[key] = given[key]
  copy.header = {}
  for (const key in given.header) copy.header[key] = given.header[key]
  if (token === null || token === undefined || token === '') return copy
  return auth.session.applyToken(copy, token) || copy
}

function send(auth: AuthCall, token: AuthToken): void {
  const { api, send: sendAttempt } = auth.call
  const session = auth.session
  let options: Record<string, any>
  try {
    options = tokenOptions(auth, token)
  } catch (error) {
    return fail(auth, error)
  }
  let doomed = false
  // Headers that call for a refresh mark the attempt: its headers and chunks stay here.
  const seeHeaders = (event: HeadersEvent) => {
    if (!doomed && !auth.replayed && typeof event.statusCode === 'number') {
      doomed = needs(session, api, { statusCode: event.statusCode }, event.header)
    }
    return !doomed
  }
  gateStreamCallbacks(options, seeHeaders, () => !doomed)
  auth.cancelAttempt = sendAttempt(options, {
    event: (event) => {
      const type = (event as { type?: unknown }).type
      if (type !== 'headers' || seeHeaders(event as HeadersEvent)) auth.sink.event(event)
    },
    result: (result) => {
      if (auth.ended) return
      const deliver = () => (end(auth), auth.sink.result(result))
      if (needs(session, api, result)) unauthorized(auth, deliver)
      else deliver()
    },
    error: (error) => {
      if (auth.ended) return
      const deliver = () => fail(auth, error)
      if (isHttpError(error) && needs(session, api, error, error.header)) {
        unauthorized(auth, deliver)
      } else deliver()
    },
  })
}

/** Starts a call through the session; returns the function that cancels it. */
export function startAuthCall(session: AuthSession, call: WrappedCall, sink: CallSink) {
  const auth: AuthCall = {
    session,
    call,
    sink,
    replayed: false,
    tokenVersion: session.version,
    cancelAttempt: () => {},
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
