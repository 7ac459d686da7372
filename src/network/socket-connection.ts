// One connection of a socket: one wx SocketTask, its listeners (attached in the same tick as
// connectSocket, since an onOpen attached later can miss the event), its open deadline and its
// slot. A SocketTask has no `off*`: a connection the socket gave up keeps its listeners, and
// ignores what its task still reports, except that it closes a task that opens late and gives
// its slot back on the task's onClose (WeChat counts the task until then).
import { failure, TimeoutError, toWxError, WxError } from '../core/errors'
import type { ErrorCode } from '../core/error-code'
import { invoke } from '../core/promisify'
import { MAX_TIMER_DELAY } from '../core/check'
import type { OutgoingMessage } from './socket-buffer'
import { releaseSlot, type SocketSlot } from './socket-slots'
import { noop } from '../core/noop'

/** The API named in connection errors. */
export const CONNECT_SOCKET = 'connectSocket'

/** How a connection ended, for the socket to decide what follows. */
export type ConnectionEnd =
  /** Closed with code 1000. */
  | { kind: 'clean' }
  /** Any other close, an error, a failed connectSocket, a timeout: worth reconnecting. */
  | { kind: 'unclean'; error: WxError }
  /** wx refused the task for good (too many sockets, a URL it rejects), or close() failed. */
  | { kind: 'fatal'; error: WxError }

/** What a connection reports to its socket. Nothing is reported after `abandon()`. */
export interface ConnectionEvents {
  opened(): void
  received(data: string | ArrayBuffer): void
  ended(end: ConnectionEnd): void
  /** The task refused a send: the socket puts the message back. */
  sendFailed(message: OutgoingMessage, error: WxError): void
}

/** What a connection needs of the socket's configuration. */
export interface ConnectionOptions {
  wxOptions: Record<string, unknown>
  openTimeout: number
}

type Phase = 'connecting' | 'open' | 'closing' | 'ended'

// Failures that no retry can fix, when wx reports them before the task opened. Only wx's own
// refusal counts: a server's close reason or error text never ends the socket for good.
const FATAL_BEFORE_OPEN: ErrorCode[] = [
  'ERR_TOO_MANY_TASKS',
  'ERR_NOT_IN_DOMAIN_LIST',
  'ERR_INVALID_URL',
  'ERR_NOT_SUPPORTED',
  'ERR_PERMISSION_DENIED',
]

/** The error of a sixth socket, whoever noticed it (the SDK's count or wx's refusal). */
export function tooManySockets(cause?: unknown): WxError {
  return new WxError(
    {
      api: CONNECT_SOCKET,
      errMsg: CONNECT_SOCKET + ':fail too many sockets',
      cause,
      code: 'ERR_TOO_MANY_TASKS',
    },
    'WeChat allows at most 5 open at once; close one first',
  )
}

// A task's onError gives `{ errMsg }` whose text may lack the `"<api>:fail "` prefix; the
// WxError keeps the usual form either way (a timeout becomes a TimeoutError).
function taskError(raw: unknown): WxError {
  const text = raw && (raw as { errMsg?: unknown }).errMsg
  if (typeof text !== 'string' || !text || text.indexOf(':fail') >= 0) {
    return toWxError(CONNECT_SOCKET, raw)
  }
  return toWxError(CONNECT_SOCKET, {
    errMsg: CONNECT_SOCKET + ':fail ' + text,
    errno: (raw as { errno?: unknown }).errno,
  })
}

function closedWith(result: { code?: unknown; reason?: unknown } | undefined): ConnectionEnd {
  const code = result && typeof result.code === 'number' ? result.code : 1006
  if (code === 1000) return { kind: 'clean' }
  const reason = result && result.reason ? ': ' + String(result.reason) : ''
  return {
    kind: 'unclean',
    error: failure(CONNECT_SOCKET, 'closed with code ' + code + reason, { cause: result }),
  }
}

/** One SocketTask of a socket. */
export class SocketConnection {
  private task: WechatMiniprogram.SocketTask | undefined
  private phase: Phase = 'connecting'
  private slot: SocketSlot | undefined
  private openedAt = 0
  /** The open deadline, or the close handshake's. */
  private deadline: ReturnType<typeof setTimeout> | undefined
  /** Gives the slot back if a given-up task never reports onClose. */
  private slotTimer: ReturnType<typeof setTimeout> | undefined
  /** Sends that fail from now on are dropped, not put back (set by `close()`). */
  dropFailedSends = false

  constructor(
    slot: SocketSlot,
    private readonly options: ConnectionOptions,
    private readonly events: ConnectionEvents,
  ) {
    this.slot = slot
  }

  /** Whether the task opened and stayed open at least `ms` until `now`. */
  stayedOpen(ms: number, now: number): boolean {
    return this.openedAt > 0 && now - this.openedAt >= ms
  }

  /** Calls wx.connectSocket and attaches every task listener in the same tick. */
  start(): void {
    const call = invoke(CONNECT_SOCKET, this.options.wxOptions)
    const task = call.task as WechatMiniprogram.SocketTask | undefined
    if (task && typeof task.onOpen === 'function') {
      this.task = task
      task.onOpen(() => this.onOpen())
      task.onMessage((result) => {
        if (this.phase === 'open' || this.phase === 'closing') this.events.received(result.data)
      })
      task.onError((raw) => this.onFailure(raw))
      task.onClose((result) => this.onClose(result))
      this.armDeadline('not open after ' + this.options.openTimeout + ' ms')
    }
    call.then(
      () => {
        if (this.task) return
        const error = new WxError(
          {
            api: CONNECT_SOCKET,
            errMsg: CONNECT_SOCKET + ':fail no SocketTask',
            code: 'ERR_NOT_SUPPORTED',
          },
          'base library 1.7.0 or later is needed',
        )
        this.end({ kind: 'fatal', error })
      },
      (error) => {
        // No task was made: wx counts nothing.
        this.giveSlotBack({ countedByWx: false })
        this.onFailure(error)
      },
    )
  }

  private onOpen(): void {
    // Given up while connecting: the task opened anyway, so close it now.
    if (this.phase === 'ended') return this.closeTask(1000)
    this.clearDeadline()
    this.openedAt = Date.now()
    this.phase = 'open'
    this.events.opened()
  }

  private onFailure(raw: unknown): void {
    const error = taskError(raw)
    const beforeOpen = this.phase === 'connecting'
    const code = error.code
    // wx refused the task: it never counted it, so there is no onClose to wait for.
    if (beforeOpen && code === 'ERR_TOO_MANY_TASKS') this.giveSlotBack({ countedByWx: false })
    if (beforeOpen && FATAL_BEFORE_OPEN.indexOf(code) >= 0) {
      this.end({
        kind: 'fatal',
        error: code === 'ERR_TOO_MANY_TASKS' ? tooManySockets(raw) : error,
      })
    } else this.end({ kind: 'unclean', error })
  }

  private onClose(result: { code?: unknown; reason?: unknown } | undefined): void {
    this.clearDeadline()
    this.giveSlotBack()
    if (this.phase === 'ended') return
    // The task is gone: nothing to close.
    this.phase = 'ended'
    this.events.ended(closedWith(result))
  }

  /** Reports the end once; the task is closed and its slot waits for its onClose. */
  private end(end: ConnectionEnd): void {
    if (this.phase === 'ended') return
    this.abandon()
    this.events.ended(end)
  }

  /** Hands `message` to the task; a refused send is reported with the message. */
  send(message: OutgoingMessage): void {
    const refused = (raw: unknown) => {
      if (!this.dropFailedSends) this.events.sendFailed(message, toWxError('SocketTask.send', raw))
    }
    try {
      ;(this.task as WechatMiniprogram.SocketTask).send({ data: message.data, fail: refused })
    } catch (error) {
      refused(error)
    }
  }

  /**
   * Starts the close handshake: the end follows on onClose, or after `openTimeout`. A close
   * that wx refuses ends the connection at once with wx's error.
   */
  close(code: number, reason?: string): void {
    if (this.phase === 'ended') return
    this.phase = 'closing'
    if (this.slot) this.slot.closing = true
    this.closeTask(code, reason, (raw) => {
      this.end({ kind: 'fatal', error: toWxError('SocketTask.close', raw) })
    })
    this.armDeadline('no onClose after close()')
  }

  /** Gives the task up: closes it and reports nothing more. */
  abandon(): void {
    if (this.phase === 'ended') return
    this.phase = 'ended'
    this.clearDeadline()
    this.closeTask(1000)
    if (!this.slot) return
    this.slot.closing = true
    // The slot waits for the task's onClose, but never longer than `openTimeout` (with no
    // timeout at all, or no task, it is given back at once).
    if (this.task && this.options.openTimeout <= MAX_TIMER_DELAY) {
      this.slotTimer = setTimeout(() => this.giveSlotBack(), this.options.openTimeout)
    } else this.giveSlotBack()
  }

  private closeTask(code: number, reason?: string, fail: (raw: unknown) => void = noop): void {
    if (!this.task) return
    const option: WechatMiniprogram.SocketTaskCloseOption = { code, fail }
    if (reason !== undefined) option.reason = reason
    try {
      this.task.close(option)
    } catch (error) {
      fail(error)
    }
  }

  private giveSlotBack({ countedByWx = true }: { countedByWx?: boolean } = {}): void {
    if (!this.slot) return
    const slot = this.slot
    this.slot = undefined
    if (this.slotTimer !== undefined) clearTimeout(this.slotTimer)
    this.slotTimer = undefined
    releaseSlot(slot, { countedByWx })
  }

  private armDeadline(detail: string): void {
    this.clearDeadline()
    if (this.options.openTimeout > MAX_TIMER_DELAY) return
    this.deadline = setTimeout(() => {
      this.deadline = undefined
      const error = failure(CONNECT_SOCKET, 'timeout', { detail, type: TimeoutError })
      this.end({ kind: 'unclean', error })
    }, this.options.openTimeout)
  }

  private clearDeadline(): void {
    if (this.deadline !== undefined) clearTimeout(this.deadline)
    this.deadline = undefined
  }
}
