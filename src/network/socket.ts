// createSocket: a WebSocket over wx.connectSocket that connects lazily, reconnects after
// unclean closes and buffers what is sent while it is not open. The overloads that type its
// messages live here; the state machine is socket-machine.ts.
import { socketConfig } from './socket-config'
import { SocketMachine } from './socket-machine'
import type { SocketOptions } from './socket-options'
import type { Socket } from './socket-types'

export type { Socket } from './socket-types'

/**
 * Makes a WebSocket over `wx.connectSocket` that connects lazily (first subscriber of
 * `messages$`, or `connect()`), reconnects after unclean closes with capped exponential
 * backoff (waiting while the device is offline or the app is hidden), and buffers `send()`
 * while not open. Options are those of `wx.connectSocket` plus `reconnect`, `bufferLimit`,
 * `openTimeout`, `json`, `serializer` and `deserializer`. Throws a `TypeError` for bad options.
 *
 * Messages are `string | ArrayBuffer` unless `json: true` or a `deserializer` says otherwise.
 * At most 5 sockets may be connected at once (WeChat's limit); a sixth one's `messages$`
 * errors with `WxError('connectSocket:fail too many sockets')` (code `ERR_TOO_MANY_TASKS`).
 *
 * @example
 * const socket = createSocket<ServerEvent, ClientEvent>({ url: 'wss://example.com/chat', json: true })
 * socket.messages$.subscribe((event) => console.log(event))
 * socket.send({ type: 'hello' })   // buffered until open
 * // onUnload: socket.close()
 */
export function createSocket<In = unknown, Out = unknown>(
  options: SocketOptions<In, Out> & { json: true },
): Socket<In, Out>
export function createSocket<In, Out = string | ArrayBuffer>(
  options: SocketOptions<In, Out> & { deserializer: (data: string | ArrayBuffer) => In },
): Socket<In, Out>
export function createSocket<Out>(
  options: SocketOptions<string | ArrayBuffer, Out> & {
    json?: false
    deserializer?: undefined
    serializer: (value: Out) => string | ArrayBuffer
  },
): Socket<string | ArrayBuffer, Out>
export function createSocket(
  options: SocketOptions<string | ArrayBuffer, string | ArrayBuffer> & {
    json?: false
    deserializer?: undefined
  },
): Socket<string | ArrayBuffer, string | ArrayBuffer>
export function createSocket(options: SocketOptions<unknown, unknown>): Socket<unknown, unknown>
export function createSocket<In, Out>(options: SocketOptions<In, Out>): Socket<In, Out> {
  const machine = new SocketMachine<In, Out>(socketConfig(options))
  return {
    messages$: machine.messages(),
    state$: machine.states.asObservable(),
    get state() {
      return machine.state
    },
    get buffered() {
      return machine.buffer.size
    },
    send: (value: Out) => machine.send(value),
    connect: () => machine.connect(),
    close: (code: number = 1000, reason?: string) => machine.close(code, reason),
  }
}
