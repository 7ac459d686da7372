// withDedupe: identical requests in flight at once share one wire request. Each caller holds
// a place in the flight; leaving (abort, unsubscribe, signal) gives up only that place, and
// the wire request is aborted when the last place is given up.
import { optionsError, type Rules } from '../core/check'
import { isPlainObject } from '../core/guards'
import type { RequestPool } from '../network/request-pool'
import { DEFAULT_IGNORED_HEADERS, requestKey } from './request-key'
import { withoutSwitch, type ToolkitRequestPool } from './toolkit-pool'
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
 * One wire request and the callers waiting for it. It is the sink of that request: when it
 * lands, every caller gets the outcome, each result its own copy.
 */
class Flight implements CallSink {
  callers: CallSink[]
  /** Aborts the wire request. */
  cancel: () => void = noop
  ended = false

  constructor(
    private readonly flights: Map<string, Flight>,
    private readonly key: string,
    first: CallSink,
  ) {
    this.callers = [first]
  }

  /** A caller gives up its place; the wire request is aborted when the last one leaves. */
  leave(sink: CallSink): void {
    const at = this.callers.indexOf(sink)
    if (this.ended || at < 0) return
    this.callers.splice(at, 1)
    if (this.callers.length) return
    this.end()
    this.cancel()
  }

  event(): void {}

  // The copies are made before any caller runs, so none sees another's changes.
  result(result: unknown): void {
    if (this.ended) return
    this.end()
    const callers = this.callers
    const results: unknown[] = [result]
    for (let index = 1; index < callers.length; index++) results.push(cloneResult(result))
    for (let index = 0; index < callers.length; index++) callers[index].result(results[index])
  }

  error(error: unknown): void {
    if (this.ended) return
    this.end()
    for (const sink of this.callers) sink.error(error)
  }

  private end(): void {
    this.ended = true
    this.flights.delete(this.key)
  }
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

  // Starts the wire request of a new flight with the first caller's options.
  const takeOff = (key: string, send: SendAttempt, given: unknown, sink: CallSink) => {
    const flight = new Flight(flights, key, sink)
    flights.set(key, flight)
    const cancel = send(given, flight)
    // A wx that answered inside send has landed the flight already.
    if (flight.ended) return noop
    flight.cancel = cancel
    return () => flight.leave(sink)
  }

  return wrapPool(pool, (call, sink) => {
    if (call.api !== 'request' || !isPlainObject(call.options)) return call.send(call.options, sink)
    const given = withoutSwitch(call.options, 'dedupe')
    const switched = call.options.dedupe
    const method = String(given.method || 'GET').toUpperCase()
    const wanted = switched === undefined ? methods.indexOf(method) >= 0 : switched === true
    const key = wanted ? requestKey(given, ignored) : undefined
    if (key === undefined) return call.send(given, sink)
    const flight = flights.get(key)
    if (!flight) return takeOff(key, call.send, given, sink)
    flight.callers.push(sink)
    return () => flight.leave(sink)
  }) as ToolkitRequestPool
}
