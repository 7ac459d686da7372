import { argumentError, isPlainObject } from '../core/describe'

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
   * (`connectSocket:fail reconnect limit reached`). `0` never reconnects.
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
   * (`isOnline$`) and start at once when it is back.
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
   * handshake after `close()`. `Infinity` leaves it to wx's own `timeout`.
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

/** The reconnect policy with every default filled in. */
export interface ReconnectPolicy {
  initial: number
  factor: number
  max: number
  jitter: number
  limit: number
  minUptime: number
}

/** `createSocket` options checked and with defaults, split into wx's and the socket's own. */
export interface NormalizedSocketOptions<In, Out> {
  /** What goes to `wx.connectSocket` (a copy; callbacks removed). */
  connect: Record<string, unknown>
  reconnect: ReconnectPolicy
  bufferLimit: number
  openTimeout: number
  serialize: (value: Out) => string | ArrayBuffer
  deserialize: (data: string | ArrayBuffer) => In
}

const OWN_KEYS = [
  'reconnect',
  'bufferLimit',
  'openTimeout',
  'json',
  'serializer',
  'deserializer',
  'success',
  'fail',
  'complete',
]

const API = 'createSocket'

function isBinary(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]'
}

/** The default serializer: strings and ArrayBuffers only, anything else is a `TypeError`. */
export function passThrough(value: unknown): string | ArrayBuffer {
  if (typeof value === 'string' || isBinary(value)) return value
  throw argumentError('SocketTask.send', 'data', 'a string or an ArrayBuffer', value)
}

function jsonSerialize(value: unknown): string {
  const text = JSON.stringify(value)
  if (typeof text !== 'string') {
    throw argumentError('SocketTask.send', 'data', 'a value JSON can represent', value)
  }
  return text
}

function jsonDeserialize(data: string | ArrayBuffer): unknown {
  return typeof data === 'string' ? JSON.parse(data) : data
}

// `Infinity` is accepted only where it means "no bound" (limits, openTimeout).
function number(
  field: string,
  value: unknown,
  fallback: number,
  min: number,
  kind: 'number' | 'integer' | 'bound' = 'number',
): number {
  if (value === undefined) return fallback
  const ok =
    typeof value === 'number' &&
    value >= min &&
    ((kind === 'bound' && value === Infinity) ||
      (isFinite(value) && (kind === 'number' || Math.floor(value) === value)))
  if (!ok) {
    const what = kind === 'number' ? 'a finite number' : 'an integer or Infinity'
    throw argumentError(API, field, what + ' >= ' + min, value)
  }
  return value as number
}

function reconnectPolicy(value: unknown): ReconnectPolicy {
  if (value !== undefined && typeof value !== 'boolean' && !isPlainObject(value)) {
    throw argumentError(API, 'options.reconnect', 'a boolean or an object', value)
  }
  const given = (isPlainObject(value) ? value : {}) as Record<string, unknown>
  const policy: ReconnectPolicy = {
    initial: number('options.reconnect.initial', given.initial, 1000, 0),
    factor: number('options.reconnect.factor', given.factor, 1.3, 1),
    max: number('options.reconnect.max', given.max, 10000, 0),
    jitter: number('options.reconnect.jitter', given.jitter, 0.3, 0),
    limit: number('options.reconnect.limit', given.limit, Infinity, 0, 'bound'),
    minUptime: number('options.reconnect.minUptime', given.minUptime, 5000, 0),
  }
  if (policy.jitter > 1) {
    throw argumentError(API, 'options.reconnect.jitter', 'a number from 0 to 1', given.jitter)
  }
  if (value === false) policy.limit = 0
  return policy
}

/**
 * Checks `createSocket` options (a `TypeError` naming the field for anything wrong) and fills
 * in the defaults. The caller's object is never changed.
 */
export function normalizeSocketOptions<In, Out>(
  options: unknown,
): NormalizedSocketOptions<In, Out> {
  if (!isPlainObject(options)) throw argumentError(API, 'options', 'an object', options)
  const url = options.url
  if (typeof url !== 'string' || !/^wss?:\/\/./i.test(url)) {
    throw argumentError(API, 'options.url', 'a ws:// or wss:// URL', url)
  }
  for (const field of ['serializer', 'deserializer']) {
    const fn = options[field]
    if (fn !== undefined && typeof fn !== 'function') {
      throw argumentError(API, 'options.' + field, 'a function', fn)
    }
  }
  const connect: Record<string, unknown> = {}
  for (const key in options) {
    if (
      Object.prototype.hasOwnProperty.call(options, key) &&
      OWN_KEYS.indexOf(key) < 0 &&
      options[key] !== undefined
    ) {
      connect[key] = options[key]
    }
  }
  const json = options.json === true
  return {
    connect,
    reconnect: reconnectPolicy(options.reconnect),
    bufferLimit: number('options.bufferLimit', options.bufferLimit, 1000, 0, 'bound'),
    openTimeout: number('options.openTimeout', options.openTimeout, 10000, 1, 'bound'),
    serialize:
      (options.serializer as NormalizedSocketOptions<In, Out>['serialize']) ||
      (json ? jsonSerialize : passThrough),
    deserialize:
      (options.deserializer as NormalizedSocketOptions<In, Out>['deserialize']) ||
      ((json ? jsonDeserialize : (data: string | ArrayBuffer) => data) as (
        data: string | ArrayBuffer,
      ) => In),
  }
}
