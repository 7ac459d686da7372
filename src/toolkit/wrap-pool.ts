// What withAuth and withDedupe share: a full `RequestPool` made from one "run a call"
// function over the public interface of another pool. The counters, `stats$` and `onIdle()`
// are the wrapped pool's; the six call methods go through `run`. A caller's `signal` is
// handled here, so a call a wrapper holds back (waiting for a token, say) is freed at once.
// Layers reach each other without a promise per call: a wrapped pool (or one made by
// createRequestPool) carries a hidden entry that takes a sink, and the wrapper over it uses that.
import { Observable } from 'rxjs'
import { checkValue, type CustomRule } from '../core/check'
import { cancelledError } from '../core/errors'
import { noop } from '../core/noop'
import { isPlainObject } from '../core/guards'
import type { CancellablePromise, RequestPool } from '../network/request-pool'
import { runCallOf } from '../network/pool-run-call'
import type { AbortSignalLike, TransferApi } from '../network/request-types'

/** Where the outcome of one call (or one attempt of it) goes. */
export interface CallSink {
  /** A progress or headers event (the Observable forms of upload and download only). */
  event(event: unknown): void
  /** The result; nothing follows it. */
  result(result: unknown): void
  /** The failure; nothing follows it. */
  error(error: unknown): void
}

/** Sends `options` once through the wrapped pool; returns the function that cancels it. */
export type SendAttempt = (options: unknown, sink: CallSink) => () => void

/** One call made through a wrapped pool, as a wrapper sees it. */
export interface WrappedCall {
  /** The wx API of the call. */
  api: TransferApi
  /** The caller's options, without `signal` (never mutate them: copy). */
  options: unknown
  /** Sends options through the wrapped pool's method of the same API and form. */
  send: SendAttempt
}

/** A wrapper's handling of one call: starts it and returns the function that cancels it. */
export type RunCall = (call: WrappedCall, sink: CallSink) => () => void

type PromiseMethod = 'request' | 'uploadFile' | 'downloadFile'
type ObservableMethod = 'request$' | 'upload$' | 'download$'
type CallMethod = PromiseMethod | ObservableMethod

/** A call of a wrapped pool without its promise or Observable: what a wrapper over it uses. */
type StartCall = (method: CallMethod, input: unknown, sink: CallSink) => () => void

// Kept on a wrapped pool itself (non-enumerable; no WeakMap, which old JS engines lack), so a
// wrapper over a wrapper hands its calls straight in: no promise or Observable between them.
const START_CALL = '__miniprogramRxStartCall'

function startCallOf(pool: RequestPool): StartCall | undefined {
  const start = (pool as unknown as Record<string, unknown>)[START_CALL]
  return typeof start === 'function' ? (start as StartCall) : undefined
}

// What a pool's own run gets from the promise forms of a wrapper: the outcome only (as the
// pool's promise gets it), and nothing once the wrapper has cancelled.
class OutcomeSink {
  live = true

  constructor(private readonly sink: CallSink) {}

  result(result: unknown): void {
    if (this.live) this.sink.result(result)
  }

  error(error: unknown): void {
    if (this.live) this.sink.error(error)
  }
}

// The promise methods of the wrapped pool: the cheapest path, used by the promise forms. A
// pool made by createRequestPool is run without its promise.
function promiseSender(pool: RequestPool, method: PromiseMethod): SendAttempt {
  const runCall = runCallOf(pool)
  if (runCall) {
    return (options, sink) => {
      const outcome = new OutcomeSink(sink)
      const cancel = runCall(method, options, outcome)
      return () => {
        outcome.live = false
        cancel()
      }
    }
  }
  return (options, sink) => {
    let live = true
    const call = (pool[method] as (options: unknown) => CancellablePromise<unknown>)(options)
    call.then(
      (result) => live && sink.result(result),
      (error) => live && sink.error(error),
    )
    return () => {
      live = false
      call.abort()
    }
  }
}

// The Observable methods: events pass through; the last value (`request$`'s only one, the
// `type: 'result'` event of the others) is the result.
function observableSender(pool: RequestPool, method: ObservableMethod): SendAttempt {
  const events = method !== 'request$'
  return (options, sink) => {
    const subscription = (pool[method] as (options: unknown) => Observable<unknown>)(
      options,
    ).subscribe({
      next: (value) => {
        if (events && (value as { type?: unknown }).type !== 'result') sink.event(value)
        else sink.result(value)
      },
      error: (error) => sink.error(error),
    })
    return () => subscription.unsubscribe()
  }
}

// How a wrapper sends a call through `pool`: straight into it when it is itself a wrapped pool,
// else through its method of the same name.
function senderOf(pool: RequestPool, method: CallMethod): SendAttempt {
  const startCall = startCallOf(pool)
  if (startCall) return (options, sink) => startCall(method, options, sink)
  switch (method) {
    case 'request':
    case 'uploadFile':
    case 'downloadFile':
      return promiseSender(pool, method)
    default:
      return observableSender(pool, method)
  }
}

// Takes `signal` off the options (the wrapper answers it).
function withoutSignal(options: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  for (const key in options) if (key !== 'signal') copy[key] = options[key]
  return copy
}

function runSafely(run: RunCall, call: WrappedCall, sink: CallSink): () => void {
  try {
    return run(call, sink)
  } catch (error) {
    sink.error(error)
    return noop
  }
}

// Runs one call with the caller's signal honoured; returns the cancel function. Without a
// signal there is nothing to add: promises and subscribers ignore what comes after the end.
function start(
  run: RunCall,
  api: TransferApi,
  input: unknown,
  send: SendAttempt,
  sink: CallSink,
): () => void {
  const signal = isPlainObject(input) ? (input.signal as AbortSignalLike | undefined) : undefined
  if (!signal) return runSafely(run, { api, options: input, send }, sink)
  if (signal.aborted) {
    sink.error(cancelledError(api))
    return noop
  }
  let ended = false
  let cancel = noop
  const finish = () => {
    ended = true
    signal.removeEventListener('abort', onAbort)
  }
  const onAbort = () => {
    if (ended) return
    finish()
    cancel()
    sink.error(cancelledError(api))
  }
  const guarded: CallSink = {
    event: (event) => ended || sink.event(event),
    result: (result) => ended || (finish(), sink.result(result)),
    error: (error) => ended || (finish(), sink.error(error)),
  }
  signal.addEventListener('abort', onAbort)
  const options = withoutSignal(input as Record<string, unknown>)
  cancel = runSafely(run, { api, options, send }, guarded)
  return () => {
    if (ended) return
    finish()
    cancel()
  }
}

const POOL_RULE: CustomRule = {
  type: 'custom',
  required: true,
  test: (value) => {
    const pool = value as Partial<Record<keyof RequestPool, unknown>> | null
    return (
      !!pool &&
      typeof pool === 'object' &&
      typeof pool.request === 'function' &&
      typeof pool.request$ === 'function' &&
      typeof pool.onIdle === 'function'
    )
  },
  expected: 'a RequestPool (from createRequestPool, withAuth or withDedupe)',
}

/** Throws a `TypeError` naming `api` unless `pool` looks like a `RequestPool`. */
export function checkPool(api: string, pool: unknown): void {
  checkValue(api, 'pool', pool, POOL_RULE)
}

const API_OF: Record<CallMethod, TransferApi> = {
  request: 'request',
  uploadFile: 'uploadFile',
  downloadFile: 'downloadFile',
  request$: 'request',
  upload$: 'uploadFile',
  download$: 'downloadFile',
}

/**
 * A `RequestPool` whose calls go through `run`, and whose counters, `stats$` and `onIdle()`
 * are those of `pool`.
 */
export function wrapPool(pool: RequestPool, run: RunCall): RequestPool {
  const sends: Record<CallMethod, SendAttempt> = {
    request: senderOf(pool, 'request'),
    uploadFile: senderOf(pool, 'uploadFile'),
    downloadFile: senderOf(pool, 'downloadFile'),
    request$: senderOf(pool, 'request$'),
    upload$: senderOf(pool, 'upload$'),
    download$: senderOf(pool, 'download$'),
  }
  const startCall: StartCall = (method, input, sink) =>
    start(run, API_OF[method], input, sends[method], sink)
  const observable =
    (method: ObservableMethod) =>
    (input: unknown): Observable<any> =>
      new Observable((subscriber) =>
        startCall(method, input, {
          event: (event) => subscriber.next(event),
          result: (result) => {
            subscriber.next(result)
            subscriber.complete()
          },
          error: (error) => subscriber.error(error),
        }),
      )
  const promise =
    (method: PromiseMethod) =>
    (input: unknown): CancellablePromise<any> => {
      let cancel = noop
      let rejectCall: (error: unknown) => void = noop
      const call = new Promise((resolve, reject) => {
        rejectCall = reject
        cancel = startCall(method, input, { event: noop, result: resolve, error: reject })
      }) as CancellablePromise<any>
      call.abort = () => {
        cancel()
        rejectCall(cancelledError(API_OF[method]))
      }
      return call
    }
  const wrapped: RequestPool = {
    get concurrency() {
      return pool.concurrency
    },
    get size() {
      return pool.size
    },
    get pending() {
      return pool.pending
    },
    stats$: pool.stats$,
    getStats: () => pool.getStats(),
    onIdle: () => pool.onIdle(),
    request$: observable('request$'),
    upload$: observable('upload$'),
    download$: observable('download$'),
    request: promise('request'),
    uploadFile: promise('uploadFile'),
    downloadFile: promise('downloadFile'),
  }
  Object.defineProperty(wrapped, START_CALL, { value: startCall })
  return wrapped
}
