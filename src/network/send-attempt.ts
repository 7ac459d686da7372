// One attempt of a pooled call on the wire: the wx call with its callbacks, the task's header,
// progress and chunk listeners, and the per-attempt timeout. It ends exactly once, whatever wx
// does afterwards (a late `fail: abort` after our own abort is ignored).
import { failure, notSupported, TimeoutError, toWxError, WxError } from '../core/errors'
import { isFunction, isNumber } from '../core/guards'
import { getWxMember } from '../core/wx'
import type { HeadersEvent, PreparedOptions, TransferApi } from './request-types'

/** A headers, progress or chunk event of an attempt. */
export type AttemptEvent =
  | HeadersEvent
  | ({ type: 'progress' } & Record<string, unknown>)
  | { type: 'chunk'; data: ArrayBuffer }

/** How an attempt ended: wx's error, or its success result, and the response headers. */
export interface AttemptEnd {
  error?: Error
  result?: any
  /** The headers of the result, or of the last headers event (for `Retry-After`). */
  header?: unknown
  /** True once a headers event arrived: the request reached a server. */
  reachedServer: boolean
}

/** What `sendAttempt` needs. */
export interface AttemptPlan {
  api: TransferApi
  options: PreparedOptions
  /** Ms the attempt may take; none when not finite. */
  timeout: number | undefined
  /** Listen to the task's chunks and send `enableChunked: true` (request only). */
  chunked: boolean
  /** Each headers/progress/chunk event; a throw ends the attempt with that error. */
  onEvent(event: AttemptEvent): void
  /** The end, reported once; may come before `sendAttempt` returns (a synchronous wx). */
  onEnd(end: AttemptEnd): void
}

type Listener = (event: any) => void

type TaskMethod =
  | 'abort'
  | 'onHeadersReceived'
  | 'offHeadersReceived'
  | 'onProgressUpdate'
  | 'offProgressUpdate'
  | 'onChunkReceived'
  | 'offChunkReceived'

type TransferTask = Partial<Record<TaskMethod, (listener?: Listener) => void>>

// Calls `task[name](arg)` if the task has that method; a task that throws on off* or abort
// after it ended has nothing left to do.
function callTask(task: TransferTask | undefined, name: TaskMethod, arg?: Listener): void {
  try {
    const method = task && task[name]
    if (method) method.call(task, arg)
  } catch {
    // over anyway
  }
}

function copyForWx(plan: AttemptPlan): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...plan.options }
  if (plan.api !== 'request') delete copy.method
  if (isFinite(plan.timeout as number)) copy.timeout = plan.timeout
  else delete copy.timeout
  if (plan.chunked) copy.enableChunked = true
  return copy
}

function headersEvent(event: { header?: unknown; statusCode?: unknown; cookies?: unknown }) {
  const out: HeadersEvent = {
    type: 'headers',
    header: (event.header || {}) as HeadersEvent['header'],
  }
  if (isNumber(event.statusCode)) out.statusCode = event.statusCode
  if (Array.isArray(event.cookies)) out.cookies = event.cookies
  return out
}

type Listen = (on: TaskMethod, off: TaskMethod, listener: Listener) => boolean

// Attaches the header, progress and chunk listeners the plan needs; false when it needs chunks
// and the task cannot give them.
function listenToTask(
  plan: AttemptPlan,
  listen: Listen,
  deliver: (event: AttemptEvent) => void,
  sawHeader: (header: unknown) => void,
): boolean {
  listen('onHeadersReceived', 'offHeadersReceived', (event) => {
    if (!event) return
    sawHeader(event.header || {})
    deliver(headersEvent(event))
  })
  if (plan.api !== 'request') {
    listen('onProgressUpdate', 'offProgressUpdate', (event) => {
      if (event) deliver({ ...event, type: 'progress' })
    })
  }
  if (!plan.chunked) return true
  return listen('onChunkReceived', 'offChunkReceived', (event) => {
    if (event) deliver({ type: 'chunk', data: event.data })
  })
}

/**
 * Sends one attempt of `plan.api` with `plan.options`. Returns the stop function: it takes
 * the attempt off the wire (`task.abort()`) without reporting an end.
 */
export function sendAttempt(plan: AttemptPlan): () => void {
  const { api } = plan
  let ended = false
  let task: TransferTask | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastHeader: unknown
  const listeners: Array<[TaskMethod, Listener]> = []

  // Ends the attempt: no more events, no timer, listeners off, the task aborted unless wx
  // settled it. False if it had already ended.
  const stop = (settledByWx: boolean): boolean => {
    if (ended) return false
    ended = true
    if (timer !== undefined) clearTimeout(timer)
    for (const [off, listener] of listeners) callTask(task, off, listener)
    if (!settledByWx) callTask(task, 'abort')
    return true
  }
  const end = (outcome: Omit<AttemptEnd, 'reachedServer'>, settledByWx: boolean) => {
    if (!stop(settledByWx)) return
    const reached = outcome as AttemptEnd
    reached.reachedServer = lastHeader !== undefined
    plan.onEnd(reached)
  }
  // A listener of the caller that throws ends the attempt with what it threw.
  const deliver = (event: AttemptEvent) => {
    if (ended) return
    try {
      plan.onEvent(event)
    } catch (error) {
      end({ error: error instanceof Error ? error : toWxError(api, error) }, false)
    }
  }
  const listen: Listen = (on, off, listener) => {
    if (!task || !isFunction(task[on])) return false
    callTask(task, on, listener)
    listeners.push([off, listener])
    return true
  }

  const member = getWxMember(api)
  if (!member) {
    end({ error: notSupported(api) }, true)
    return () => stop(false)
  }
  const copy = copyForWx(plan)
  copy.success = (result: { header?: unknown }) =>
    end(
      { result, header: result && result.header !== undefined ? result.header : lastHeader },
      true,
    )
  copy.fail = (raw: unknown) => end({ error: toWxError(api, raw), header: lastHeader }, true)
  try {
    const returned = member.fn.call(member.host, copy)
    task = typeof returned === 'object' && returned ? (returned as TransferTask) : undefined
  } catch (error) {
    end({ error: toWxError(api, error) }, true)
  }
  if (ended) return () => stop(false)

  const chunksHeard = listenToTask(plan, listen, deliver, (header) => (lastHeader = header))
  if (!chunksHeard) {
    const errMsg = api + ':fail onChunkReceived not supported'
    end({ error: new WxError({ api, errMsg, code: 'ERR_NOT_SUPPORTED' }) }, false)
  }
  if (!ended && isFinite(plan.timeout as number)) {
    timer = setTimeout(() => {
      // `ended` is set (and the task aborted) before reporting, so the slot this frees is never
      // used while the old task is still on the wire, and a synchronous `fail: abort` is ignored.
      const detail = 'no answer within ' + plan.timeout + ' ms'
      end(
        { error: failure(api, 'timeout', { detail, type: TimeoutError }), header: lastHeader },
        false,
      )
    }, plan.timeout)
  }
  return () => stop(false)
}
