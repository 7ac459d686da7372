// One attempt of a pooled call on the wire: the wx call with its callbacks, the task's header
// and progress listeners, and the per-attempt timeout. It settles exactly once, whatever wx
// does afterwards (a late `fail: abort` after our own abort is ignored).
import { timer, type Subscription } from 'rxjs'
import { notSupported, TimeoutError, toWxError } from '../core/errors'
import { getWxMember } from '../core/wx'
import type { HeadersEvent, PreparedOptions, TransferApi } from './request-types'

/** What an attempt reports to the pool. */
export interface AttemptHandlers {
  /** Each headers event of the task. */
  headers(event: HeadersEvent): void
  /** Each progress event of an upload or download task. */
  progress(event: { type: 'progress' } & Record<string, unknown>): void
  /**
   * The end of the attempt, once: an error, or wx's success result. `header` is the
   * response's headers (from the result, or the last headers event) for `Retry-After`.
   */
  settle(error: Error | undefined, result: any, header: unknown): void
}

interface TransferTask {
  abort?: () => void
  onHeadersReceived?: (listener: (event: any) => void) => void
  offHeadersReceived?: (listener: (event: any) => void) => void
  onProgressUpdate?: (listener: (event: any) => void) => void
  offProgressUpdate?: (listener: (event: any) => void) => void
}

/**
 * Starts one attempt of `api` with `options` (already prepared and checked) and returns a
 * function that aborts it (the task's `abort()`; `settle` is then not called). With a finite
 * `timeout`, the task is aborted after that many ms and the attempt settles with
 * `TimeoutError`. May settle synchronously, before it returns.
 */
export function sendAttempt(
  api: TransferApi,
  options: PreparedOptions,
  timeout: number | undefined,
  handlers: AttemptHandlers,
): () => void {
  let done = false
  let task: TransferTask | undefined
  let timeoutSub: Subscription | undefined
  let lastHeader: unknown

  const onHeaders = (event: { header?: unknown; statusCode?: unknown; cookies?: unknown }) => {
    if (done || !event) return
    const header = (event.header || {}) as Record<string, string>
    lastHeader = header
    const out: HeadersEvent = { type: 'headers', header }
    if (typeof event.statusCode === 'number') out.statusCode = event.statusCode
    if (Array.isArray(event.cookies)) out.cookies = event.cookies as string[]
    handlers.headers(out)
  }
  const onProgress = (event: Record<string, unknown>) => {
    if (done || !event) return
    const out = { type: 'progress' } as { type: 'progress' } & Record<string, unknown>
    for (const key in event) {
      if (Object.prototype.hasOwnProperty.call(event, key)) out[key] = event[key]
    }
    out.type = 'progress'
    handlers.progress(out)
  }
  const cleanup = () => {
    done = true
    if (timeoutSub) timeoutSub.unsubscribe()
    const t = task
    if (!t) return
    try {
      if (typeof t.offHeadersReceived === 'function') t.offHeadersReceived(onHeaders)
      if (typeof t.offProgressUpdate === 'function') t.offProgressUpdate(onProgress)
    } catch {
      // A task that throws on off* after it ended has nothing left to detach.
    }
  }
  const finish = (error: Error | undefined, result: unknown, header: unknown) => {
    if (done) return
    cleanup()
    handlers.settle(error, result, header)
  }
  const abortTask = () => {
    const t = task
    if (t && typeof t.abort === 'function') {
      try {
        t.abort()
      } catch {
        // Aborting a task that already ended may throw on some clients; it is over anyway.
      }
    }
  }

  const member = getWxMember(api)
  if (!member) {
    finish(notSupported(api), undefined, undefined)
    return () => {}
  }
  const copy: Record<string, unknown> = {}
  for (const key in options) {
    if (Object.prototype.hasOwnProperty.call(options, key)) copy[key] = options[key]
  }
  if (api !== 'request') delete copy.method
  if (timeout !== undefined && isFinite(timeout)) copy.timeout = timeout
  copy.success = (result: { header?: unknown }) =>
    finish(undefined, result, result && result.header !== undefined ? result.header : lastHeader)
  copy.fail = (raw: unknown) => finish(toWxError(api, raw), undefined, lastHeader)

  let returned: unknown
  try {
    returned = member.fn.call(member.host, copy)
  } catch (error) {
    finish(toWxError(api, error), undefined, undefined)
  }
  if (returned && typeof returned === 'object') task = returned as TransferTask
  if (done) return () => {}
  if (task) {
    if (typeof task.onHeadersReceived === 'function') task.onHeadersReceived(onHeaders)
    if (api !== 'request' && typeof task.onProgressUpdate === 'function') {
      task.onProgressUpdate(onProgress)
    }
  }
  if (timeout !== undefined && isFinite(timeout)) {
    timeoutSub = timer(timeout).subscribe(() => {
      if (done) return
      // Abort before reporting, so the slot this frees is never used while the old task is
      // still on the wire; `done` is set first, so a synchronous `fail: abort` is ignored.
      cleanup()
      abortTask()
      handlers.settle(
        new TimeoutError(
          { api, errMsg: api + ':fail timeout' },
          'no answer within ' + timeout + ' ms',
        ),
        undefined,
        lastHeader,
      )
    })
  }
  return () => {
    if (done) return
    cleanup()
    abortTask()
  }
}
