// One call through a request pool, as a state machine (DESIGN.md, "The life of a pooled
// request"). Each state carries what its teardown needs, and `leaveState` undoes it:
//
//   preparing ─hooks─▶ queued ─slot, gate open─▶ running ─accepted─▶ finishing ─hooks─▶ ended
//   running ─retryable failure─▶ backoff (no slot) ─timer, beforeRetry─▶ queued (front)
//   running ─network failure─▶ verifying ─offline─▶ queued (front, no retry spent)
//                                        └online─▶ backoff or ended
//   running ─offline / interrupted, never sent or safe to resend─▶ queued (front, free)
//   running ─wx's task limit─▶ backoff (250 ms, free) ─▶ queued (front)
//   any state ─cancel─▶ ended
import { asError, cancelledError, HttpError, isAbortError, type WxError } from '../core/errors'
import { noop } from '../core/noop'
import type { ErrorCode } from '../core/error-code'
import { clampDelay } from '../core/check'
import { runHookChain } from './hook-chain'
import type { CallQueue, QueueEntry } from './call-queue'
import type { PoolNetworkGate } from './pool-network-gate'
import { checkPrepared, methodOf, type OptionDefaults } from './request-options'
import type {
  AbortSignalLike,
  AfterResponseHook,
  BeforeRetryHook,
  PreparedOptions,
  RetryContext,
  TransferApi,
} from './request-types'
import { decideRetry, isRetryable, type RetryPolicy } from './retry-policy'
import { sendAttempt, type AttemptEnd, type AttemptEvent } from './send-attempt'

/** Where a call's events and outcome go: an Observable's subscriber or a promise. */
export interface CallSink {
  /** Progress and header events (the Observable forms of upload/download only). */
  event?: (event: AttemptEvent) => void
  result(result: unknown): void
  error(error: unknown): void
}

/** The states of a call; each holds what leaving it must undo. */
export type CallState =
  | { name: 'preparing' }
  | { name: 'queued'; entry: QueueEntry<PooledCall> }
  | { name: 'running'; stop: () => void }
  | { name: 'verifying' }
  | { name: 'backoff'; timer: ReturnType<typeof setTimeout> }
  | { name: 'finishing' }
  | { name: 'ended' }

/** One call. */
export interface PooledCall {
  readonly api: TransferApi
  /** What is sent (hooks may replace it). */
  options: PreparedOptions
  /** The caller's own options (callbacks, signal, validateStatus). */
  readonly given: Record<string, any>
  readonly priority: number
  readonly policy: RetryPolicy
  readonly sink: CallSink
  state: CallState
  /** Retries spent. */
  retries: number
  /** True once a chunk reached the caller: a retry would deliver data twice. */
  chunkReceived: boolean
  /** The cancel function handed to the caller (and to the signal). */
  readonly cancel: () => void
}

/** Counters of a pool, as `stats$` shows them. */
export interface PoolCounters {
  running: number
  backoff: number
  done: number
  failed: number
  cancelled: number
  retried: number
}

/** What a call needs from its pool. */
export interface PoolCore {
  readonly queue: CallQueue<PooledCall>
  readonly gate: PoolNetworkGate
  readonly counters: PoolCounters
  readonly defaults: OptionDefaults
  /** The last URL that passed the security checks (skipped while it stays the same). */
  readonly lastGoodUrl: { url: string }
  readonly validateStatus: (statusCode: number) => boolean
  readonly afterResponse: AfterResponseHook[]
  readonly beforeRetry: BeforeRetryHook[]
  /** The counters changed. */
  changed(): void
  /** Start what can start. */
  pump(): void
  /** A call ended: the pool may be idle. */
  released(call: PooledCall): void
}

// The states without a payload are shared: a busy pool makes one call object per call, not
// one per transition.
const PREPARING: CallState = { name: 'preparing' }
const VERIFYING: CallState = { name: 'verifying' }
const FINISHING: CallState = { name: 'finishing' }
const ENDED: CallState = { name: 'ended' }

/** The state a new call starts in. */
export const PREPARING_STATE = PREPARING

// Undoes what the current state holds, and counts it out.
function leaveState(core: PoolCore, call: PooledCall): void {
  const state = call.state
  switch (state.name) {
    case 'queued':
      core.queue.remove(state.entry)
      break
    case 'running':
      core.counters.running--
      state.stop()
      break
    case 'backoff':
      core.counters.backoff--
      clearTimeout(state.timer)
      break
  }
}

/** Ends `call` once: the caller gets `error` or `result`; nothing happens to it after that. */
export function endCall(
  core: PoolCore,
  call: PooledCall,
  outcome: { error?: unknown; result?: unknown; cancelled?: boolean },
): void {
  if (call.state.name === 'ended') return
  call.state = ENDED
  const counters = core.counters
  if (outcome.cancelled) counters.cancelled++
  else if (outcome.error) counters.failed++
  else counters.done++
  const signal = call.given.signal as AbortSignalLike | undefined
  try {
    if (signal) signal.removeEventListener('abort', call.cancel)
  } catch {
    // A signal that throws here must not keep the outcome from the caller.
  }
  core.released(call)
  core.changed()
  if (outcome.error) call.sink.error(outcome.error)
  else call.sink.result(outcome.result)
}

/** Cancels `call` in whatever state it is: it ends with `AbortError`, never sent again. */
export function cancelCall(core: PoolCore, call: PooledCall): void {
  if (call.state.name === 'ended') return
  const wasRunning = call.state.name === 'running'
  leaveState(core, call)
  endCall(core, call, { error: cancelledError(call.api), cancelled: true })
  if (wasRunning) core.pump()
}

/** Queues `call` (behind its priority, or in front of it) after checking what it sends. */
export function enqueueCall(core: PoolCore, call: PooledCall, front: boolean): void {
  if (call.state.name === 'ended') return
  try {
    checkPrepared(call.api, call.options, core.defaults, core.lastGoodUrl)
  } catch (error) {
    return endCall(core, call, { error })
  }
  call.state = { name: 'queued', entry: core.queue.push(call, call.priority, { front }) }
  core.changed()
  core.pump()
}

function deliverEvent(call: PooledCall, event: AttemptEvent): void {
  if (event.type === 'chunk') {
    call.chunkReceived = true
    call.given.onChunkReceived(event.data)
    return
  }
  const own = event.type === 'headers' ? call.given.onHeadersReceived : call.given.onProgressUpdate
  if (own) own(event)
  if (call.sink.event) call.sink.event(event)
}

/** Puts `call` on the wire; the pool took it from the queue and has a slot for it. */
export function startCall(core: PoolCore, call: PooledCall): void {
  core.counters.running++
  const running: CallState = { name: 'running', stop: noop }
  call.state = running
  core.changed()
  const stop = sendAttempt({
    api: call.api,
    options: call.options,
    timeout: call.options.timeout as number | undefined,
    chunked: typeof call.given.onChunkReceived === 'function',
    onEvent: (event) => deliverEvent(call, event),
    onEnd: (end) => {
      if (call.state !== running) return
      core.counters.running--
      attemptEnded(core, call, end)
    },
  })
  // Unless it already ended (a synchronous wx).
  if (call.state !== running) return
  running.stop = stop
  core.gate.sending()
}

function statusError(core: PoolCore, call: PooledCall, end: AttemptEnd): Error | undefined {
  const result = end.result
  const status = result && result.statusCode
  const accept = call.given.validateStatus || core.validateStatus
  if (typeof status !== 'number' || accept(status)) return undefined
  const api = call.api
  return new HttpError({
    api,
    statusCode: status,
    data: api === 'downloadFile' ? result.tempFilePath || result.filePath : result.data,
    header: (end.header || {}) as Record<string, string>,
    request: { method: methodOf(api, call.options), url: call.options.url },
    cause: result,
  })
}

function attemptEnded(core: PoolCore, call: PooledCall, end: AttemptEnd): void {
  let error = end.error
  try {
    if (!error) error = statusError(core, call, end)
  } catch (thrown) {
    error = asError(call.api, thrown)
  }
  if (error) failedAttempt(core, call, error, end)
  else finishCall(core, call, end.result)
  core.pump()
}

// A success: the slot goes to the next call before the result reaches the caller's code.
function finishCall(core: PoolCore, call: PooledCall, result: unknown): void {
  core.gate.sawSuccess()
  call.state = FINISHING
  core.pump()
  // Cancelled while the slot was handed on?
  if (call.state.name !== 'finishing') return
  core.changed()
  if (!core.afterResponse.length) return endCall(core, call, { result })
  runHookChain(
    core.afterResponse,
    result,
    (previous, answer) => (answer === undefined ? previous : answer),
    (final) => endCall(core, call, { result: final }),
    (thrown) => endCall(core, call, { error: asError(call.api, thrown) }),
    { api: call.api, options: call.options },
  )
}

function codeOf(error: Error): ErrorCode | undefined {
  return (error as Partial<WxError>).code
}

// What a failed attempt becomes: back in the queue for free, a network check, a retry, or the end.
function failedAttempt(core: PoolCore, call: PooledCall, error: Error, end: AttemptEnd): void {
  const method = methodOf(call.api, call.options)
  const resendable = call.policy.methods.indexOf(method) >= 0 && !call.chunkReceived
  const code = codeOf(error)
  const gated = core.gate.enabled
  if (gated && code === 'ERR_OFFLINE' && (resendable || !end.reachedServer)) {
    // Never sent (or safe to send again): back in front, no retry spent, until online.
    core.gate.sawOffline()
    return enqueueCall(core, call, true)
  }
  if (gated && code === 'ERR_INTERRUPTED') {
    core.gate.sawInterrupted()
    // A non-idempotent call may have reached the server: it fails with ERR_INTERRUPTED.
    return resendable ? enqueueCall(core, call, true) : endCall(core, call, { error })
  }
  if (code === 'ERR_TOO_MANY_TASKS' && !call.chunkReceived) {
    // wx refused to start it (other code of the app holds wx's task slots): never sent, so
    // it waits a moment and goes back to the front, whatever its method, no retry spent.
    return waitThenRequeue(core, call)
  }
  if (code === 'ERR_NETWORK' && resendable && isRetryable(call.policy, method, error)) {
    // Offline without an event yet? Ask before spending a retry.
    call.state = VERIFYING
    return core.gate.verify((online) => {
      if (call.state.name !== 'verifying') return
      if (online) retryOrFail(core, call, error, end.header)
      else enqueueCall(core, call, true)
    })
  }
  retryOrFail(core, call, error, end.header)
}

/** How long a call that wx refused for its task limit waits before it queues again (ms). */
export const REFUSED_WAIT_MS = 250

function waitThenRequeue(core: PoolCore, call: PooledCall): void {
  core.counters.backoff++
  const waiting: CallState = {
    name: 'backoff',
    timer: setTimeout(() => {
      if (call.state !== waiting) return
      core.counters.backoff--
      call.state = PREPARING
      enqueueCall(core, call, true)
    }, REFUSED_WAIT_MS),
  }
  call.state = waiting
  core.changed()
}

function retryOrFail(core: PoolCore, call: PooledCall, error: Error, header: unknown): void {
  const method = methodOf(call.api, call.options)
  const retry: RetryContext = {
    api: call.api,
    options: call.options,
    attempt: call.retries + 1,
    error,
    delay: 0,
  }
  let again: boolean
  try {
    again = !call.chunkReceived && decideRetry(call.policy, method, retry, header, Date.now())
  } catch (thrown) {
    return endCall(core, call, { error: asError(call.api, thrown) })
  }
  if (!again || isAbortError(error)) return endCall(core, call, { error })
  call.retries++
  core.counters.backoff++
  core.counters.retried++
  const timer = setTimeout(() => retryNow(core, call, retry), clampDelay(retry.delay))
  call.state = { name: 'backoff', timer }
  core.changed()
}

// The backoff is over: beforeRetry hooks (the call still counts as backing off), then the
// front of the queue.
function retryNow(core: PoolCore, call: PooledCall, retry: RetryContext): void {
  const backoff = call.state
  runHookChain(
    core.beforeRetry,
    retry,
    (previous) => previous,
    () => {
      if (call.state !== backoff) return
      core.counters.backoff--
      call.state = PREPARING
      call.options = retry.options
      enqueueCall(core, call, true)
    },
    (thrown) => {
      if (call.state !== backoff) return
      leaveState(core, call)
      endCall(core, call, { error: asError(call.api, thrown) })
    },
    retry,
  )
}
