// The options of createSocket, checked once and turned into the record the socket runs on:
// the reconnect policy with its defaults, the (de)serializers, and what goes to wx.
import { argumentError } from '../core/describe'
import { assertObject, check, checkValue, hasOwn, type Rules } from '../core/check'
import { isPlainObject } from '../core/guards'
import type { SocketOptions, SocketReconnectOptions } from './socket-options'

/** The name every socket error message starts with. */
export const CREATE_SOCKET = 'createSocket'
/** The API named in errors of `send()`. */
export const SOCKET_SEND = 'SocketTask.send'
/** The API named in errors of `close()`. */
export const SOCKET_CLOSE = 'SocketTask.close'

/** What a socket runs on, from its options. */
export interface SocketConfig<In, Out> {
  /** How reconnects are timed and bounded. */
  policy: Required<SocketReconnectOptions>
  /** Messages `send()` may hold while not open. */
  bufferLimit: number
  /** How long (ms) an attempt may take to open, and a close handshake to finish. */
  openTimeout: number
  /** Turns a value of `send()` into a string or ArrayBuffer (may throw a `TypeError`). */
  serialize: (value: Out) => string | ArrayBuffer
  /** Turns a received message into what `messages$` emits. */
  deserialize: (data: string | ArrayBuffer) => In
  /** The options given to `wx.connectSocket` (without callbacks). */
  wxOptions: Record<string, unknown>
}

const FINITE_AT_LEAST_0 = { type: 'number', min: 0 } as const
const WHOLE_OR_INFINITY = { type: 'number', min: 0, integer: true, allowInfinity: true } as const

const OPTION_RULES: Rules = {
  serializer: { type: 'function' },
  deserializer: { type: 'function' },
  reconnect: {
    type: 'custom',
    test: (value) => typeof value === 'boolean' || isPlainObject(value),
    expected: 'a boolean or an object',
  },
  // `Infinity` is accepted only where it means "no bound".
  bufferLimit: WHOLE_OR_INFINITY,
  openTimeout: { type: 'number', min: 1, integer: true, allowInfinity: true },
}

const RECONNECT_RULES: Rules = {
  initial: FINITE_AT_LEAST_0,
  factor: { type: 'number', min: 1 },
  max: FINITE_AT_LEAST_0,
  jitter: {
    type: 'custom',
    test: (value) => typeof value === 'number' && value >= 0 && value <= 1,
    expected: 'a number from 0 to 1',
  },
  limit: WHOLE_OR_INFINITY,
  minUptime: FINITE_AT_LEAST_0,
}

// The options that are the socket's own, not wx.connectSocket's.
const OWN_OPTIONS = [
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

/** The default serializer: strings and ArrayBuffers only, anything else is a `TypeError`. */
export function passThrough(value: unknown): string | ArrayBuffer {
  if (
    typeof value === 'string' ||
    Object.prototype.toString.call(value) == '[object ArrayBuffer]'
  ) {
    return value as string | ArrayBuffer
  }
  throw argumentError(SOCKET_SEND, 'data', 'a string or an ArrayBuffer', value)
}

function toJson(value: unknown): string {
  const text = JSON.stringify(value)
  if (typeof text !== 'string') {
    throw argumentError(SOCKET_SEND, 'data', 'a value JSON can represent', value)
  }
  return text
}

function fromJson(data: string | ArrayBuffer): unknown {
  return typeof data === 'string' ? JSON.parse(data) : data
}

function same<T>(data: T): T {
  return data
}

function reconnectPolicy(reconnect: unknown): Required<SocketReconnectOptions> {
  const policy: Required<SocketReconnectOptions> = {
    initial: 1000,
    factor: 1.3,
    max: 10000,
    jitter: 0.3,
    limit: reconnect === false ? 0 : Infinity,
    minUptime: 5000,
  }
  if (isPlainObject(reconnect)) {
    check(CREATE_SOCKET, reconnect, RECONNECT_RULES, 'options.reconnect.')
    for (const key in RECONNECT_RULES) {
      if (reconnect[key] !== undefined) (policy as Record<string, unknown>)[key] = reconnect[key]
    }
  }
  return policy
}

function connectOptions(options: Record<string, unknown>): Record<string, unknown> {
  const wxOptions: Record<string, unknown> = {}
  for (const key in options) {
    if (hasOwn(options, key) && OWN_OPTIONS.indexOf(key) < 0 && options[key] !== undefined) {
      wxOptions[key] = options[key]
    }
  }
  return wxOptions
}

/**
 * Checks the options of `createSocket` (a `TypeError` naming the field for a bad one) and
 * returns the socket's configuration. The caller's object is never changed.
 */
export function socketConfig<In, Out>(options: SocketOptions<In, Out>): SocketConfig<In, Out> {
  assertObject(CREATE_SOCKET, options)
  checkValue(CREATE_SOCKET, 'options.url', options.url, {
    type: 'custom',
    test: (url) => typeof url === 'string' && /^wss?:\/\/./i.test(url),
    expected: 'a ws:// or wss:// URL',
  })
  check(CREATE_SOCKET, options, OPTION_RULES)
  const json = options.json === true
  return {
    policy: reconnectPolicy(options.reconnect),
    bufferLimit: options.bufferLimit === undefined ? 1000 : options.bufferLimit,
    openTimeout: options.openTimeout || 10000,
    serialize: options.serializer || (json ? toJson : passThrough),
    deserialize: (options.deserializer || (json ? fromJson : same)) as (
      data: string | ArrayBuffer,
    ) => In,
    wxOptions: connectOptions(options as unknown as Record<string, unknown>),
  }
}
