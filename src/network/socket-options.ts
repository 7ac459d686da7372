/**
 * Where a socket made by `createSocket` is in its life:
 *
 * - `idle`: made, never connected;
 * - `connecting`: `wx.connectSocket` called, waiting for `onOpen`;
 * - `open`: connected; `send()` goes straight to the task;
 * - `reconnecting`: the connection dropped; waiting for the backoff timer (or for the network
 *   to come back);
 * - `closing`: `close()` (or the last unsubscribe) asked the server to close; waiting for
 *   `onClose`;
 * - `closed`: finished (a clean close, the last unsubscribe, or a failure). A new subscriber
 *   or `connect()` starts again from here, as from `idle`.
 */
export type SocketState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed'

/** How a socket made by `createSocket` reconnects after an unclean close or an error. */
export interface SocketReconnectOptions {
  /** Delay before the first reconnect attempt, in ms. @default 1000 */
  initial?: number
  /** Each further attempt waits this many times longer. @default 1.3 */
  factor?: number
  /** The longest delay between attempts, in ms. @default 10000 */
  max?: number
  /**
   * Randomness taken off each delay, as a fraction: a delay `d` becomes a random value in
   * `[d * (1 - jitter), d]`, so clients that lost the same server do not return together.
   * @default 0.3
   */
  jitter?: number
  /**
   * Attempts in a row after which `messages$` errors with a `WxError`
   * (`connectSocket:fail reconnect limit reached`). `0` never reconnects. Only attempts the
   * backoff timer starts count: one started because the network came back or the app came to
   * the foreground does not.
   * @default Infinity
   */
  limit?: number
  /**
   * A connection that stayed open at least this long (ms) resets the attempt counter, so the
   * next drop starts again from `initial`; shorter ones keep counting towards `limit`.
   * @default 5000
   */
  minUptime?: number
}

/** Options of `createSocket`: those of `wx.connectSocket` plus the socket's own. */
export interface SocketOptions<In = string | ArrayBuffer, Out = string | ArrayBuffer> extends Omit<
  WechatMiniprogram.ConnectSocketOption,
  'success' | 'fail' | 'complete'
> {
  /**
   * Reconnect after an unclean close (any code but 1000) or an error: `true` for the
   * defaults, `false` never, or the timing. Attempts wait while the device is offline
   * (`isOnline$`) or the app is in the background (`wx.onAppHide`), and start at once when
   * both are back.
   * @default true
   */
  reconnect?: boolean | SocketReconnectOptions
  /**
   * Messages `send()` may hold while the socket is not open. One more throws a `WxError`
   * (`SocketTask.send:fail buffer full`).
   * @default 1000
   */
  bufferLimit?: number
  /**
   * How long (ms) a connection may take to open; past it the attempt fails with a
   * `TimeoutError` (and reconnects, if allowed). The same bound applies to the close
   * handshake after `close()`, and to how long a given-up task may keep its place in WeChat's
   * count of 5 while its `onClose` does not come. `Infinity` leaves it to wx's own `timeout`.
   * @default 10000
   */
  openTimeout?: number
  /**
   * Send values as `JSON.stringify(value)` and parse each text message with `JSON.parse`
   * (binary messages pass through). Ignored where `serializer`/`deserializer` are given.
   * @default false
   */
  json?: boolean
  /** Turns a value given to `send()` into what the task sends. @default strings and ArrayBuffers as they are */
  serializer?: (value: Out) => string | ArrayBuffer
  /** Turns each received message into what `messages$` emits. @default the data as it is */
  deserializer?: (data: string | ArrayBuffer) => In
}
