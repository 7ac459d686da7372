// createSocket: one closure holds the socket (state, send buffer, the current session) and
// makes each connection (one SocketTask) as a nested closure. A session is one run from the
// first connect to `closed`; it is numbered, and a connection's callbacks check that their
// session and connection are still the current ones, since a SocketTask has no `off*`.
//   idle ─subscribe/connect─▶ connecting ─onOpen─▶ open ─unclean close/error─▶ reconnecting
//   reconnecting ─timer (paused offline)─▶ connecting;  open ─close()─▶ closing ─onClose─▶ closed
import { BehaviorSubject, Observable, Subject } from 'rxjs'
import type { Subscription } from 'rxjs'
import { describe } from '../core/describe'
import { notSupported, TimeoutError, toWxError, WxError, failure } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import {
  atLeast,
  bad,
  check,
  FUNCTION,
  hasOwn,
  isFunction,
  isNumber,
  isObject,
  isString,
  needObject,
  WHOLE,
  type Rule,
} from '../core/check-legacy'
import { isOnline$ } from './network-status'
import { backoffDelay } from './retry-timing'
import type { SocketOptions, SocketReconnectOptions, SocketState } from './socket-options'

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

/** One message of `send()`: its order, and the serialized data. */
type Message = [seq: number, data: string | ArrayBuffer]

/** What the socket holds of its current connection. */
interface Connection {
  send(message: Message): void
  /** Starts the close handshake; the drop follows on `onClose`, or after `openTimeout`. */
  close(code: number, reason?: string): void
  /** Gives the task up: closes it and ignores whatever it still reports. */
  abandon(): void
  /** Failed sends are dropped, not put back (set by `close()`). */
  d?: boolean
}

const API = 'createSocket'
const SEND = 'SocketTask.send'
const OPEN = 'open'
const RECONNECTING = 'reconnecting'
const CLOSE = 'SocketTask.close'
const CONNECT = 'connectSocket'
/** The longest delay setTimeout takes; longer ones fire at once on most engines. */
const MAX_TIMER = 2147483647
/** Connections WeChat allows at once (base library 1.7.0+). */
const MAX_SOCKETS = 5
// How a connection ended: closed with 1000; worth reconnecting (any other close, an error, a
// failed connect, the open timeout); or not (too many sockets, no connectSocket, a URL
// outside the domain list).
const CLEAN = 0
const UNCLEAN = 1
const FATAL = 2

// The options that are the socket's own, not wx.connectSocket's.
const OWN_KEY =
  /^(reconnect|bufferLimit|openTimeout|json|serializer|deserializer|success|fail|complete)$/

const FINITE_0 = /*#__PURE__*/ atLeast(0, 'finite')
const OPTION_RULES: Record<string, Rule> = {
  serializer: FUNCTION,
  deserializer: FUNCTION,
  reconnect: [(v) => typeof v == 'boolean' || isObject(v), 'a boolean or an object'],
  // `Infinity` is accepted only where it means no bound.
  bufferLimit: WHOLE,
  openTimeout: /*#__PURE__*/ atLeast(1, 'whole'),
}
const RECONNECT_RULES: Record<string, Rule> = {
  initial: FINITE_0,
  factor: /*#__PURE__*/ atLeast(1, 'finite'),
  max: FINITE_0,
  jitter: [(v) => isNumber(v) && v >= 0 && v <= 1, 'a number from 0 to 1'],
  limit: WHOLE,
  minUptime: FINITE_0,
}

// The SDK counts the connection slots its sockets hold, per wx object (a test may install a
// fresh wx): one entry per slot.
const slots: object[] = []

function noop(): void {}

function tooManySockets(cause?: unknown): WxError {
  return failure(
    CONNECT,
    'too many sockets',
    'WeChat allows at most ' + MAX_SOCKETS + ' open at once; close one first',
    cause,
  )
}

// A task's onError gives `{ errMsg }` whose text may lack the `"<api>:fail "` prefix; the
// WxError keeps the usual form either way, and a connect timeout is a TimeoutError.
function taskError(raw: any): WxError {
  const text = raw && raw.errMsg
  if (!isString(text) || !text || text.indexOf(':fail') >= 0) return toWxError(CONNECT, raw)
  return new (/\btime[ds]? ?out\b/i.test(text) ? TimeoutError : WxError)({
    api: CONNECT,
    errMsg: CONNECT + ':fail ' + text,
    errno: raw.errno,
    cause: raw,
  })
}

/** The default serializer: strings and ArrayBuffers only, anything else is a `TypeError`. */
function passThrough(value: unknown): string | ArrayBuffer {
  if (isString(value) || Object.prototype.toString.call(value) == '[object ArrayBuffer]') {
    return value as string | ArrayBuffer
  }
  return bad(SEND, 'data', 'a string or an ArrayBuffer', value)
}

function toJson(value: unknown): string {
  const text = JSON.stringify(value)
  return isString(text) ? text : bad(SEND, 'data', 'a value JSON can represent', value)
}

function fromJson(data: string | ArrayBuffer): unknown {
  return isString(data) ? JSON.parse(data) : data
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
  // The options, checked (the caller's object is never changed).
  needObject(API, options as unknown)
  if (!isString(options.url) || !/^wss?:\/\/./i.test(options.url)) {
    bad(API, 'options.url', 'a ws:// or wss:// URL', options.url)
  }
  check(API, options, OPTION_RULES)
  const reconnect = options.reconnect as Record<string, unknown> | boolean | undefined
  const policy: Required<SocketReconnectOptions> = {
    initial: 1000,
    factor: 1.3,
    max: 10000,
    jitter: 0.3,
    limit: reconnect === false ? 0 : Infinity,
    minUptime: 5000,
  }
  if (isObject(reconnect)) {
    check(API, reconnect, RECONNECT_RULES, 'options.reconnect.')
    for (const key in RECONNECT_RULES) {
      if (reconnect[key] !== undefined) (policy as Record<string, unknown>)[key] = reconnect[key]
    }
  }
  const bufferLimit = options.bufferLimit === undefined ? 1000 : options.bufferLimit
  const openTimeout = options.openTimeout || 10000
  const serialize = options.serializer || (options.json === true ? toJson : passThrough)
  const deserialize = (options.deserializer ||
    (options.json === true ? fromJson : (data: string | ArrayBuffer) => data)) as (
    data: string | ArrayBuffer,
  ) => In
  // What goes to wx.connectSocket.
  const wxOptions: Record<string, unknown> = {}
  for (const key in options) {
    const value = (options as unknown as Record<string, unknown>)[key]
    if (hasOwn(options, key) && !OWN_KEY.test(key) && value !== undefined) wxOptions[key] = value
  }

  let st: SocketState = 'idle'
  const states = new BehaviorSubject<SocketState>(st)
  // Messages `send()` holds until the socket opens, oldest first.
  let buffer: Message[] = []
  let seq = 0
  // The current session's number (0: none) and its state.
  let session = 0
  let sessions = 0
  let subject!: Subject<In>
  /** `connect()` was called: the last unsubscribe does not close. */
  let held = false
  /** Reconnect attempts since the last connection that stayed up `minUptime`. */
  let attempts = 0
  let online = true
  let onlineSub: Subscription | undefined
  let timer: any
  let connection: Connection | undefined
  /** A close was asked for while open: the session ends on `onClose`. */
  let stopping = false

  const setState = (next: SocketState) => {
    if (st != next) states.next((st = next))
  }

  // The running session, or a new one. A session that is closing is finished now: whoever
  // comes next wants a connection, not the end of the last one.
  const current = () => {
    if (stopping) finish(session)
    if (!session) {
      session = ++sessions
      subject = new Subject<In>()
      attempts = 0
      held = stopping = false
      online = true
    }
    return session
  }

  const begin = (s: number) => {
    if (onlineSub) return
    // Known while the session lasts, so a drop can decide at once whether to wait for the
    // network. Until getNetworkType answers, the device counts as online.
    onlineSub = isOnline$.subscribe((now) => {
      if (session != s || online == now) return
      online = now
      if (st != RECONNECTING) return
      clearTimeout(timer)
      if (now) open(s)
    })
    open(s)
  }

  const flush = () => {
    while (buffer.length && connection && st == OPEN) {
      connection.send(buffer.shift() as Message)
    }
  }

  const unwatch = () => {
    if (onlineSub) onlineSub.unsubscribe()
    onlineSub = undefined
  }

  // Close asked for (close() or the last unsubscribe): wait for the server while open,
  // otherwise end now.
  const stop = (code: number, reason?: string) => {
    clearTimeout(timer)
    if (stopping) return
    if (st == OPEN && connection) {
      stopping = true
      // Nothing reconnects from here: the network status is no longer needed.
      unwatch()
      setState('closing')
      connection.close(code, reason)
    } else finish(session)
  }

  const finish = (s: number, error?: unknown) => {
    if (session != s) return
    const ended = subject
    session = 0
    stopping = false
    clearTimeout(timer)
    unwatch()
    if (connection) connection.abandon()
    connection = undefined
    // State first: a retry() inside the error handler starts a new session, whose
    // 'connecting' must not be overwritten by this 'closed'.
    setState('closed')
    if (error) ended.error(error)
    else ended.complete()
  }

  // One connection attempt of session `s`: wx.connectSocket with every task listener attached
  // in the same tick. Since a task has no `off*`, a connection that was given up (`ended`)
  // ignores whatever its task still reports, except that it closes the task if it opens late
  // and frees its slot when the task is finally gone.
  const open = (s: number) => {
    setState('connecting')
    if (session != s || st != 'connecting') return
    let task: WechatMiniprogram.SocketTask | undefined
    let ended = false
    let release: (() => void) | undefined
    let openedAt = 0
    let deadline: any
    const c: Connection = {
      send: (message) => {
        const failed = (raw: unknown) => {
          if (c.d) return
          // Accepted once, so never dropped: back in the buffer, before every newer message.
          let at = buffer.length
          while (at && buffer[at - 1][0] > message[0]) at--
          buffer.splice(at, 0, message)
          if (live() && st == OPEN) {
            // The task refuses sends while we still think it open: it is dying. Do not wait
            // for its onClose to move on.
            c.abandon()
            drop(toWxError(SEND, raw), UNCLEAN)
          } else {
            // A newer connection may already be open (the failure came late): send it there.
            flush()
          }
        }
        try {
          ;(task as WechatMiniprogram.SocketTask).send({ data: message[1], fail: failed })
        } catch (error) {
          failed(error)
        }
      },
      close: (code, reason) => {
        if (ended) return
        closeTask(code, reason)
        later(() =>
          end(
            failure(CONNECT, 'timeout', 'no onClose after close()', undefined, TimeoutError),
            UNCLEAN,
          ),
        )
      },
      abandon: () => {
        if (ended) return
        ended = true
        closeTask(1000)
        // The slot stays taken until the task reports onClose (WeChat counts it until then),
        // but never longer than `openTimeout` (with no timeout at all, it is freed at once).
        if (release && task && openTimeout <= MAX_TIMER) later(freeSlot)
        else freeSlot()
      },
    }
    const live = () => session == s && connection == c
    const later = (fn: () => void) => {
      clearTimeout(deadline)
      if (openTimeout <= MAX_TIMER) deadline = setTimeout(fn, openTimeout)
    }
    const freeSlot = () => {
      if (release) release()
      release = undefined
    }
    const closeTask = (code: number, reason?: string) => {
      const close: WechatMiniprogram.SocketTaskCloseOption = { code, fail: noop }
      if (reason !== undefined) close.reason = reason
      try {
        if (task) task.close(close)
      } catch {
        // A task that cannot close is as good as closed.
      }
    }
    // The end of this connection, reported to the session.
    const drop = (error: WxError, kind: number) => {
      if (!live()) return
      connection = undefined
      if (stopping || kind == CLEAN) return finish(s)
      if (kind == FATAL) return finish(s, error)
      if (openedAt && Date.now() - openedAt >= policy.minUptime) attempts = 0
      if (attempts >= policy.limit) {
        return finish(
          s,
          policy.limit
            ? failure(
                CONNECT,
                'reconnect limit reached',
                policy.limit + ' attempts in a row failed; last: ' + error.errMsg,
                error,
              )
            : error,
        )
      }
      attempts++
      setState(RECONNECTING)
      if (session == s && st == RECONNECTING) {
        clearTimeout(timer)
        // Offline: no timer at all; the network watch starts the attempt when it is back.
        if (online) {
          timer = setTimeout(
            () => {
              if (session == s && st == RECONNECTING) open(s)
            },
            Math.min(backoffDelay(attempts, policy), MAX_TIMER),
          )
        }
      }
    }
    // Ends this connection with `error`; the task (if any) is closed and its slot freed.
    const end = (error: WxError, kind: number) => {
      clearTimeout(deadline)
      if (!ended) {
        ended = true
        closeTask(1000)
        freeSlot()
        drop(error, kind)
      }
      freeSlot()
    }
    const failed = (raw: unknown) => {
      const error = taskError(raw)
      if (/exceed|too many|max(imum)?\b|limit/i.test(error.errMsg)) end(tooManySockets(raw), FATAL)
      else
        end(
          error,
          /not supported|domain list|invalid url|permission/i.test(error.errMsg) ? FATAL : UNCLEAN,
        )
    }

    connection = c
    const host = getWx() as unknown as Record<string, unknown> | undefined
    if (!host || !isFunction(host.connectSocket)) return end(notSupported(CONNECT), FATAL)
    let used = 0
    for (let i = 0; i < slots.length; i++) if (slots[i] === host) used++
    if (used >= MAX_SOCKETS) return end(tooManySockets(), FATAL)
    slots.push(host)
    release = () => slots.splice(slots.indexOf(host), 1)
    const call = invoke(CONNECT, wxOptions)
    task = call.task as WechatMiniprogram.SocketTask | undefined
    if (task && isFunction(task.onOpen)) {
      task.onOpen(() => {
        // Given up while connecting: the task opened anyway, so close it now.
        if (ended) return closeTask(1000)
        clearTimeout(deadline)
        openedAt = Date.now()
        if (live()) {
          setState(OPEN)
          flush()
        }
      })
      task.onMessage((result) => {
        if (ended || !live()) return
        const target = subject
        let value: In
        try {
          value = deserialize(result.data)
        } catch (error) {
          return finish(
            s,
            error instanceof Error
              ? error
              : failure('SocketTask.onMessage', 'deserializer threw ' + describe(error), '', error),
          )
        }
        target.next(value)
      })
      task.onError(failed)
      task.onClose((result) => {
        clearTimeout(deadline)
        freeSlot()
        if (ended) return
        ended = true
        const code = result && isNumber(result.code) ? result.code : 1006
        drop(
          failure(
            CONNECT,
            'closed with code ' + code + (result && result.reason ? ': ' + result.reason : ''),
            '',
            result,
          ),
          code == 1000 ? CLEAN : UNCLEAN,
        )
      })
      later(() =>
        end(
          failure(
            CONNECT,
            'timeout',
            'not open after ' + openTimeout + ' ms',
            undefined,
            TimeoutError,
          ),
          UNCLEAN,
        ),
      )
    } else task = undefined
    call.then(() => {
      if (!task)
        end(failure(CONNECT, 'no SocketTask', 'base library 1.7.0 or later is needed'), FATAL)
    }, failed)
  }

  return {
    messages$: new Observable<In>((subscriber) => {
      const s = current()
      // Subscribe before connecting, so an error found at once (a sixth socket) reaches it.
      const inner = subject.subscribe(subscriber)
      begin(s)
      return () => {
        inner.unsubscribe()
        if (session == s && !subject.observed && !held) stop(1000)
      }
    }),
    state$: states.asObservable(),
    get state() {
      return st
    },
    get buffered() {
      return buffer.length
    },
    send(value: Out) {
      const message: Message = [++seq, passThrough(serialize(value))]
      if (connection && st == OPEN) return connection.send(message)
      if (buffer.length >= bufferLimit) {
        throw failure(
          SEND,
          'buffer full',
          bufferLimit + ' messages are waiting for the socket to open (bufferLimit)',
        )
      }
      buffer.push(message)
    },
    connect() {
      const s = current()
      held = true
      begin(s)
    },
    close(code = 1000, reason?: string) {
      if (!isNumber(code) || code % 1) {
        bad(CLOSE, 'code', 'an integer', code)
      }
      if (reason !== undefined && !isString(reason)) {
        bad(CLOSE, 'reason', 'a string', reason)
      }
      buffer = []
      if (!session) return
      held = false
      if (connection) connection.d = true
      stop(code, reason)
    },
  }
}
