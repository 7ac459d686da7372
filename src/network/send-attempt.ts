// One attempt of a pooled call on the wire: the wx call with its callbacks, the task's header
// and progress listeners, and the per-attempt timeout. It settles exactly once, whatever wx
// does afterwards (a late `fail: abort` after our own abort is ignored).
import { notSupported, TimeoutError, toWxError, failure } from '../core/errors'
import { getWxMember } from '../core/wx'
import { isFunction, isNumber } from '../core/check-legacy'
import type { HeadersEvent, PreparedOptions, TransferApi } from './request-types'

/** A headers, progress or body chunk event of an attempt. */
export type AttemptEvent =
  | HeadersEvent
  | ({ type: 'progress' } & Record<string, unknown>)
  | { type: 'chunk'; data: ArrayBuffer }

type Listener = (event: any) => void

interface TransferTask {
  abort?: () => void
  onHeadersReceived?: (listener: Listener) => void
  offHeadersReceived?: (listener: Listener) => void
  onProgressUpdate?: (listener: Listener) => void
  offProgressUpdate?: (listener: Listener) => void
  onChunkReceived?: (listener: Listener) => void
  offChunkReceived?: (listener: Listener) => void
}

// Calls `task[name](arg)` if the task has that method; a task that throws on off* or abort
// after it ended has nothing left to do.
function onTask(task: TransferTask | undefined, name: keyof TransferTask, arg?: Listener): void {
  try {
    if (task && isFunction(task[name])) (task[name] as Listener)(arg)
  } catch {
    // over anyway
  }
}

// An ArrayBuffer from any realm (a test host's Node buffers are not this realm's ArrayBuffer).
function isArrayBufferLike(value: unknown): value is ArrayBuffer {
  return (
    !!value && typeof (value as ArrayBuffer).byteLength == 'number' && !ArrayBuffer.isView(value)
  )
}

/**
 * Sends one attempt of `api` with `options` (`timeout` ms at most, when finite); may settle
 * synchronously, before it returns. Reports each headers and progress event with
 * `emit(owner, event)`, and the end, once, with `settle(owner, error, result, header)`: an
 * error, or wx's success result, with the response's headers (from the result, or the last
 * headers event) for `Retry-After`. Returns the abort: it takes the attempt off the wire
 * (`task.abort()`) without settling.
 */
export function sendAttempt<O>(
  api: TransferApi,
  options: PreparedOptions,
  timeout: number | undefined,
  owner: O,
  emit: (owner: O, event: AttemptEvent) => void,
  settle: (owner: O, error: Error | undefined, result?: any, header?: unknown) => void,
): () => void {
  let done: unknown
  let task: TransferTask | undefined
  let timer: any
  let lastHeader: unknown
  let onHeaders: Listener | undefined
  let onProgress: Listener | undefined
  let onChunk: Listener | undefined
  // Ends the attempt: no more events, no timer, listeners off, and the task aborted unless wx
  // `settled` it. True if it was still running.
  const stop = (settled?: unknown) => {
    if (done) return
    done = 1
    clearTimeout(timer)
    onTask(task, 'offHeadersReceived', onHeaders)
    onTask(task, 'offProgressUpdate', onProgress)
    if (onChunk) onTask(task, 'offChunkReceived', onChunk)
    if (!settled) onTask(task, 'abort')
    return 1
  }
  const finish = (error: Error | undefined, result?: unknown, header?: unknown) => {
    if (stop(1)) settle(owner, error, result, header)
  }

  const member = getWxMember(api)
  if (!member) {
    finish(notSupported(api))
    return stop
  }
  const copy: Record<string, unknown> = { ...options }
  if (api != 'request') delete copy.method
  const timed = isFinite(timeout as number)
  if (timed) copy.timeout = timeout
  else delete copy.timeout
  copy.success = (result: { header?: unknown }) =>
    finish(undefined, result, result && result.header !== undefined ? result.header : lastHeader)
  copy.fail = (raw: unknown) => finish(toWxError(api, raw), undefined, lastHeader)
  try {
    task = member.fn.call(member.host, copy) as TransferTask
  } catch (error) {
    finish(toWxError(api, error))
  }
  if (done) return stop
  if (typeof task != 'object') task = undefined
  if (task && task.onHeadersReceived) {
    onTask(
      task,
      'onHeadersReceived',
      (onHeaders = (event: { header?: unknown; statusCode?: unknown; cookies?: unknown }) => {
        if (done || !event) return
        const header = (lastHeader = event.header || {}) as Record<string, string>
        const out: HeadersEvent = { type: 'headers', header }
        if (isNumber(event.statusCode)) out.statusCode = event.statusCode
        if (Array.isArray(event.cookies)) out.cookies = event.cookies
        emit(owner, out)
      }),
    )
  }
  if (api != 'request' && task && task.onProgressUpdate) {
    onTask(
      task,
      'onProgressUpdate',
      (onProgress = (event: Record<string, unknown>) => {
        if (!done && event) emit(owner, { ...event, type: 'progress' })
      }),
    )
  }
  if (api == 'request' && options.enableChunked === true) {
    if (!task || !isFunction(task.onChunkReceived)) {
      // An old base library ignores enableChunked and would deliver the body only at the end.
      if (stop()) {
        settle(
          owner,
          failure(api, 'not supported', 'enableChunked needs task.onChunkReceived (2.20.2)'),
        )
      }
      return stop
    }
    onTask(
      task,
      'onChunkReceived',
      (onChunk = (event: { data?: unknown }) => {
        if (!done && event && isArrayBufferLike(event.data)) {
          emit(owner, { type: 'chunk', data: event.data })
        }
      }),
    )
  }
  if (timed) {
    timer = setTimeout(() => {
      // Abort before reporting, so the slot this frees is never used while the old task is
      // still on the wire; `done` is set first, so a synchronous `fail: abort` is ignored.
      if (stop()) {
        settle(
          owner,
          failure(api, 'timeout', 'no answer within ' + timeout + ' ms', undefined, TimeoutError),
          undefined,
          lastHeader,
        )
      }
    }, timeout)
  }
  return stop as () => void
}
