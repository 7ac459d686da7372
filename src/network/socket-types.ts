import type { Observable } from 'rxjs'
import type { SocketState } from './socket-options'

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
   * `connectSocket:fail too many sockets` (code `ERR_TOO_MANY_TASKS`) for a sixth socket,
   * wx's own error when `close()` fails, or the deserializer's error.
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
   * a string or ArrayBuffer, a `WxError` (`SocketTask.send:fail buffer full`) when
   * `bufferLimit` messages are already waiting, and a `WxError` (`SocketTask.send:fail socket
   * closed`) after `close()` until a subscribe or `connect()` starts the socket again.
   * Sending does not connect by itself.
   */
  send(value: Out): void
  /** Connects now, without a subscriber, and stays connected until `close()`. */
  connect(): void
  /**
   * Closes cleanly: `messages$` completes (after the server confirms, or at once when not
   * open) and no reconnect follows; the buffer is emptied and `send()` throws until the socket
   * is started again. A later subscribe or `connect()` connects again. If wx refuses the close
   * (`SocketTask.close` fails), `messages$` errors with wx's error at once.
   * @param code the close code: 1000 or 3000–4999 (what wx accepts), else a `TypeError`
   * @default 1000
   * @param reason why, at most 123 bytes of UTF-8
   */
  close(code?: number, reason?: string): void
}
