// One attempt of a pooled call on the wire: the wx call with its callbacks, the task's header
// and progress listeners, and the per-attempt timeout. It settles exactly once, whatever wx
// does afterwards (a late `fail: abort` after our own abort is ignored). A class rather than
// closures: a busy pool makes one per attempt, and fewer allocations mean less GC.
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

type Listener = (event: any) => void

interface TransferTask {
  abort?: () => void
  onHeadersReceived?: (listener: Listener) => void
  offHeadersReceived?: (listener: Listener) => void
  onProgressUpdate?: (listener: Listener) => void
  offProgressUpdate?: (listener: Listener) => void
}

/** One attempt; `start()` sends it, `abort()` takes it off the wire without settling. */
export class Attempt {
  private done = false
  private task: TransferTask | undefined
  private timeoutSub: Subscription | undefined
  private lastHeader: unknown
  private onHeaders: Listener | undefined
  private onProgress: Listener | undefined

  constructor(
    private readonly api: TransferApi,
    private readonly options: PreparedOptions,
    private readonly timeout: number | undefined,
    private readonly handlers: AttemptHandlers,
  ) {}

  /** Calls wx; may settle synchronously, before it returns. */
  start(): void {
    const api = this.api
    const member = getWxMember(api)
    if (!member) {
      this.finish(notSupported(api), undefined, undefined)
      return
    }
    const options = this.options
    const copy: Record<string, unknown> = {}
    for (const key in options) {
      if (Object.prototype.hasOwnProperty.call(options, key)) copy[key] = options[key]
    }
    if (api !== 'request') delete copy.method
    const timeout = this.timeout
    const timed = timeout !== undefined && isFinite(timeout)
    if (timed) copy.timeout = timeout
    else delete copy.timeout
    copy.success = (result: { header?: unknown }) =>
      this.finish(
        undefined,
        result,
        result && result.header !== undefined ? result.header : this.lastHeader,
      )
    copy.fail = (raw: unknown) => this.finish(toWxError(api, raw), undefined, this.lastHeader)

    let returned: unknown
    try {
      returned = member.fn.call(member.host, copy)
    } catch (error) {
      this.finish(toWxError(api, error), undefined, undefined)
    }
    if (this.done) return
    if (returned && typeof returned === 'object') {
      const task = (this.task = returned as TransferTask)
      if (typeof task.onHeadersReceived === 'function') {
        this.onHeaders = (event) => this.headers(event)
        task.onHeadersReceived(this.onHeaders)
      }
      if (api !== 'request' && typeof task.onProgressUpdate === 'function') {
        this.onProgress = (event) => this.progress(event)
        task.onProgressUpdate(this.onProgress)
      }
    }
    if (timed) this.timeoutSub = timer(timeout).subscribe(() => this.timedOut())
  }

  /** Takes the attempt off the wire (`task.abort()`); it will not settle. */
  abort(): void {
    if (this.done) return
    this.cleanup()
    this.abortTask()
  }

  private headers(event: { header?: unknown; statusCode?: unknown; cookies?: unknown }): void {
    if (this.done || !event) return
    const header = (event.header || {}) as Record<string, string>
    this.lastHeader = header
    const out: HeadersEvent = { type: 'headers', header }
    if (typeof event.statusCode === 'number') out.statusCode = event.statusCode
    if (Array.isArray(event.cookies)) out.cookies = event.cookies as string[]
    this.handlers.headers(out)
  }

  private progress(event: Record<string, unknown>): void {
    if (this.done || !event) return
    const out = { type: 'progress' } as { type: 'progress' } & Record<string, unknown>
    for (const key in event) {
      if (Object.prototype.hasOwnProperty.call(event, key)) out[key] = event[key]
    }
    out.type = 'progress'
    this.handlers.progress(out)
  }

  private timedOut(): void {
    if (this.done) return
    // Abort before reporting, so the slot this frees is never used while the old task is
    // still on the wire; `done` is set first, so a synchronous `fail: abort` is ignored.
    this.cleanup()
    this.abortTask()
    const api = this.api
    this.handlers.settle(
      new TimeoutError(
        { api, errMsg: api + ':fail timeout' },
        'no answer within ' + this.timeout + ' ms',
      ),
      undefined,
      this.lastHeader,
    )
  }

  private finish(error: Error | undefined, result: unknown, header: unknown): void {
    if (this.done) return
    this.cleanup()
    this.handlers.settle(error, result, header)
  }

  private cleanup(): void {
    this.done = true
    if (this.timeoutSub) this.timeoutSub.unsubscribe()
    const task = this.task
    if (!task) return
    try {
      if (this.onHeaders && typeof task.offHeadersReceived === 'function') {
        task.offHeadersReceived(this.onHeaders)
      }
      if (this.onProgress && typeof task.offProgressUpdate === 'function') {
        task.offProgressUpdate(this.onProgress)
      }
    } catch {
      // A task that throws on off* after it ended has nothing left to detach.
    }
  }

  private abortTask(): void {
    const task = this.task
    if (task && typeof task.abort === 'function') {
      try {
        task.abort()
      } catch {
        // Aborting a task that already ended may throw on some clients; it is over anyway.
      }
    }
  }
}
