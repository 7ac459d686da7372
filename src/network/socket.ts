import { BehaviorSubject, Observable, Subject } from 'rxjs'
import type { Subscriber, Subscription } from 'rxjs'
import { argumentError, describe } from '../core/describe'
import { WxError } from '../core/errors'
import { isOnline$ } from './network-status'
import { backoffDelay } from './retry-timing'
import { SocketBuffer } from './socket-buffer'
import type { OutgoingMessage } from './socket-buffer'
import { MAX_TIMER, SocketConnection } from './socket-connection'
import type { DropKind } from './socket-connection'
import { normalizeSocketOptions, passThrough } from './socket-options'
import type { NormalizedSocketOptions, SocketOptions, SocketState } from './socket-options'

/**
 * A WebSocket over `wx.connectSocket` that connects when first needed, reconnects after
 * unclean closes, and buffers what is sent while it is not open. Made by `createSocket`.
 */
export interface Socket<In = string | ArrayBuffer, Out = string | ArrayBuffer> {
  /**
   * The received messages (after `deserializer`). Subscribing connects if the socket is not
   * connected; the last unsubscribe closes it (unless `connect()` holds it). Reconnects are
   * invisible here. Completes on a clean close (`close()`, or the server closing with 1000);
   * errors with a `WxError` when the connection is lost and may not reconnect (`reconnect`
   * off or its `limit` reached), a `TimeoutError` for an open timeout without reconnect,
   * `connectSocket:fail too many sockets` for a sixth socket, or the deserializer's error.
   * `retry()` and a later subscribe start a new connection; buffered messages are kept.
   */
  readonly messages$: Observable<In>
  /** The socket's state: the current one first, then each change. Never completes. */
  readonly state$: Observable<SocketState>
  /** The socket's state now. */
  readonly state: SocketState
  /** Messages `send()` is holding until the socket opens. */
  readonly buffered: number
  /**
   * Sends `value` (through `serializer`) at once when open; otherwise appends it to the
   * buffer, flushed in order on the next open, after anything a `state$` `'open'` handler
   * sends (the place for an auth message or a resend of unacknowledged ones). A message whose
   * send fails on a dying connection is put back and sent again on the next one.
   *
   * Throws (never drops silently): a `TypeError` for a value the serializer cannot turn into
   * a string or ArrayBuffer, and a `WxError` (`SocketTask.send:fail buffer full`) when
   * `bufferLimit` messages are already waiting. Sending does not connect by itself.
   */
  send(value: Out): void
  /** Connects now, without a subscriber, and stays connected until `close()`. */
  connect(): void
  /**
   * Closes cleanly: `messages$` completes (after the server confirms, or at once when not
   * open) and no reconnect follows; the buffer is emptied. A later subscribe or `connect()`
   * connects again.
   * @param code the close code @default 1000
   * @param reason why, at most 123 bytes of UTF-8
   */
  close(code?: number, reason?: string): void
}

type Finish = 'complete' | 'error'

interface Session<In> {
  subject: Subject<In>
  subscribers: number
  /** `connect()` was called: the last unsubscribe does not close. */
  held: boolean
  begun: boolean
  /** Reconnect attempts since the last connection that stayed up `minUptime`. */
  attempts: number
  online: boolean
  onlineSub?: Subscription
  timer?: ReturnType<typeof setTimeout>
  connection?: SocketConnection
  /** Set once a close was asked for while open: how the session ends on `onClose`. */
  stopping?: Finish
}

class SocketController<In, Out> implements Socket<In, Out> {
  readonly messages$: Observable<In>
  readonly state$: Observable<SocketState>
  private readonly states = new BehaviorSubject<SocketState>('idle')
  private readonly buffer: SocketBuffer
  private session: Session<In> | undefined
  private seq = 0

  constructor(private readonly options: NormalizedSocketOptions<In, Out>) {
    this.buffer = new SocketBuffer(options.bufferLimit)
    this.messages$ = new Observable<In>((subscriber) => this.subscribe(subscriber))
    this.state$ = this.states.asObservable()
  }

  get state(): SocketState {
    return this.states.getValue()
  }

  get buffered(): number {
    return this.buffer.size
  }

  send(value: Out): void {
    const data = passThrough(this.options.serialize(value))
    this.seq += 1
    const message: OutgoingMessage = { seq: this.seq, data }
    const s = this.session
    if (s && s.connection && this.state === 'open') {
      s.connection.send(message)
      return
    }
    if (this.buffer.full) {
      throw new WxError(
        { api: 'SocketTask.send', errMsg: 'SocketTask.send:fail buffer full' },
        this.buffer.limit + ' messages are waiting for the socket to open (bufferLimit)',
      )
    }
    this.buffer.push(message)
  }

  connect(): void {
    const s = this.current()
    s.held = true
    this.begin(s)
  }

  close(code = 1000, reason?: string): void {
    if (typeof code !== 'number' || Math.floor(code) !== code) {
      throw argumentError('SocketTask.close', 'code', 'an integer', code)
    }
    if (reason !== undefined && typeof reason !== 'string') {
      throw argumentError('SocketTask.close', 'reason', 'a string', reason)
    }
    this.buffer.clear()
    const s = this.session
    if (!s) return
    s.held = false
    if (s.connection) s.connection.discardFailedSends = true
    this.stop(s, code, reason, 'complete')
  }

  private subscribe(subscriber: Subscriber<In>): () => void {
    const s = this.current()
    s.subscribers += 1
    // Subscribe before connecting, so an error found at once (a sixth socket) reaches it.
    const inner = s.subject.subscribe(subscriber)
    this.begin(s)
    return () => {
      inner.unsubscribe()
      if (this.session !== s) return
      s.subscribers -= 1
      if (s.subscribers === 0 && !s.held) this.stop(s, 1000, undefined, s.stopping || 'complete')
    }
  }

  // The running session, or a new one. A session that is closing is finished now: whoever
  // comes next wants a connection, not the end of the last one.
  private current(): Session<In> {
    const s = this.session
    if (s && s.stopping) this.finish(s, s.stopping)
    if (this.session) return this.session
    const created: Session<In> = {
      subject: new Subject<In>(),
      subscribers: 0,
      held: false,
      begun: false,
      attempts: 0,
      online: true,
    }
    this.session = created
    return created
  }

  private begin(s: Session<In>): void {
    if (s.begun) return
    s.begun = true
    // Known while the session lasts, so a drop can decide at once whether to wait for the
    // network. Until getNetworkType answers, the device counts as online.
    const sub = isOnline$.subscribe((online) => this.networkChanged(s, online))
    if (this.session === s) s.onlineSub = sub
    else sub.unsubscribe()
    if (this.session === s) this.open(s)
  }

  private open(s: Session<In>): void {
    this.setState('connecting')
    if (this.session !== s || this.state !== 'connecting') return
    const connection = new SocketConnection(
      {
        open: (c) => this.opened(s, c),
        message: (c, data) => this.received(s, c, data),
        drop: (c, error, kind) => this.dropped(s, c, error, kind),
        sendFailed: (c, message, error) => this.sendFailed(s, c, message, error),
      },
      this.options.openTimeout,
    )
    s.connection = connection
    connection.start(this.options.connect)
  }

  private opened(s: Session<In>, connection: SocketConnection): void {
    if (this.session !== s || s.connection !== connection) return
    this.setState('open')
    this.flush()
  }

  private flush(): void {
    const s = this.session
    while (this.buffer.size > 0 && s && s.connection && this.state === 'open') {
      s.connection.send(this.buffer.shift() as OutgoingMessage)
    }
  }

  private received(s: Session<In>, connection: SocketConnection, data: string | ArrayBuffer): void {
    if (this.session !== s || s.connection !== connection) return
    let value: In
    try {
      value = this.options.deserialize(data)
    } catch (error) {
      this.finish(s, 'error', error instanceof Error ? error : deserializeError(error))
      return
    }
    s.subject.next(value)
  }

  private sendFailed(
    s: Session<In>,
    connection: SocketConnection,
    message: OutgoingMessage,
    error: WxError,
  ): void {
    if (connection.discardFailedSends) return
    // Accepted once, so never dropped: back in the buffer, before every newer message.
    this.buffer.putBack(message)
    if (this.session === s && s.connection === connection && this.state === 'open') {
      // The task refuses sends while we still think it open: it is dying. Do not wait for
      // its onClose to move on.
      connection.abandon()
      this.dropped(s, connection, error, 'unclean')
    } else {
      // A newer connection may already be open (the failure came late): send it there.
      this.flush()
    }
  }

  private dropped(
    s: Session<In>,
    connection: SocketConnection,
    error: WxError,
    kind: DropKind,
  ): void {
    if (this.session !== s || s.connection !== connection) return
    s.connection = undefined
    if (s.stopping) return this.finish(s, s.stopping)
    if (kind === 'clean') return this.finish(s, 'complete')
    if (kind === 'fatal') return this.finish(s, 'error', error)
    const policy = this.options.reconnect
    if (connection.openedAt && Date.now() - connection.openedAt >= policy.minUptime) {
      s.attempts = 0
    }
    if (s.attempts >= policy.limit) {
      return this.finish(s, 'error', policy.limit === 0 ? error : limitReached(policy.limit, error))
    }
    s.attempts += 1
    this.setState('reconnecting')
    if (this.session === s && this.state === 'reconnecting') this.schedule(s)
  }

  private schedule(s: Session<In>): void {
    this.clearTimer(s)
    // Offline: no timer at all; networkChanged() starts the attempt when the network is back.
    if (!s.online) return
    const delay = Math.min(backoffDelay(s.attempts, this.options.reconnect), MAX_TIMER)
    s.timer = setTimeout(() => {
      s.timer = undefined
      if (this.session === s && this.state === 'reconnecting') this.open(s)
    }, delay)
  }

  private networkChanged(s: Session<In>, online: boolean): void {
    if (s.online === online) return
    s.online = online
    if (this.session !== s || this.state !== 'reconnecting') return
    this.clearTimer(s)
    if (online) this.open(s)
  }

  // Close asked for (close() or the last unsubscribe): wait for the server while open,
  // otherwise end now.
  private stop(s: Session<In>, code: number, reason: string | undefined, how: Finish): void {
    this.clearTimer(s)
    if (s.stopping) {
      s.stopping = how
      return
    }
    if (this.state === 'open' && s.connection) {
      s.stopping = how
      // Nothing reconnects from here: the network status is no longer needed.
      this.unwatchNetwork(s)
      this.setState('closing')
      s.connection.close(code, reason)
    } else {
      this.finish(s, how)
    }
  }

  private finish(s: Session<In>, how: Finish, error?: unknown): void {
    if (this.session !== s) return
    this.session = undefined
    this.clearTimer(s)
    this.unwatchNetwork(s)
    if (s.connection) s.connection.abandon()
    s.connection = undefined
    // State first: a retry() inside the error handler starts a new session, whose
    // 'connecting' must not be overwritten by this 'closed'.
    this.setState('closed')
    if (how === 'error') s.subject.error(error)
    else s.subject.complete()
  }

  private unwatchNetwork(s: Session<In>): void {
    const sub = s.onlineSub
    s.onlineSub = undefined
    if (sub) sub.unsubscribe()
  }

  private clearTimer(s: Session<In>): void {
    if (s.timer !== undefined) {
      clearTimeout(s.timer)
      s.timer = undefined
    }
  }

  private setState(next: SocketState): void {
    if (this.states.getValue() !== next) this.states.next(next)
  }
}

function limitReached(limit: number, last: WxError): WxError {
  return new WxError(
    { api: 'connectSocket', errMsg: 'connectSocket:fail reconnect limit reached', cause: last },
    limit + ' attempts in a row failed; last: ' + last.errMsg,
  )
}

function deserializeError(thrown: unknown): WxError {
  return new WxError({
    api: 'SocketTask.onMessage',
    errMsg: 'SocketTask.onMessage:fail deserializer threw ' + describe(thrown),
    cause: thrown,
  })
}

/**
 * Makes a WebSocket over `wx.connectSocket` that connects lazily (first subscriber of
 * `messages$`, or `connect()`), reconnects after unclean closes with capped exponential
 * backoff (waiting while the device is offline), and buffers `send()` while not open.
 * Options are those of `wx.connectSocket` plus `reconnect`, `bufferLimit`, `openTimeout`,
 * `json`, `serializer` and `deserializer`. Throws a `TypeError` for bad options.
 *
 * At most 5 sockets may be connected at once (WeChat's limit); a sixth one's `messages$`
 * errors with `WxError('connectSocket:fail too many sockets')`.
 *
 * @example
 * const socket = createSocket<ServerEvent, ClientEvent>({ url: 'wss://example.com/chat', json: true })
 * socket.messages$.subscribe((event) => this.setData({ last: event }))
 * socket.send({ type: 'hello' })   // buffered until open
 * // onUnload: socket.close()
 */
export function createSocket<In = unknown, Out = unknown>(
  options: SocketOptions<In, Out> & { json: true },
): Socket<In, Out>
export function createSocket<In = string | ArrayBuffer, Out = string | ArrayBuffer>(
  options: SocketOptions<In, Out>,
): Socket<In, Out>
export function createSocket<In, Out>(options: SocketOptions<In, Out>): Socket<In, Out> {
  return new SocketController<In, Out>(normalizeSocketOptions<In, Out>(options))
}
