// The state machine behind createSocket (socket.ts): a WebSocket over wx.connectSocket that
// connects lazily, reconnects after unclean closes and buffers what is sent while not open.
//
//   idle ─subscribe/connect()─▶ connecting ─onOpen─▶ open ─unclean end─▶ reconnecting
//   reconnecting ─timer, or the network/app coming back─▶ connecting
//   open ─close()/last unsubscribe─▶ closing ─onClose─▶ closed
//   any ─clean close, fatal failure, reconnect limit─▶ closed
//
// A session is one run from the first connect to `closed`; each connection of a session is a
// SocketConnection (socket-connection.ts). Each transition below is one method, next to the
// teardown it owes; every callback checks that its session (and connection) is still the
// current one, since a SocketTask cannot unregister its listeners.
import { BehaviorSubject, Observable, Subject, Subscription } from 'rxjs'
import { checkValue, clampDelay } from '../core/check'
import { describe } from '../core/describe'
import { failure, notSupported, WxError } from '../core/errors'
import { getWx } from '../core/wx'
import { appVisible$ } from './app-visibility'
import { isOnline$ } from './network-status'
import { backoffDelay } from './retry-timing'
import { SendBuffer, type OutgoingMessage } from './socket-buffer'
import {
  CONNECT_SOCKET,
  SocketConnection,
  tooManySockets,
  type ConnectionEnd,
} from './socket-connection'
import { passThrough, SOCKET_CLOSE, SOCKET_SEND, type SocketConfig } from './socket-config'
import type { SocketState } from './socket-options'
import {
  slotClosingOn,
  slotsReleased,
  takeSlot,
  waitForSlot,
  type SocketSlot,
} from './socket-slots'
/** One run of the socket, from the first connect to `closed`. */
interface Session<In> {
  /** Where `messages$` subscribers of this run listen. */
  readonly subject: Subject<In>
  /** `connect()` was called: the last unsubscribe does not close. */
  held: boolean
  /** Timer-started reconnect attempts since the last connection that stayed up `minUptime`. */
  attempts: number
  /** What `isOnline$` last said (online until it answers). */
  online: boolean
  /** What `appVisible$` last said. */
  visible: boolean
  /** `close()` or the last unsubscribe asked the server to close; the run ends on onClose. */
  closing: boolean
  /** The connection now, if any. */
  connection?: SocketConnection
  /** The backoff timer of the next reconnect attempt. */
  reconnectTimer?: ReturnType<typeof setTimeout>
  /** `slotsReleased()` when the current connection was started. */
  releasedAtAttempt: number
  /** Cancels the wait for a slot that one of the SDK's closing sockets still holds. */
  cancelSlotWait?: () => void
  /** The network and app-visibility watch; set from the first connect until closing. */
  watch?: Subscription
}

const CLOSE_CODE = {
  type: 'custom',
  test: (code: unknown) =>
    typeof code === 'number' && (code === 1000 || (code >= 3000 && code <= 4999 && code % 1 === 0)),
  expected: '1000 or a whole number from 3000 to 4999 (what wx accepts)',
} as const

function limitReached(limit: number, last: WxError): WxError {
  const detail = limit + ' attempts in a row failed; last: ' + last.errMsg
  return failure(CONNECT_SOCKET, 'reconnect limit reached', { detail, cause: last })
}

function deserializerError(error: unknown): Error {
  if (error instanceof Error) return error
  return failure('SocketTask.onMessage', 'deserializer threw ' + describe(error), { cause: error })
}

/** The socket's state machine; `createSocket` hands out its public face. */
export class SocketMachine<In, Out> {
  state: SocketState = 'idle'
  readonly states = new BehaviorSubject<SocketState>('idle')
  /** Messages `send()` holds until the socket opens, oldest first. */
  readonly buffer = new SendBuffer()
  private session: Session<In> | undefined
  private sent = 0
  /** `close()` was called and nothing started the socket since: `send()` throws. */
  private closedByUser = false

  constructor(private readonly config: SocketConfig<In, Out>) {}

  private setState(next: SocketState): void {
    if (this.state === next) return
    this.state = next
    this.states.next(next)
  }

  private isCurrent(session: Session<In>, connection: SocketConnection): boolean {
    return this.session === session && session.connection === connection
  }

  // ── sessions ──────────────────────────────────────────────────────────────────────────

  /**
   * The running session, or a new one. A session that is closing is finished now: whoever
   * comes next wants a connection, not the end of the last one.
   */
  currentSession(): Session<In> {
    if (this.session && this.session.closing) this.endSession(this.session)
    this.closedByUser = false
    if (!this.session) {
      this.session = {
        subject: new Subject<In>(),
        held: false,
        attempts: 0,
        online: true,
        visible: true,
        closing: false,
        releasedAtAttempt: 0,
      }
    }
    return this.session
  }

  /** Starts the session's first connection, unless it has started already. */
  begin(session: Session<In>): void {
    if (session.watch || session.closing) return
    this.watchConditions(session)
    if (this.session === session) this.attempt(session)
  }

  /** Ends the session: everything it holds is released, then `messages$` ends. */
  endSession(session: Session<In>, error?: Error): void {
    if (this.session !== session) return
    this.session = undefined
    this.cancelReconnect(session)
    if (session.cancelSlotWait) session.cancelSlotWait()
    session.cancelSlotWait = undefined
    this.unwatchConditions(session)
    if (session.connection) session.connection.abandon()
    session.connection = undefined
    // State first: a retry() inside the error handler starts a new session, whose
    // 'connecting' must not be overwritten by this 'closed'.
    this.setState('closed')
    if (error) session.subject.error(error)
    else session.subject.complete()
  }

  // ── what the socket waits for: the network and the app in the foreground ──────────────

  private watchConditions(session: Session<In>): void {
    const watch = new Subscription()
    session.watch = watch
    watch.add(isOnline$.subscribe((online) => this.conditionsChanged(session, { online })))
    watch.add(appVisible$.subscribe((visible) => this.conditionsChanged(session, { visible })))
  }

  private unwatchConditions(session: Session<In>): void {
    if (session.watch) session.watch.unsubscribe()
    session.watch = undefined
  }

  private conditionsChanged(
    session: Session<In>,
    change: { online?: boolean; visible?: boolean },
  ): void {
    const couldAttempt = session.online && session.visible
    if (change.online !== undefined) session.online = change.online
    if (change.visible !== undefined) session.visible = change.visible
    const canAttempt = session.online && session.visible
    if (canAttempt === couldAttempt) return
    if (this.session !== session || this.state !== 'reconnecting') return
    // Offline or hidden: the backoff pauses (no timer runs).
    this.cancelReconnect(session)
    // Back online and in the foreground: try at once. This attempt is not counted towards
    // `limit`: the network's return (or the app's) started it, not the backoff.
    if (canAttempt) this.attempt(session)
  }

  // ── connecting ────────────────────────────────────────────────────────────────────────

  /** One connection attempt: a slot, then wx.connectSocket. */
  private attempt(session: Session<In>): void {
    this.setState('connecting')
    // A state$ handler may have closed the socket meanwhile.
    if (this.session !== session || this.state !== 'connecting') return
    const host = getWx() as unknown as Record<string, unknown> | undefined
    if (!host || typeof host.connectSocket !== 'function') {
      return this.endSession(session, notSupported(CONNECT_SOCKET))
    }
    const slot = takeSlot(host)
    if (slot) this.startConnection(session, slot)
    else this.waitForSlot(session, tooManySockets())
  }

  /**
   * No slot: if one of the SDK's own tasks is closing (WeChat counts it until its onClose),
   * the attempt is made again when that slot comes back; otherwise the socket ends with
   * `error`, as a sixth socket.
   */
  private waitForSlot(session: Session<In>, error: WxError): void {
    const host = getWx() as unknown as object
    if (!host || !slotClosingOn(host)) return this.endSession(session, error)
    this.setState('connecting')
    session.cancelSlotWait = waitForSlot(host, () => {
      session.cancelSlotWait = undefined
      if (this.session === session && this.state === 'connecting') this.attempt(session)
    })
  }

  private startConnection(session: Session<In>, slot: SocketSlot): void {
    const connection: SocketConnection = new SocketConnection(slot, this.config, {
      opened: () => this.opened(session, connection),
      received: (data) => this.received(session, data),
      ended: (end) => this.connectionEnded(session, connection, end),
      sendFailed: (message, error) => this.sendFailed(session, connection, message, error),
    })
    session.connection = connection
    session.releasedAtAttempt = slotsReleased()
    connection.start()
  }

  // ── open ──────────────────────────────────────────────────────────────────────────────

  private opened(session: Session<In>, connection: SocketConnection): void {
    if (!this.isCurrent(session, connection)) return
    // 'open' handlers of state$ run first: what they send (auth) goes before the buffer.
    this.setState('open')
    this.flush(session)
  }

  private flush(session: Session<In>): void {
    while (this.buffer.size && this.session === session && this.state === 'open') {
      const connection = session.connection
      if (!connection) return
      connection.send(this.buffer.takeOldest() as OutgoingMessage)
    }
  }

  private received(session: Session<In>, data: string | ArrayBuffer): void {
    if (this.session !== session) return
    let value: In
    try {
      value = this.config.deserialize(data)
    } catch (error) {
      return this.endSession(session, deserializerError(error))
    }
    session.subject.next(value)
  }

  private sendFailed(
    session: Session<In>,
    connection: SocketConnection,
    message: OutgoingMessage,
    error: WxError,
  ): void {
    // Accepted once, so never dropped: back in the buffer, before every newer message.
    this.buffer.putBack(message)
    if (this.isCurrent(session, connection) && this.state === 'open') {
      // The task refuses sends while we think it open: it is dying. Do not wait for onClose.
      connection.abandon()
      this.connectionEnded(session, connection, { kind: 'unclean', error })
    } else if (this.session) {
      // A newer connection may already be open (the failure came late): send it there.
      this.flush(this.session)
    }
  }

  // ── the end of a connection, and reconnecting ─────────────────────────────────────────

  private connectionEnded(
    session: Session<In>,
    connection: SocketConnection,
    end: ConnectionEnd,
  ): void {
    if (!this.isCurrent(session, connection)) return
    session.connection = undefined
    if (end.kind === 'clean') return this.endSession(session)
    // wx refused the task while one of ours was still counted (its onClose not yet in):
    // not a sixth socket, just early.
    if (end.kind === 'fatal' && end.error.code === 'ERR_TOO_MANY_TASKS' && !session.closing) {
      if (slotsReleased() !== session.releasedAtAttempt) return this.attempt(session)
      return this.waitForSlot(session, end.error)
    }
    // A failed close() ends the socket with wx's error; any other end of a closing one is
    // the close it asked for.
    if (end.kind === 'fatal') return this.endSession(session, end.error)
    if (session.closing) return this.endSession(session)
    if (connection.stayedOpen(this.config.policy.minUptime, Date.now())) session.attempts = 0
    const { limit } = this.config.policy
    if (session.attempts >= limit) {
      return this.endSession(session, limit ? limitReached(limit, end.error) : end.error)
    }
    this.setState('reconnecting')
    if (this.session === session && this.state === 'reconnecting') this.scheduleReconnect(session)
  }

  private scheduleReconnect(session: Session<In>): void {
    this.cancelReconnect(session)
    // Offline or hidden: no timer at all; conditionsChanged starts the attempt.
    if (!session.online || !session.visible) return
    const delay = clampDelay(backoffDelay(session.attempts + 1, this.config.policy))
    session.reconnectTimer = setTimeout(() => {
      session.reconnectTimer = undefined
      if (this.session !== session || this.state !== 'reconnecting') return
      session.attempts += 1
      this.attempt(session)
    }, delay)
  }

  private cancelReconnect(session: Session<In>): void {
    if (session.reconnectTimer !== undefined) clearTimeout(session.reconnectTimer)
    session.reconnectTimer = undefined
  }

  // ── closing ───────────────────────────────────────────────────────────────────────────

  /** `close()` or the last unsubscribe: waits for the server while open, else ends now. */
  stop(session: Session<In>, code: number, reason?: string): void {
    this.cancelReconnect(session)
    if (session.closing) return
    const connection = session.connection
    if (this.state !== 'open' || !connection) return this.endSession(session)
    session.closing = true
    // Nothing reconnects from here: the network and the app state no longer matter.
    this.unwatchConditions(session)
    this.setState('closing')
    connection.close(code, reason)
  }

  // ── the public verbs ──────────────────────────────────────────────────────────────────

  messages(): Observable<In> {
    return new Observable<In>((subscriber) => {
      const session = this.currentSession()
      // Subscribe before connecting, so an error found at once (a sixth socket) reaches it.
      const inner = session.subject.subscribe(subscriber)
      this.begin(session)
      return () => {
        inner.unsubscribe()
        if (this.session === session && !session.subject.observed && !session.held) {
          this.stop(session, 1000)
        }
      }
    })
  }

  send(value: Out): void {
    if (this.closedByUser) {
      throw new WxError(
        { api: SOCKET_SEND, errMsg: SOCKET_SEND + ':fail socket closed', code: 'ERR_FAILED' },
        'close() was called; subscribe or connect() to open it again',
      )
    }
    const message = { order: ++this.sent, data: passThrough(this.config.serialize(value)) }
    const session = this.session
    if (session && session.connection && this.state === 'open') {
      return session.connection.send(message)
    }
    const limit = this.config.bufferLimit
    if (this.buffer.size >= limit) {
      throw failure(SOCKET_SEND, 'buffer full', {
        detail: limit + ' messages are waiting for the socket to open (bufferLimit)',
      })
    }
    this.buffer.push(message)
  }

  connect(): void {
    const session = this.currentSession()
    session.held = true
    this.begin(session)
  }

  close(code: number, reason: string | undefined): void {
    checkValue(SOCKET_CLOSE, 'code', code, CLOSE_CODE)
    checkValue(SOCKET_CLOSE, 'reason', reason, { type: 'string' })
    this.buffer.clear()
    this.closedByUser = true
    const session = this.session
    if (!session) return
    session.held = false
    if (session.connection) session.connection.dropFailedSends = true
    this.stop(session, code, reason)
  }
}
