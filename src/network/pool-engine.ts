// The request pool's engine: one state machine per call (DESIGN.md, "The life of a pooled request").
//   preparing ─hooks─▶ queued ─slot & online─▶ running ─2xx─▶ finishing ─afterResponse─▶ ended
//   running ─retryable─▶ backoff (no slot) ─timer, beforeRetry─▶ queued (front of priority)
// A slot is counted only in `running`; cancel works in every state.
import { Observable, timer, type Subscriber, type Subscription } from 'rxjs'
import { argumentError, describe, isPlainObject } from '../core/describe'
import { AbortError, HttpError, isAbortError, isHttpError, WxError } from '../core/errors'
import { runHookChain } from './hook-chain'
import { isOnline$ } from './network-status'
import { PriorityQueue } from './priority-queue'
import {
  checkHeader,
  checkPrepared,
  mergeHeaders,
  methodOf,
  prepareOptions,
} from './request-options'
import { decideRetry, DEFAULT_RETRY, resolveRetry, type RetryPolicy } from './retry-policy'
import type {
  HeadersEvent,
  HookContext,
  PreparedOptions,
  RequestHooks,
  RequestPoolOptions,
  RequestPoolStats,
  RetryContext,
  TransferApi,
} from './request-types'
import { Attempt, type AttemptHandlers } from './send-attempt'

/** Where a call's events go: the Observable's subscriber or the promise's resolve/reject. */
export interface CallSink {
  headers?(event: HeadersEvent): void
  progress?(event: { type: 'progress' } & Record<string, unknown>): void
  result(result: any): void
  error(error: Error): void
}

type CallState = 'preparing' | 'queued' | 'running' | 'backoff' | 'finishing' | 'ended'

// One call through the pool; it is also the handler of its attempts (one object, not three
// closures per attempt).
class Call implements AttemptHandlers {
  state: CallState = 'preparing'
  retries = 0
  attempt?: Attempt
  backoff?: Subscription
  signal?: { removeEventListener(type: 'abort', listener: () => void): void }
  onSignal?: () => void
  onHeaders?: (event: HeadersEvent) => void
  onProgress?: (event: { type: 'progress' } & Record<string, unknown>) => void

  constructor(
    readonly engine: PoolEngine,
    readonly api: TransferApi,
    readonly priority: number,
    public options: PreparedOptions,
    readonly policy: RetryPolicy,
    readonly validateStatus: (statusCode: number) => boolean,
    readonly sink: CallSink,
  ) {}

  headers(event: HeadersEvent): void {
    if (this.onHeaders) this.onHeaders(event)
    if (this.sink.headers) this.sink.headers(event)
  }

  progress(event: { type: 'progress' } & Record<string, unknown>): void {
    if (this.onProgress) this.onProgress(event)
    if (this.sink.progress) this.sink.progress(event)
  }

  settle(error: Error | undefined, result: any, header: unknown): void {
    this.engine.attemptEnded(this, error, result, header)
  }
}

const API_NAME = 'createRequestPool'

function accept2xx(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300
}

function toError(api: string, value: unknown): Error {
  if (value instanceof Error) return value
  return new WxError({ api, errMsg: api + ':fail ' + describe(value), cause: value })
}

function checkPoolOptions(o: RequestPoolOptions): void {
  const c = o.concurrency
  if (c !== undefined && (typeof c !== 'number' || !(c >= 1) || (isFinite(c) && c % 1 !== 0))) {
    throw argumentError(API_NAME, 'options.concurrency', 'a whole number >= 1', c)
  }
  if (o.baseURL !== undefined && (typeof o.baseURL !== 'string' || !o.baseURL)) {
    throw argumentError(API_NAME, 'options.baseURL', 'a non-empty string', o.baseURL)
  }
  checkHeader(API_NAME, 'options.header', o.header)
  if (o.timeout !== undefined && (typeof o.timeout !== 'number' || !(o.timeout > 0))) {
    throw argumentError(API_NAME, 'options.timeout', 'a number of milliseconds > 0', o.timeout)
  }
  if (o.validateStatus !== undefined && typeof o.validateStatus !== 'function') {
    throw argumentError(API_NAME, 'options.validateStatus', 'a function', o.validateStatus)
  }
  for (const key of ['waitForNetwork', 'allowInsecure'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') {
      throw argumentError(API_NAME, 'options.' + key, 'a boolean', o[key])
    }
  }
  const hosts = o.allowedHosts
  if (hosts !== undefined && (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string'))) {
    throw argumentError(API_NAME, 'options.allowedHosts', 'an array of host names', hosts)
  }
  if (o.hooks !== undefined && !isPlainObject(o.hooks)) {
    throw argumentError(API_NAME, 'options.hooks', 'an object', o.hooks)
  }
  const hooks = (o.hooks || {}) as Record<string, unknown>
  for (const name of ['beforeRequest', 'afterResponse', 'beforeRetry']) {
    const list = hooks[name]
    if (
      list !== undefined &&
      (!Array.isArray(list) || list.some((fn: unknown) => typeof fn !== 'function'))
    ) {
      throw argumentError(API_NAME, 'options.hooks.' + name, 'an array of functions', list)
    }
  }
}

/**
 * The engine behind `createRequestPool`: queue, slots, retries, network watch and stats.
 * Not exported from the package; `RequestPool` (request-pool.ts) is its public face.
 */
export class PoolEngine {
  /** Calls on the wire at once. */
  readonly concurrency: number
  private readonly options: RequestPoolOptions
  private readonly hooks: RequestHooks
  private readonly policy: RetryPolicy
  private readonly queue = new PriorityQueue<Call>()
  private running = 0
  private waiting = 0
  private active = 0
  private counts = { done: 0, failed: 0, cancelled: 0, retried: 0 }
  private online: boolean | undefined
  private network?: Subscription
  private pumping = false
  private readonly lastGoodUrl = { url: '' }
  private idle: Array<() => void> = []
  private observers: Subscriber<RequestPoolStats>[] = []

  constructor(options: RequestPoolOptions = {}) {
    if (!isPlainObject(options as unknown)) {
      throw argumentError(API_NAME, 'options', 'an object', options)
    }
    checkPoolOptions(options)
    // A copy: later changes to the caller's object must not loosen the checks.
    this.options = {
      baseURL: options.baseURL,
      header: options.header ? mergeHeaders(undefined, options.header) : undefined,
      timeout: options.timeout,
      validateStatus: options.validateStatus,
      waitForNetwork: options.waitForNetwork,
      allowInsecure: options.allowInsecure,
      allowedHosts: options.allowedHosts ? options.allowedHosts.slice() : undefined,
    }
    this.concurrency = options.concurrency === undefined ? 5 : options.concurrency
    const hooks = options.hooks || {}
    this.hooks = {
      beforeRequest: hooks.beforeRequest && hooks.beforeRequest.slice(),
      afterResponse: hooks.afterResponse && hooks.afterResponse.slice(),
      beforeRetry: hooks.beforeRetry && hooks.beforeRetry.slice(),
    }
    this.policy = resolveRetry(API_NAME, options.retry, DEFAULT_RETRY)
    this.online = options.waitForNetwork === false ? true : undefined
  }

  /** Calls waiting for a slot. */
  get size(): number {
    return this.queue.size
  }

  /** Calls on the wire. */
  get pending(): number {
    return this.running
  }

  /** The counters now. */
  stats(): RequestPoolStats {
    const c = this.counts
    return {
      queued: this.queue.size,
      inFlight: this.running,
      backoff: this.waiting,
      done: c.done,
      failed: c.failed,
      cancelled: c.cancelled,
      retried: c.retried,
    }
  }

  /** The counters, now and after every transition, for as long as it is subscribed. */
  readonly stats$ = new Observable<RequestPoolStats>((subscriber) => {
    this.observers.push(subscriber)
    subscriber.next(this.stats())
    return () => {
      const i = this.observers.indexOf(subscriber)
      if (i >= 0) this.observers.splice(i, 1)
    }
  })

  /** Resolves when no call is preparing, queued, running, backing off or finishing. */
  onIdle(): Promise<void> {
    if (this.active === 0) return Promise.resolve()
    return new Promise<void>((resolve) => this.idle.push(resolve))
  }

  /**
   * Starts a call of `api` and returns its cancel function. Everything, bad input included,
   * is reported through `sink`; nothing throws.
   */
  run(api: TransferApi, input: unknown, sink: CallSink): () => void {
    let options: PreparedOptions
    let policy: RetryPolicy
    const given = (isPlainObject(input) ? input : {}) as Record<string, any>
    try {
      options = prepareOptions(api, input, this.options)
      policy = resolveRetry(api, given.retry, this.policy)
    } catch (error) {
      sink.error(toError(api, error))
      return () => {}
    }
    if (options.timeout === undefined && this.options.timeout !== undefined) {
      options.timeout = this.options.timeout
    }
    const call = new Call(
      this,
      api,
      given.priority || 0,
      options,
      policy,
      given.validateStatus || this.options.validateStatus || accept2xx,
      sink,
    )
    if (given.onHeadersReceived) call.onHeaders = given.onHeadersReceived
    if (given.onProgressUpdate) call.onProgress = given.onProgressUpdate
    const cancel = () => this.cancel(call)
    const signal = given.signal
    if (signal) {
      if (signal.aborted) {
        sink.error(this.abortError(api))
        return () => {}
      }
      call.signal = signal
      call.onSignal = cancel
      signal.addEventListener('abort', cancel)
    }
    if (this.active++ === 0) this.watchNetwork()
    const hooks = this.hooks.beforeRequest
    if (!hooks || hooks.length === 0) {
      this.enqueue(call, false)
      return cancel
    }
    const context: HookContext = { api, options }
    runHookChain(
      hooks,
      options,
      (previous, answer) => {
        const next = (isPlainObject(answer) ? answer : previous) as PreparedOptions
        context.options = call.options = next
        return next
      },
      () => this.enqueue(call, false),
      (error) => this.end(call, toError(api, error)),
      context,
    )
    return cancel
  }

  private abortError(api: string): AbortError {
    return new AbortError({ api, errMsg: api + ':fail abort' }, 'cancelled by the caller')
  }

  private enqueue(call: Call, front: boolean): void {
    if (call.state === 'ended') return
    try {
      checkPrepared(call.api, call.options, this.options, this.lastGoodUrl)
    } catch (error) {
      this.end(call, toError(call.api, error))
      return
    }
    call.state = 'queued'
    this.queue.push(call, call.priority, front)
    this.notify()
    this.pump()
  }

  private pump(): void {
    // Re-entrant calls (a synchronous wx answering inside `start`) leave the work to the
    // loop already running, which re-reads its conditions after each start.
    if (this.pumping) return
    this.pumping = true
    try {
      while (this.running < this.concurrency && this.online === true && this.queue.size > 0) {
        this.start(this.queue.shift() as Call)
      }
    } finally {
      this.pumping = false
    }
  }

  private start(call: Call): void {
    call.state = 'running'
    this.running++
    this.notify()
    const timeout = call.options.timeout
    const attempt = new Attempt(
      call.api,
      call.options,
      typeof timeout === 'number' ? timeout : undefined,
      call,
    )
    call.attempt = attempt
    attempt.start()
  }

  /** The end of `call`'s attempt on the wire (called by the call, as the attempt's handler). */
  attemptEnded(call: Call, error: Error | undefined, result: any, header: unknown): void {
    call.attempt = undefined
    this.running--
    if (!error) {
      try {
        const status = result && result.statusCode
        if (typeof status === 'number' && !call.validateStatus(status)) {
          error = new HttpError({
            api: call.api,
            statusCode: status,
            data:
              call.api === 'downloadFile' ? result.tempFilePath || result.filePath : result.data,
            header: (header || {}) as Record<string, string>,
            request: { method: methodOf(call.api, call.options), url: call.options.url },
            cause: result,
          })
        }
      } catch (thrown) {
        error = toError(call.api, thrown)
      }
    }
    if (error) {
      this.retryOrFail(call, error, header)
      this.pump()
      return
    }
    // The slot goes to the next call before the result reaches the caller's code.
    call.state = 'finishing'
    this.pump()
    this.finish(call, result)
  }

  private finish(call: Call, result: unknown): void {
    if (call.state === 'ended') return // cancelled while the slot was handed on
    call.state = 'finishing'
    this.notify()
    const hooks = this.hooks.afterResponse
    if (!hooks || hooks.length === 0) {
      this.end(call, undefined, result)
      return
    }
    const context: HookContext = { api: call.api, options: call.options }
    runHookChain(
      hooks,
      result,
      (previous, answer) => (answer === undefined ? previous : answer),
      (final) => this.end(call, undefined, final),
      (error) => this.end(call, toError(call.api, error)),
      context,
    )
  }

  private retryOrFail(call: Call, error: Error, header: unknown): void {
    const method = methodOf(call.api, call.options)
    // A network failure while the device is known to be offline spends no retry: the call
    // goes back to the front of the queue and leaves when the network is back.
    if (
      this.online === false &&
      !isHttpError(error) &&
      !isAbortError(error) &&
      call.policy.limit > 0 &&
      call.policy.methods.indexOf(method) >= 0
    ) {
      this.enqueue(call, true)
      return
    }
    const context: RetryContext = {
      api: call.api,
      options: call.options,
      attempt: call.retries + 1,
      error,
      delay: 0,
    }
    let retry: boolean
    try {
      retry = decideRetry(call.policy, method, context, header, Date.now())
    } catch (thrown) {
      this.end(call, toError(call.api, thrown))
      return
    }
    if (!retry) {
      this.end(call, error)
      return
    }
    call.retries++
    call.state = 'backoff'
    this.waiting++
    this.counts.retried++
    this.notify()
    call.backoff = timer(context.delay).subscribe(() => {
      call.backoff = undefined
      runHookChain(
        this.hooks.beforeRetry,
        context,
        (previous) => previous,
        () => {
          if (call.state !== 'backoff') return
          this.waiting--
          call.state = 'preparing'
          call.options = context.options
          this.enqueue(call, true)
        },
        (thrown) => this.end(call, toError(call.api, thrown)),
        context,
      )
    })
  }

  private cancel(call: Call): void {
    const state = call.state
    if (state === 'ended') return
    if (state === 'queued') this.queue.remove(call, call.priority)
    if (state === 'running') {
      const attempt = call.attempt
      call.attempt = undefined
      this.running--
      if (attempt) attempt.abort()
    }
    if (call.backoff) call.backoff.unsubscribe()
    this.end(call, this.abortError(call.api), undefined, true)
    if (state === 'running') this.pump()
  }

  private end(call: Call, error: Error | undefined, result?: unknown, cancelled?: boolean): void {
    if (call.state === 'ended') return
    if (call.state === 'backoff') this.waiting--
    call.state = 'ended'
    if (cancelled) this.counts.cancelled++
    else if (error) this.counts.failed++
    else this.counts.done++
    if (call.signal && call.onSignal) call.signal.removeEventListener('abort', call.onSignal)
    if (--this.active === 0) this.becameIdle()
    this.notify()
    if (error) call.sink.error(error)
    else call.sink.result(result)
  }

  private becameIdle(): void {
    if (this.network) {
      this.network.unsubscribe()
      this.network = undefined
      this.online = undefined
    }
    const waiting = this.idle
    this.idle = []
    for (let i = 0; i < waiting.length; i++) waiting[i]()
  }

  private watchNetwork(): void {
    if (this.options.waitForNetwork === false) return
    // isOnline$ answers at once when another subscriber already knows the state, otherwise
    // after wx.getNetworkType; until then nothing leaves the queue.
    const subscription = isOnline$.subscribe((online) => {
      this.online = online
      if (online) this.pump()
    })
    if (this.active > 0) this.network = subscription
    else {
      subscription.unsubscribe()
      this.online = undefined
    }
  }

  private notify(): void {
    const observers = this.observers
    if (observers.length === 0) return
    const stats = this.stats()
    const list = observers.slice()
    for (let i = 0; i < list.length; i++) list[i].next(stats)
  }
}
