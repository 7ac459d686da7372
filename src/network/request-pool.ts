// The request pool: cold Observables and cancellable promises over one state machine per
// call (pooled-call.ts), a waiting line (call-queue.ts) and a gate that holds calls while the
// device is offline or the app is hidden (pool-network-gate.ts). This file checks the pool's
// options, keeps its counters, and hands free slots to queued calls.
import { Observable, Subject } from 'rxjs'
import { assertObject, check, type Rules } from '../core/check'
import { asError, cancelledError } from '../core/errors'
import { noop } from '../core/noop'
import { isPlainObject } from '../core/guards'
import { createCallQueue } from './call-queue'
import { runHookChain } from './hook-chain'
import {
  cancelCall,
  endCall,
  enqueueCall,
  PREPARING_STATE,
  startCall,
  type CallSink,
  type PoolCore,
  type PooledCall,
} from './pooled-call'
import { createOpenGate, createPoolNetworkGate } from './pool-network-gate'
import { attachRunCall } from './pool-run-call'
import { checkHeader, mergeHeaders, prepareOptions, TIMEOUT_RULE } from './request-options'
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
  TransferApi,
  UploadEvent,
  UploadFileResult,
  UploadOptions,
} from './request-types'
import { DEFAULT_RETRY, resolveRetry, type RetryPolicy } from './retry-policy'

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

const API = 'createRequestPool'
const HOOK_LIST = { type: 'array', items: { type: 'function' } } as const

const POOL_RULES: Rules = {
  concurrency: { type: 'number', min: 1, integer: true },
  baseURL: { type: 'string', nonEmpty: true },
  timeout: TIMEOUT_RULE,
  validateStatus: { type: 'function' },
  waitForNetwork: { type: 'boolean' },
  allowInsecure: { type: 'boolean' },
  allowedHosts: { type: 'array', items: { type: 'string', nonEmpty: true } },
  hooks: { type: 'object' },
}
const HOOK_RULES: Rules = {
  beforeRequest: HOOK_LIST,
  afterResponse: HOOK_LIST,
  beforeRetry: HOOK_LIST,
}

function accept2xx(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300
}

/** The pool's checked settings, copied: later changes to the caller's objects change nothing. */
interface PoolSettings {
  concurrency: number
  timeout: number | undefined
  policy: RetryPolicy
  beforeRequest: NonNullable<RequestHooks['beforeRequest']>
  core: Omit<PoolCore, 'queue' | 'gate' | 'counters' | 'changed' | 'pump' | 'released'>
}

function readSettings(options: RequestPoolOptions): PoolSettings {
  assertObject(API, options as unknown)
  check(API, options, POOL_RULES)
  checkHeader(API, 'options.header', options.header)
  const hooks: RequestHooks = options.hooks || {}
  check(API, hooks, HOOK_RULES, 'options.hooks.')
  const copy = <T>(list?: T[]) => (list || []).slice()
  return {
    concurrency: options.concurrency || 5,
    timeout: options.timeout,
    policy: resolveRetry(API, options.retry, DEFAULT_RETRY),
    beforeRequest: copy(hooks.beforeRequest),
    core: {
      defaults: {
        baseURL: options.baseURL,
        header: options.header && mergeHeaders(undefined, options.header),
        allowInsecure: options.allowInsecure,
        allowedHosts: options.allowedHosts && options.allowedHosts.slice(),
      },
      lastGoodUrl: { url: '' },
      validateStatus: options.validateStatus || accept2xx,
      afterResponse: copy(hooks.afterResponse),
      beforeRetry: copy(hooks.beforeRetry),
    },
  }
}

/**
 * Makes a request pool. Its Observables and promises send through `wx.request`,
 * `wx.uploadFile` and `wx.downloadFile` with at most `concurrency` calls on the wire,
 * higher `priority` first, a per-attempt `timeout`, retries with backoff for idempotent
 * methods, and queued calls held while the device is offline or the app is hidden. Throws a
 * `TypeError` naming the field for bad options (a `concurrency` of 0, an unknown option type).
 *
 * @example
 * const api = createRequestPool({ baseURL: 'https://api.example.com', header: { 'X-App': '1' } })
 * const { data } = await api.request({ url: '/me', timeout: 5000 })
 */
export function createRequestPool(options: RequestPoolOptions = {}): RequestPool {
  const settings = readSettings(options)
  const changes = new Subject<RequestPoolStats>()
  let idleWaiters: Array<() => void> = []
  // Calls preparing, queued, running, verifying, backing off or finishing.
  let active = 0
  let pumping = false

  const core: PoolCore = {
    ...settings.core,
    queue: createCallQueue<PooledCall>(),
    gate:
      options.waitForNetwork === false
        ? createOpenGate()
        : createPoolNetworkGate({ opened: () => pump() }),
    counters: { running: 0, backoff: 0, done: 0, failed: 0, cancelled: 0, retried: 0 },
    changed() {
      if (changes.observed) changes.next(stats())
    },
    pump: () => pump(),
    released() {
      if (--active) return
      core.gate.idle()
      const waiters = idleWaiters
      idleWaiters = []
      waiters.forEach((resolve) => resolve())
    },
  }

  const stats = () => statsOf(core)

  // Hands free slots to queued calls while the gate is open. Re-entrant calls (a synchronous
  // wx answering inside a start) leave the work to the loop already running.
  function pump(): void {
    if (pumping) return
    pumping = true
    try {
      while (
        core.counters.running < settings.concurrency &&
        core.gate.isOpen() &&
        core.queue.size
      ) {
        startCall(core, core.queue.shift() as PooledCall)
      }
    } finally {
      pumping = false
    }
    if (core.queue.size) core.gate.waiting()
  }

  const activate = () => {
    if (!active++) core.gate.busy()
  }
  const run = (api: TransferApi, input: unknown, sink: CallSink) =>
    startRun(core, settings, api, input, sink, activate)

  const pool = {
    concurrency: settings.concurrency,
    get size() {
      return core.queue.size
    },
    get pending() {
      return core.counters.running
    },
    stats$: new Observable<RequestPoolStats>((subscriber) => {
      subscriber.next(stats())
      return changes.subscribe(subscriber)
    }),
    getStats: stats,
    onIdle: () =>
      active ? new Promise<void>((resolve) => idleWaiters.push(resolve)) : Promise.resolve(),
    request$: observableOf(run, 'request', false),
    upload$: observableOf(run, 'uploadFile', true),
    download$: observableOf(run, 'downloadFile', true),
    request: promiseOf(run, 'request'),
    uploadFile: promiseOf(run, 'uploadFile'),
    downloadFile: promiseOf(run, 'downloadFile'),
  } as RequestPool
  attachRunCall(pool, run)
  return pool
}

/** The counters of a pool now. */
function statsOf(core: PoolCore): RequestPoolStats {
  const counters = core.counters
  return {
    queued: core.queue.size,
    inFlight: counters.running,
    backoff: counters.backoff,
    done: counters.done,
    failed: counters.failed,
    cancelled: counters.cancelled,
    retried: counters.retried,
  }
}

type Run = (api: TransferApi, input: unknown, sink: CallSink) => () => void

// Makes a call of `api` and returns its cancel function. Everything, bad input included, is
// reported through `sink`; nothing throws.
function startRun(
  core: PoolCore,
  settings: PoolSettings,
  api: TransferApi,
  input: unknown,
  sink: CallSink,
  activate: () => void,
): () => void {
  const given = (isPlainObject(input) ? input : {}) as Record<string, any>
  let prepared: PreparedOptions
  let policy: RetryPolicy
  try {
    prepared = prepareOptions(api, input, core.defaults)
    policy = resolveRetry(api, given.retry, settings.policy)
  } catch (error) {
    sink.error(asError(api, error))
    return noop
  }
  if (prepared.timeout === undefined && settings.timeout) prepared.timeout = settings.timeout
  const signal = given.signal
  if (signal && signal.aborted) {
    sink.error(cancelledError(api))
    return noop
  }
  const call: PooledCall = {
    api,
    options: prepared,
    given,
    priority: given.priority || 0,
    policy,
    sink,
    state: PREPARING_STATE,
    retries: 0,
    chunkReceived: false,
    cancel: () => cancelCall(core, call),
  }
  activate()
  try {
    if (signal) signal.addEventListener('abort', call.cancel)
  } catch (error) {
    endCall(core, call, { error: asError(api, error) })
    return noop
  }
  if (!settings.beforeRequest.length) {
    enqueueCall(core, call, false)
    return call.cancel
  }
  const context: HookContext = { api, options: prepared }
  runHookChain(
    settings.beforeRequest,
    prepared,
    (previous, answer) =>
      (context.options = call.options =
        isPlainObject(answer) ? (answer as PreparedOptions) : previous),
    () => {
      if (call.state.name === 'preparing') enqueueCall(core, call, false)
    },
    (thrown) => endCall(core, call, { error: asError(api, thrown) }),
    context,
  )
  return call.cancel
}

function observableOf<E>(run: Run, api: TransferApi, events: boolean) {
  return (input: unknown) =>
    new Observable<E>((subscriber) =>
      run(api, input, {
        event: events ? (event) => subscriber.next(event as E) : undefined,
        result: (result) => {
          subscriber.next((events ? { ...(result as object), type: 'result' } : result) as E)
          subscriber.complete()
        },
        error: (error) => subscriber.error(error),
      }),
    )
}

function promiseOf<R>(run: Run, api: TransferApi) {
  return (input: unknown): CancellablePromise<R> => {
    let cancel = noop
    const result = new Promise<R>((resolve, reject) => {
      cancel = run(api, input, { result: resolve as (value: unknown) => void, error: reject })
    }) as CancellablePromise<R>
    result.abort = () => cancel()
    return result
  }
}
