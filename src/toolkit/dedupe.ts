// withDedupe: identical requests in flight at once share one wire request. Each caller holds
// a place in the flight; leaving (abort, unsubscribe, signal) gives up only that place, and
// the wire request is aborted when the last place is given up.
import { optionsError, type Rules } from '../core/check'
import { isPlainObject } from '../core/guards'
import type { RequestPool } from '../network/request-pool'
import { DEFAULT_IGNORED_HEADERS, requestKey } from './request-key'
import { takeSwitch, type ToolkitRequestPool } from './toolkit-pool'
import { checkPool, wrapPool, type CallSink, type SendAttempt } from './wrap-pool'
import { noop } from '../core/noop'

/** Options of `withDedupe`. */
export interface DedupeOptions {
  /** Methods whose identical requests share a wire request. @default ['GET', 'HEAD'] */
  methods?: string[]
  /**
   * Header names (any case) that do not make requests different. Every other header does,
   * `Authorization` included, so two users never share an answer.
   * @default ['x-request-id', 'traceparent', 'tracestate']
   */
  ignoreHeaders?: string[]
}

const API = 'withDedupe'
const RULES: Rules = {
  methods: { type: 'array', items: { type: 'string', nonEmpty: true } },
  ignoreHeaders: { type: 'array', items: { type: 'string' } },
}

/** One wire request and the callers waiting for it. */
interface Flight {
  callers: CallSink[]
  cancel: () => void
  ended: boolean
}

/**
 * A copy of a response body that shares nothing mutable with it: plain objects and arrays are
 * copied deeply, an ArrayBuffer is sliced; strings, numbers and the rest are immutable.
 */
export function cloneData<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(cloneData) as unknown as T
  if (value instanceof ArrayBuffer) return value.slice(0) as unknown as T
  if (Object.prototype.toString.call(value) !== '[object Object]') return value
  const copy: Record<string, unknown> = {}
  for (const key in value) copy[key] = cloneData((value as Record<string, unknown>)[key])
  return copy as T
}

function cloneResult(result: unknown): unknown {
  if (!isPlainObject(result)) return result
  const copy: Record<string, unknown> = {}
  for (const key in result) copy[key] = result[key]
  copy.data = cloneData(result.data)
  if (isPlainObject(result.header)) copy.header = cloneData(result.header)
  if (Array.isArray(result.cookies)) copy.cookies = result.cookies.slice()
  return copy
}

/**
 * Wraps `pool` so that identical requests in flight at once share one wire request: same
 * method (GET and HEAD by default), URL with its query, `data`, `dataType`/`responseType`
 * and headers (all but `ignoreHeaders`). Each caller's `abort()` (or unsubscribe, or
 * `signal`) detaches only that caller; the wire request is aborted when the last caller
 * leaves. When several callers share a result, each gets its own copy (the body deep-copied),
 * so one caller changing its data never changes another's; a failure is the same error object
 * for all. Calls that stream, listen to headers (`onHeadersReceived`) or pass their own
 * `validateStatus` are never shared. Per call,
 * `dedupe: false` opts out and `dedupe: true` opts in whatever the method. Only `request`
 * is deduplicated; uploads and downloads pass through. The settings of the first caller
 * (priority, timeout, retry) are those of the shared request. Throws a `TypeError` for bad
 * options.
 *
 * @example
 * const api = withDedupe(withAuth(createRequestPool({ baseURL }), auth))
 * // two components asking at once: one wire request, two answers
 * const [a, b] = await Promise.all([api.request({ url: '/me' }), api.request({ url: '/me' })])
 */
export function withDedupe(pool: RequestPool, options: DedupeOptions = {}): ToolkitRequestPool {
  checkPool(API, pool)
  const invalid = optionsError(API, options, RULES)
  if (invalid) throw invalid
  const methods = (options.methods || ['GET', 'HEAD']).map((m) => m.toUpperCase())
  const ignored = (options.ignoreHeaders || DEFAULT_IGNORED_HEADERS).map((h) => h.toLowerCase())
  const flights = new Map<string, Flight>()

  const leave = (key: string, flight: Flight, sink: CallSink) => {
    const at = flight.callers.indexOf(sink)
    if (flight.ended || at < 0) return
    flight.callers.splice(at, 1)
    if (flight.callers.length) return
    flight.ended = true
    flights.delete(key)
    flight.cancel()
  }

  // The flight is over: every caller gets the outcome, each result its own copy. The copies
  // are made before any caller runs, so none sees another's changes.
  const land = (key: string, flight: Flight, outcome: { result?: unknown; error?: unknown }) => {
    if (flight.ended) return
    flight.ended = true
    flights.delete(key)
    const callers = flight.callers
    if ('error' in outcome) {
      for (const sink of callers) sink.error(outcome.error)
      return
    }
    const results = callers.map((_, i) => (i === 0 ? outcome.result : cloneResult(outcome.result)))
    callers.forEach((sink, i) => sink.result(results[i]))
  }

  // Starts the wire request of a new flight with the first caller's options.
  const takeOff = (
    key: string,
    send: SendAttempt,
    given: Record<string, unknown>,
    sink: CallSink,
  ) => {
    const flight: Flight = {
      callers: [sink],
      cancel: noop,
      ended: false,
    }
    flights.set(key, flight)
    const cancel = send(given, {
      event: noop,
      result: (result) => land(key, flight, { result }),
      error: (error) => land(key, flight, { error }),
    })
    // A wx that answered inside send has landed the flight already.
    if (flight.ended) return noop
    flight.cancel = cancel
    return () => leave(key, flight, sink)
  }

  return wrapPool(pool, (call, sink) => {
    if (call.api !== 'request' || !isPlainObject(call.options)) return call.send(call.options, sink)
    const taken = takeSwitch(call.options, 'dedupe')
    const given = taken.options
    const method = String(given.method || 'GET').toUpperCase()
    const wanted = taken.value === undefined ? methods.indexOf(method) >= 0 : taken.value === true
    const key = wanted ? requestKey(given, ignored) : undefined
    if (key === undefined) return call.send(given, sink)
    const flight = flights.get(key)
    if (!flight) return takeOff(key, call.send, given, sink)
    flight.callers.push(sink)
    return () => leave(key, flight, sink)
  }) as ToolkitRequestPool
}
