// The request pool: cold Observables and cancellable promises over one state machine per call
// (DESIGN.md, "The life of a pooled request").
//   preparing ─hooks─▶ queued ─slot & online─▶ running ─2xx─▶ finishing ─afterResponse─▶ ended
//   running ─retryable─▶ backoff (no slot) ─timer, beforeRetry─▶ queued (front of priority)
// A slot is counted only in `running`; cancel works in every state. Everything lives in
// closures: the engine's state in createRequestPool's, each call's in run's.
import { Observable, Subject, type Subscription } from 'rxjs'
import { describe } from '../core/describe'
import {
  AbortError,
  HttpError,
  isAbortError,
  isHttpError,
  type WxError,
  failure,
} from '../core/errors'
import {
  arrayOf,
  atLeast,
  BOOLEAN,
  check,
  FUNCTION,
  isFunction,
  isNumber,
  isObject,
  isString,
  needObject,
  OBJECT,
  STRING,
  TIMEOUT,
} from '../core/check-legacy'
import { runHookChain } from './hook-chain'
import { isOnline$ } from './network-status'
import { createPriorityQueue } from './priority-queue'
import {
  checkHeader,
  checkPrepared,
  mergeHeaders,
  methodOf,
  prepareOptions,
} from './request-options'
import type {
  DownloadEvent,
  DownloadFileResult,
  DownloadOptions,
  HookContext,
  PreparedOptions,
  RequestData,
  RequestHooks,
  RequestOptions,
  RequestPoolOptions,
  RequestPoolStats,
  RequestResult,
  RetryContext,
  TransferApi,
  UploadEvent,
  UploadFileResult,
  UploadOptions,
} from './request-types'
import { decideRetry, DEFAULT_RETRY, resolveRetry, type RetryPolicy } from './retry-policy'
import { sendAttempt, type AttemptEvent } from './send-attempt'

/**
 * A Promise of a pooled call that can be cancelled: `abort()` removes a queued call (never
 * sent), aborts a running one (`task.abort()`, slot freed at once) or clears a retry timer,
 * and the promise rejects with `AbortError`. After the promise has settled it does nothing.
 * Keep the promise returned by the call: `.then()` makes a new one without `abort`.
 *
 * @example
 * const p = request({ url: '/search', data: { q } })
 * onUnload(() => p.abort())
 * const { data } = await p
 */
export type CancellablePromise<T> = Promise<T> & {
  /** Cancels the call; the promise rejects with `AbortError`. */
  abort(): void
}

/** A pool of HTTP calls with a concurrency limit, priorities, retries and offline awareness. */
export interface RequestPool {
  /** Calls on the wire at once. */
  readonly concurrency: number
  /** Calls waiting for a slot (p-queue's `size`). */
  readonly size: number
  /** Calls on the wire now (p-queue's `pending`). */
  readonly pending: number
  /** The counters now, then after every transition. */
  readonly stats$: Observable<RequestPoolStats>
  /** The counters now. */
  getStats(): RequestPoolStats
  /** Resolves when nothing is preparing, queued, running or waiting to retry. */
  onIdle(): Promise<void>
  /**
   * `wx.request` through the pool, as a cold Observable: subscribing sends, the result is
   * emitted and it completes; unsubscribing first cancels. A status the call does not
   * accept errors with `HttpError`.
   */
  request$<T extends RequestData = any>(options: RequestOptions<T>): Observable<RequestResult<T>>
  /** `wx.uploadFile` through the pool: progress and header events, then the result. */
  upload$(options: UploadOptions): Observable<UploadEvent>
  /** `wx.downloadFile` through the pool: progress and header events, then the result. */
  download$(options: DownloadOptions): Observable<DownloadEvent>
  /** `wx.request` through the pool, as a cancellable promise. */
  request<T extends RequestData = any>(
    options: RequestOptions<T>,
  ): CancellablePromise<RequestResult<T>>
  /** `wx.uploadFile` through the pool, as a cancellable promise. */
  uploadFile(options: UploadOptions): CancellablePromise<UploadFileResult>
  /** `wx.downloadFile` through the pool, as a cancellable promise. */
  downloadFile(options: DownloadOptions): CancellablePromise<DownloadFileResult>
}

/** Where a call's events go: the Observable's subscriber or the promise's resolve/reject. */
interface CallSink {
  event?: false | ((event: AttemptEvent) => void)
  result(result: any): void
  error(error: unknown): void
}

// One call through the pool. A plain object with short keys rather than a closure per step:
// a busy pool holds thousands of queued calls, and each one stays small.
interface Call {
  /** The wx API. */
  a: TransferApi
  /** The options being sent (hooks may replace them). */
  o: PreparedOptions
  /** The caller's own options. */
  g: Record<string, any>
  /** Priority. */
  p: number
  /** Retry policy. */
  r: RetryPolicy
  /** Where the outcome goes. */
  k: CallSink
  /** State. */
  s: number
  /** Retries made. */
  n: number
  /** Takes the call off the wire, or clears its retry timer. */
  x: () => void
  /** The cancel function handed to the caller. */
  c: () => void
  /** True once a body chunk arrived: the call may no longer be retried. */
  receivedChunk?: boolean
}

// The states of a call.
const PREPARING = 0
const QUEUED = 1
const RUNNING = 2
const BACKOFF = 3
const FINISHING = 4
const ENDED = 5

const API = 'createRequestPool'
const HOOKS = /*#__PURE__*/ arrayOf(isFunction, 'an array of functions')

function noop(): void {}

function accept2xx(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300
}

function toError(api: string, value: unknown): Error {
  return value instanceof Error ? value : failure(api, describe(value), '', value)
}

function abortError(api: string): WxError {
  return failure(api, 'abort', 'cancelled by the caller', undefined, AbortError)
}

/**
 * Makes a request pool. Its Observables and promises send through `wx.request`,
 * `wx.uploadFile` and `wx.downloadFile` with at most `concurrency` calls on the wire,
 * higher `priority` first, a per-attempt `timeout`, retries with backoff for idempotent
 * methods, and queued calls held while the device is offline. Throws a `TypeError` naming
 * the field for bad options (a `concurrency` of 0, an unknown option type).
 *
 * @example
 * const api = createRequestPool({ baseURL: 'https://api.example.com', header: { 'X-App': '1' } })
 * const { data } = await api.request({ url: '/me', timeout: 5000 })
 */
export function createRequestPool(options: RequestPoolOptions = {}): RequestPool {
  needObject(API, options as unknown)
  check(API, options, {
    concurrency: atLeast(1, 'whole'),
    baseURL: STRING,
    timeout: TIMEOUT,
    validateStatus: FUNCTION,
    waitForNetwork: BOOLEAN,
    allowInsecure: BOOLEAN,
    allowedHosts: arrayOf(isString, 'an array of host names'),
    hooks: OBJECT,
  })
  checkHeader(API, 'options.header', options.header)
  const hooks: RequestHooks = options.hooks || {}
  check(
    API,
    hooks,
    { beforeRequest: HOOKS, afterResponse: HOOKS, beforeRetry: HOOKS },
    'options.hooks.',
  )
  const basePolicy = resolveRetry(API, options.retry, DEFAULT_RETRY)
  // Copies: later changes to the caller's objects must not loosen the checks.
  const defaults = {
    baseURL: options.baseURL,
    header: options.header && mergeHeaders(undefined, options.header),
    allowInsecure: options.allowInsecure,
    allowedHosts: options.allowedHosts && options.allowedHosts.slice(),
  }
  const poolTimeout = options.timeout
  const poolValidate = options.validateStatus || accept2xx
  const copy = <T>(list?: T[]) => (list || []).slice()
  const beforeRequest = copy(hooks.beforeRequest)
  const afterResponse = copy(hooks.afterResponse)
  const beforeRetry = copy(hooks.beforeRetry)
  const wait = options.waitForNetwork !== false
  const concurrency = options.concurrency || 5
  const queue = createPriorityQueue<Call>()
  const lastGoodUrl = { url: '' }
  const changes = new Subject<RequestPoolStats>()
  let idle: Array<() => void> = []
  let running = 0
  let waiting = 0
  // Calls preparing, queued, running, backing off or finishing.
  let active = 0
  let done = 0
  let failed = 0
  let cancelled = 0
  let retried = 0
  let online = wait ? undefined : true
  let network: Subscription | undefined
  let pumping: unknown

  const stats = (): RequestPoolStats => ({
    queued: queue.size,
    inFlight: running,
    backoff: waiting,
    done,
    failed,
    cancelled,
    retried,
  })

  const notify = () => {
    if (changes.observed) changes.next(stats())
  }

  const pump = () => {
    // Re-entrant calls (a synchronous wx answering inside a start) leave the work to the
    // loop already running, which re-reads its conditions after each start.
    if (pumping) return
    pumping = 1
    try {
      while (running < concurrency && online && queue.size) start(queue.shift() as Call)
    } finally {
      pumping = 0
    }
  }

  const end = (call: Call, error?: unknown, result?: unknown, byCaller?: boolean) => {
    const state = call.s
    if (state == ENDED) return
    if (state == BACKOFF) waiting--
    call.s = ENDED
    if (byCaller) cancelled++
    else if (error) failed++
    else done++
    if (call.g.signal) call.g.signal.removeEventListener('abort', call.c)
    if (!--active) {
      if (network) {
        network.unsubscribe()
        network = online = undefined
      }
      const resolve = idle
      idle = []
      resolve.forEach((fn) => fn())
    }
    notify()
    if (error) call.k.error(error)
    else call.k.result(result)
  }

  const fail = (call: Call) => (error: unknown) => end(call, toError(call.a, error))

  const enqueue = (call: Call, front?: boolean) => {
    if (call.s == ENDED) return
    try {
      checkPrepared(call.a, call.o, defaults, lastGoodUrl)
    } catch (error) {
      return end(call, error)
    }
    call.s = QUEUED
    queue.push(call, call.p, front)
    notify()
    pump()
  }

  const emit = (call: Call, event: AttemptEvent) => {
    if (event.type == 'chunk') {
      call.receivedChunk = true
      // A caller may set enableChunked itself without a listener.
      if (isFunction(call.g.onChunkReceived)) call.g.onChunkReceived(event.data)
      return
    }
    const own = event.type == 'headers' ? call.g.onHeadersReceived : call.g.onProgressUpdate
    if (own) own(event)
    if (call.k.event) call.k.event(event)
  }

  const start = (call: Call) => {
    call.s = RUNNING
    running++
    notify()
    const abort = sendAttempt(
      call.a,
      call.o,
      call.o.timeout as number | undefined,
      call,
      emit,
      attemptEnded,
    )
    // Unless it already ended (a synchronous wx).
    if (call.s == RUNNING) call.x = abort
  }

  const attemptEnded = (call: Call, error: Error | undefined, result: any, header: unknown) => {
    const api = call.a
    const options = call.o
    running--
    try {
      const status = result && result.statusCode
      if (!error && isNumber(status) && !(call.g.validateStatus || poolValidate)(status)) {
        error = new HttpError({
          api,
          statusCode: status,
          data: api == 'downloadFile' ? result.tempFilePath || result.filePath : result.data,
          header: (header || {}) as Record<string, string>,
          request: { method: methodOf(api, options), url: options.url },
          cause: result,
        })
      }
    } catch (thrown) {
      error = toError(api, thrown)
    }
    if (error) {
      retryOrFail(call, error, header)
      pump()
      return
    }
    // The slot goes to the next call before the result reaches the caller's code.
    call.s = FINISHING
    pump()
    // Cancelled while the slot was handed on?
    if (call.s == ENDED) return
    notify()
    if (!afterResponse.length) return end(call, undefined, result)
    runHookChain(
      afterResponse,
      result,
      (previous, answer) => (answer === undefined ? previous : answer),
      (final) => end(call, undefined, final),
      fail(call),
      { api, options },
    )
  }

  const retryOrFail = (call: Call, error: Error, header: unknown) => {
    const api = call.a
    const policy = call.r
    const method = methodOf(api, call.o)
    // A retry would deliver the chunks already handed over a second time.
    if (call.receivedChunk) return end(call, error)
    // A network failure while the device is known to be offline spends no retry: the call
    // goes back to the front of the queue and leaves when the network is back.
    if (
      online === false &&
      !isHttpError(error) &&
      !isAbortError(error) &&
      policy.limit > 0 &&
      policy.methods.indexOf(method) >= 0
    ) {
      return enqueue(call, true)
    }
    const retry: RetryContext = { api, options: call.o, attempt: call.n + 1, error, delay: 0 }
    try {
      if (!decideRetry(policy, method, retry, header, Date.now())) return end(call, error)
    } catch (thrown) {
      return fail(call)(thrown)
    }
    call.n++
    call.s = BACKOFF
    waiting++
    retried++
    notify()
    const timer = setTimeout(
      () =>
        runHookChain(
          beforeRetry,
          retry,
          (previous) => previous,
          () => {
            if (call.s != BACKOFF) return
            waiting--
            call.s = PREPARING
            call.o = retry.options
            enqueue(call, true)
          },
          fail(call),
          retry,
        ),
      retry.delay,
    )
    call.x = () => clearTimeout(timer)
  }

  // Starts a call of `api` and returns its cancel function. Everything, bad input included,
  // is reported through `sink`; nothing throws.
  const run = (api: TransferApi, input: unknown, sink: CallSink): (() => void) => {
    const given = (isObject(input) ? input : {}) as Record<string, any>
    let options: PreparedOptions
    let policy: RetryPolicy
    try {
      options = prepareOptions(api, input, defaults)
      policy = resolveRetry(api, given.retry, basePolicy)
    } catch (error) {
      sink.error(toError(api, error))
      return noop
    }
    if (options.timeout === undefined && poolTimeout) options.timeout = poolTimeout
    const signal = given.signal
    if (signal && signal.aborted) {
      sink.error(abortError(api))
      return noop
    }
    const call: Call = {
      a: api,
      o: options,
      g: given,
      p: given.priority || 0,
      r: policy,
      k: sink,
      s: PREPARING,
      n: 0,
      x: noop,
      c: () => {
        const state = call.s
        if (state == ENDED) return
        if (state == QUEUED) queue.remove(call, call.p)
        if (state == RUNNING) running--
        call.x()
        end(call, abortError(api), undefined, true)
        if (state == RUNNING) pump()
      },
    }
    if (signal) signal.addEventListener('abort', call.c)
    if (!active++ && wait) {
      // isOnline$ answers at once when another subscriber already knows the state, otherwise
      // after wx.getNetworkType; until then nothing leaves the queue.
      network = isOnline$.subscribe((now) => {
        online = now
        if (now) pump()
      })
    }
    if (!beforeRequest.length) {
      enqueue(call)
      return call.c
    }
    const context: HookContext = { api, options }
    runHookChain(
      beforeRequest,
      options,
      (previous, answer) =>
        (context.options = call.o = isObject(answer) ? (answer as PreparedOptions) : previous),
      () => enqueue(call),
      fail(call),
      context,
    )
    return call.c
  }

  const observable =
    <E>(api: TransferApi, events?: boolean) =>
    (input: unknown) =>
      new Observable<E>((subscriber) =>
        run(api, input, {
          event: events && ((event) => subscriber.next(event as E)),
          result: (result) => {
            subscriber.next((events ? { ...result, type: 'result' } : result) as E)
            subscriber.complete()
          },
          error: (error) => subscriber.error(error),
        }),
      )

  const promise =
    <R>(api: TransferApi) =>
    (input: unknown): CancellablePromise<R> => {
      let cancel = noop
      const result = new Promise<R>((resolve, reject) => {
        cancel = run(api, input, { result: resolve, error: reject })
      }) as CancellablePromise<R>
      result.abort = () => cancel()
      return result
    }

  return {
    concurrency,
    get size() {
      return queue.size
    },
    get pending() {
      return running
    },
    stats$: new Observable<RequestPoolStats>((subscriber) => {
      subscriber.next(stats())
      return changes.subscribe(subscriber)
    }),
    getStats: stats,
    onIdle: () => (active ? new Promise<void>((resolve) => idle.push(resolve)) : Promise.resolve()),
    request$: observable('request'),
    upload$: observable('uploadFile', true),
    download$: observable('downloadFile', true),
    request: promise('request'),
    uploadFile: promise('uploadFile'),
    downloadFile: promise('downloadFile'),
  } as RequestPool
}
