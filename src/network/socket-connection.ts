import { notSupported, TimeoutError, toWxError, WxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import type { OutgoingMessage } from './socket-buffer'
import { isSocketLimitError, MAX_SOCKETS, takeSocketSlot } from './socket-slots'

/**
 * How a connection ended: `clean` (closed with code 1000), `unclean` (any other close, an
 * error, a failed connect, the open timeout: worth reconnecting) or `fatal` (reconnecting
 * cannot help: too many sockets, no `connectSocket`, a URL outside the domain list).
 */
export type DropKind = 'clean' | 'unclean' | 'fatal'

/** What a connection reports to the socket that made it. */
export interface ConnectionEvents {
  open(connection: SocketConnection): void
  message(connection: SocketConnection, data: string | ArrayBuffer): void
  drop(connection: SocketConnection, error: WxError, kind: DropKind): void
  sendFailed(connection: SocketConnection, message: OutgoingMessage, error: WxError): void
}

type Task = WechatMiniprogram.SocketTask

const API = 'connectSocket'

/** The longest delay setTimeout takes; longer ones fire at once on most engines. */
export const MAX_TIMER = 2147483647

function noop(): void {}

/** The error of a sixth socket. */
export function tooManySockets(cause?: unknown): WxError {
  return new WxError(
    { api: API, errMsg: API + ':fail too many sockets', cause },
    'WeChat allows at most ' + MAX_SOCKETS + ' open at once; close one first',
  )
}

// A task's onError gives `{ errMsg }` whose text may lack the `"<api>:fail "` prefix; the
// WxError keeps the usual form either way, and a connect timeout is a TimeoutError.
function taskError(raw: unknown): WxError {
  const result = raw as { errMsg?: unknown; errno?: unknown } | null | undefined
  const text = result && result.errMsg
  if (typeof text !== 'string' || !text || text.indexOf(':fail') >= 0) return toWxError(API, raw)
  const init = {
    api: API,
    errMsg: API + ':fail ' + text,
    errno: typeof result.errno === 'number' ? result.errno : undefined,
    cause: raw,
  }
  return /\btime[ds]? ?out\b/i.test(text) ? new TimeoutError(init) : new WxError(init)
}

function isFatal(errMsg: string): boolean {
  return /not supported|domain list|invalid url|permission/i.test(errMsg)
}

/**
 * One `SocketTask`: one generation of a socket. Its listeners are attached in the same tick as
 * `wx.connectSocket`; since a task has no `off*`, a connection that was given up (`ended`)
 * ignores everything its task still reports, except that it closes the task if it opens late
 * and frees its slot when the task is finally gone.
 */
export class SocketConnection {
  /** `Date.now()` at `onOpen`; 0 while not open. */
  openedAt = 0
  /** Failed sends of this connection are dropped, not put back (set by `close()`). */
  discardFailedSends = false
  private task: Task | undefined
  private ended = false
  private release: (() => void) | undefined
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly events: ConnectionEvents,
    private readonly openTimeout: number,
  ) {}

  /** Calls `wx.connectSocket(options)` and listens to the task, or reports a fatal drop. */
  start(options: Record<string, unknown>): void {
    const host = getWx()
    if (
      !host ||
      typeof (host as unknown as { connectSocket?: unknown }).connectSocket !== 'function'
    ) {
      this.fail(notSupported(API), 'fatal')
      return
    }
    this.release = takeSocketSlot(host)
    if (!this.release) {
      this.fail(tooManySockets(), 'fatal')
      return
    }
    const call = invoke(API, options)
    const task = call.task as Task | undefined
    if (task && typeof task.onOpen === 'function') {
      this.task = task
      task.onOpen(() => this.opened())
      task.onMessage((result) => {
        if (!this.ended) this.events.message(this, result.data)
      })
      task.onError((result) => this.failed(result))
      task.onClose((result) => this.closed(result))
      this.setTimer(() => this.timedOut())
    }
    call.then(
      () => {
        if (!this.task) {
          this.fail(
            new WxError(
              { api: API, errMsg: API + ':fail no SocketTask' },
              'base library 1.7.0 or later is needed',
            ),
            'fatal',
          )
        }
      },
      (raw: unknown) => this.failed(raw),
    )
  }

  /** Hands one message to the task; a failure is reported through `sendFailed`. */
  send(message: OutgoingMessage): void {
    const task = this.task as Task
    const fail = (raw: unknown) =>
      this.events.sendFailed(this, message, toWxError('SocketTask.send', raw))
    try {
      task.send({ data: message.data, fail })
    } catch (error) {
      fail(error)
    }
  }

  /** Starts the close handshake; `drop` follows on `onClose`, or after `openTimeout` at most. */
  close(code: number, reason?: string): void {
    if (this.ended) return
    this.closeTask(code, reason)
    this.setTimer(() => {
      const errMsg = API + ':fail timeout'
      this.fail(new TimeoutError({ api: API, errMsg }, 'no onClose after close()'), 'unclean')
    })
  }

  /** Gives the task up: closes it and ignores whatever it still reports. */
  abandon(): void {
    if (this.ended) return
    this.ended = true
    this.closeTask(1000)
    this.releaseLater()
  }

  private opened(): void {
    if (this.ended) {
      // Given up while connecting: the task opened anyway, so close it now.
      this.closeTask(1000)
      return
    }
    this.clearTimer()
    this.openedAt = Date.now()
    this.events.open(this)
  }

  private closed(result: { code?: number; reason?: string } | undefined): void {
    this.clearTimer()
    this.freeSlot()
    if (this.ended) return
    this.ended = true
    const code = result && typeof result.code === 'number' ? result.code : 1006
    const reason = result && result.reason ? ': ' + result.reason : ''
    const error = new WxError({
      api: API,
      errMsg: API + ':fail closed with code ' + code + reason,
      cause: result,
    })
    this.events.drop(this, error, code === 1000 ? 'clean' : 'unclean')
  }

  private failed(raw: unknown): void {
    const error = taskError(raw)
    if (isSocketLimitError(error.errMsg)) this.fail(tooManySockets(raw), 'fatal')
    else this.fail(error, isFatal(error.errMsg) ? 'fatal' : 'unclean')
  }

  private timedOut(): void {
    const errMsg = API + ':fail timeout'
    this.fail(
      new TimeoutError({ api: API, errMsg }, 'not open after ' + this.openTimeout + ' ms'),
      'unclean',
    )
  }

  // Ends this connection with `error`; the task (if any) is closed and its slot freed.
  private fail(error: WxError, kind: DropKind): void {
    this.clearTimer()
    if (this.ended) {
      this.freeSlot()
      return
    }
    this.ended = true
    this.closeTask(1000)
    this.freeSlot()
    this.events.drop(this, error, kind)
  }

  private closeTask(code: number, reason?: string): void {
    const task = this.task
    if (!task) return
    const options: WechatMiniprogram.SocketTaskCloseOption = { code, fail: noop }
    if (reason !== undefined) options.reason = reason
    try {
      task.close(options)
    } catch {
      // A task that cannot close is as good as closed.
    }
  }

  // The slot stays taken until the task reports onClose (WeChat counts it until then), but
  // never longer than `openTimeout`, so a task that never reports cannot hold a slot forever
  // (with no timeout at all, it is freed at once).
  private releaseLater(): void {
    if (!this.release) return
    if (!this.task || !(this.openTimeout <= MAX_TIMER)) {
      this.freeSlot()
      return
    }
    this.setTimer(() => this.freeSlot())
  }

  private freeSlot(): void {
    const release = this.release
    this.release = undefined
    if (release) release()
  }

  private setTimer(fn: () => void): void {
    this.clearTimer()
    if (!(this.openTimeout <= MAX_TIMER)) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      fn()
    }, this.openTimeout)
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
  }
}
