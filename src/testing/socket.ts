// The WebSocket part of the host: connectSocket over the `ws` package behind a SocketTask,
// the legacy global socket (wx.sendSocketMessage & co. act on the last socket created, as
// WeChat documents), WeChat's limit of 5 sockets, and what a phone losing its network does.
import WebSocket from 'ws'
import type { HostContext, HostNetworkStatus, Settle } from './context'
import { bufferOf, isArrayBuffer, outgoingHeaders, toArrayBuffer } from './network-encoding'
import { TaskEvent } from './network-task'
import { parameterError } from './params'

/** Options of the socket part of the host (`createWxHost({ socket })`). */
export interface SocketHostOptions {
  /**
   * The most sockets connecting or open at once; the next one fails with an `onError` of
   * `{ errMsg: 'exceed max task count' }`, as WeChat does.
   * @default 5
   */
  maxSockets?: number
  /**
   * The connect timeout of a socket that passes none, in ms; when it passes, the task gets
   * `onError({ errMsg: 'Timed out connecting to server.' })`.
   * @default 60000
   */
  timeout?: number
  /**
   * How a socket over `maxSockets` is refused: `'onError'` (the call succeeds, then the task
   * gets `onError({ errMsg: 'exceed max task count' })`), or `'fail'` (`connectSocket`'s
   * `fail` gets `connectSocket:fail exceed max cocurrent count`, WeChat's own spelling). Real
   * clients do one or the other.
   * @default 'onError'
   */
  refuseThrough?: 'onError' | 'fail'
  /**
   * When set, the `onClose` that follows an `onError` (a dropped or refused connection)
   * arrives this many ms later, as on a phone, and the socket keeps counting against
   * `maxSockets` until then (WeChat counts a task until its `onClose`). `0` is one macrotask
   * late. Unset: `onClose` follows in the same tick.
   * @default undefined
   */
  closeDelay?: number
}

/** Test controls of sockets (`host.socket`). */
export interface SocketHostControls {
  /** Sockets connecting, open or closing right now (what the limit counts). */
  readonly openCount: number
  /** SocketTasks created since start (refused ones included). */
  readonly created: number
  /** The limit of sockets at once; assignable. */
  maxSockets: number
  /** How a socket over the limit is refused (see `SocketHostOptions`); assignable. */
  refuseThrough: 'onError' | 'fail'
  /** Delay of `onClose` after `onError` (see `SocketHostOptions`); assignable. */
  closeDelay: number | undefined
  /**
   * Drops every connection from the client side, as a phone losing its radio would: each
   * socket gets `onError({ errMsg })` and then `onClose({ code: 1006, reason: 'abnormal closure' })`.
   */
  dropAll(errMsg?: string): void
}

type SocketState = 'connecting' | 'open' | 'closing' | 'closed'

// What WeChat reports as `reason` when the peer gave none.
const CLOSE_REASONS: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1002: 'protocol error',
  1003: 'unsupported data',
  1005: 'no status rcvd',
  1006: 'abnormal closure',
  1007: 'invalid frame payload data',
  1008: 'policy violation',
  1009: 'message too big',
  1010: 'mandatory ext.',
  1011: 'internal server error',
  1015: 'tls handshake',
}

interface SocketShared {
  ctx: HostContext
  live: Set<HostSocket>
  latest: () => HostSocket | undefined
  defaultTimeout: number
  closeDelay: () => number | undefined
}

/** One SocketTask and the `ws` connection behind it. */
class HostSocket {
  state: SocketState = 'connecting'
  readonly task: WechatMiniprogram.SocketTask
  private ws: WebSocket | undefined
  private header: Record<string, string> = {}
  private lastError: Error | undefined
  private closeRequest: { code: number; reason: string } | undefined
  private stopTimer: (() => void) | undefined
  private untrack: (() => void) | undefined
  private readonly events = {
    Open: new TaskEvent<object>(),
    Message: new TaskEvent<object>(),
    Error: new TaskEvent<object>(),
    Close: new TaskEvent<object>(),
  }

  constructor(private readonly shared: SocketShared) {
    const { ctx } = shared
    const on = (name: keyof HostSocket['events']) => (listener: unknown) => {
      ctx.log('SocketTask.on' + name, [listener])
      this.events[name].on(listener)
    }
    this.task = {
      send: (option) => {
        ctx.log('SocketTask.send', [option])
        this.send(option ?? {}, ctx.settle('sendSocketMessage', option))
      },
      close: (option) => {
        ctx.log('SocketTask.close', [option])
        this.close(option ?? {}, ctx.settle('closeSocket', option))
      },
      onOpen: on('Open'),
      onMessage: on('Message'),
      onError: on('Error'),
      onClose: on('Close'),
    } as WechatMiniprogram.SocketTask
  }

  // Task listeners first, then the legacy wx.onSocketX listeners if this is the last socket.
  private emit(name: keyof HostSocket['events'], payload: object): void {
    this.events[name].emit(payload)
    if (this.shared.latest() === this) this.shared.ctx.emit('Socket' + name, payload)
  }

  /** Fails a socket that never reached the network, after connectSocket's own callback. */
  refuse(errMsg: string): void {
    this.state = 'closed'
    const { ctx } = this.shared
    ctx.later(() => ctx.later(() => this.emit('Error', { errMsg })))
  }

  connect(url: string, opts: Record<string, any>): void {
    const { ctx, live } = this.shared
    let ws: WebSocket
    try {
      const protocols = Array.isArray(opts.protocols) ? opts.protocols.map(String) : []
      ws = new WebSocket(url, protocols, {
        headers: outgoingHeaders(opts.header),
        perMessageDeflate: opts.perMessageDeflate === true,
      })
    } catch (error) {
      this.refuse(error instanceof Error ? error.message : String(error))
      return
    }
    this.ws = ws
    live.add(this)
    this.untrack = ctx.track({ close: () => this.end() })
    const timeout =
      typeof opts.timeout === 'number' && opts.timeout > 0
        ? opts.timeout
        : this.shared.defaultTimeout
    this.stopTimer = ctx.setTimer(() => {
      if (this.state !== 'connecting') return
      this.end()
      this.emit('Error', { errMsg: 'Timed out connecting to server.' })
    }, timeout)
    ws.on('upgrade', (res) => {
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) this.header[name] = Array.isArray(value) ? value.join(',') : value
      }
    })
    ws.on('open', () => {
      if (this.state !== 'connecting') return
      this.stopTimer?.()
      this.state = 'open'
      this.emit('Open', { header: { ...this.header }, profile: {} })
    })
    ws.on('message', (data, isBinary) => {
      if (this.state !== 'open' && this.state !== 'closing') return
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
      this.emit('Message', { data: isBinary ? toArrayBuffer(bytes) : bytes.toString('utf8') })
    })
    ws.on('error', (error) => {
      this.lastError = error
    })
    ws.on('close', (code, reasonBytes) => this.onWsClose(code, reasonBytes.toString('utf8')))
  }

  private onWsClose(code: number, reason: string): void {
    if (this.state === 'closed') return
    const requested = this.closeRequest
    const wasOpen = this.state !== 'connecting'
    if (!requested && code === 1006) {
      this.errorThenClose(!wasOpen && this.lastError ? this.lastError.message : 'abnormal closure')
      return
    }
    this.end()
    if (requested) {
      // The app asked for the close: report its code unless the peer answered with its own.
      const peerCode = code === 1005 || code === 1006 ? requested.code : code
      const text = reason || requested.reason
      this.emit('Close', { code: peerCode, reason: text || CLOSE_REASONS[peerCode] || '' })
    } else {
      this.emit('Close', { code, reason: reason || CLOSE_REASONS[code] || '' })
    }
  }

  /**
   * `onError({ errMsg })`, then `onClose` 1006: at once, or `closeDelay` ms later with the
   * socket still counted against the limit until then.
   */
  private errorThenClose(errMsg: string): void {
    const delay = this.shared.closeDelay()
    this.end({ keepSlot: delay !== undefined })
    this.emit('Error', { errMsg })
    const close = () => {
      this.shared.live.delete(this)
      this.emit('Close', { code: 1006, reason: 'abnormal closure' })
    }
    if (delay === undefined) close()
    else this.untrack = this.shared.ctx.setTimer(close, delay)
  }

  /**
   * Releases the connection without any event (host closing, timeouts, drops). With
   * `keepSlot`, the socket still counts against the limit (its `onClose` is on its way).
   */
  private end({ keepSlot = false }: { keepSlot?: boolean } = {}): void {
    this.state = 'closed'
    this.stopTimer?.()
    this.untrack?.()
    this.untrack = undefined
    if (!keepSlot) this.shared.live.delete(this)
    if (this.ws) {
      this.ws.removeAllListeners('close')
      this.ws.removeAllListeners('message')
      this.ws.on('error', () => undefined)
      if (this.ws.readyState !== WebSocket.CLOSED) this.ws.terminate()
    }
  }

  /** Drops the connection abnormally: `onError({ errMsg })`, then `onClose` 1006. */
  drop(errMsg: string): void {
    if (this.state === 'closed') return
    this.errorThenClose(errMsg)
  }

  send(option: Record<string, any>, settle: Settle): void {
    const data = option.data
    if (this.state !== 'open' || !this.ws) {
      settle.fail('WebSocket is not connected')
      return
    }
    const binary = isArrayBuffer(data) || ArrayBuffer.isView(data)
    if (!binary && typeof data !== 'string') {
      settle.fail(parameterError('data', 'String/ArrayBuffer', data).reason)
      return
    }
    const payload = binary ? Buffer.from(bufferOf(data)) : (data as string)
    this.ws.send(payload, { binary }, (error) => {
      if (error) settle.fail(error.message)
      else settle.ok()
    })
  }

  close(option: Record<string, any>, settle: Settle): void {
    const code = option.code === undefined ? 1000 : option.code
    const reason = option.reason === undefined ? '' : String(option.reason)
    if (typeof code !== 'number' || (code !== 1000 && (code < 3000 || code > 4999))) {
      settle.fail('The code must be either 1000, or between 3000 and 4999')
      return
    }
    if (Buffer.byteLength(reason) > 123) {
      settle.fail('The message must not be greater than 123 bytes')
      return
    }
    if (this.state === 'closed' || !this.ws) {
      settle.fail('WebSocket is not connected')
      return
    }
    settle.ok()
    if (this.state === 'closing') return
    this.closeRequest = { code, reason }
    if (this.state === 'connecting') {
      // Closed before it opened: no handshake to finish, the app hears only its own close.
      this.end()
      this.emit('Close', { code, reason: reason || CLOSE_REASONS[code] || '' })
      return
    }
    this.state = 'closing'
    this.ws.close(code, reason)
  }
}

/** Adds connectSocket, the legacy socket API and its events to `ctx.wx`; returns `host.socket`. */
export function installSocket(ctx: HostContext, options: SocketHostOptions): SocketHostControls {
  const live = new Set<HostSocket>()
  let latest: HostSocket | undefined
  let created = 0
  let maxSockets = options.maxSockets ?? 5
  let refuseThrough = options.refuseThrough ?? 'onError'
  let closeDelay = options.closeDelay
  const shared: SocketShared = {
    ctx,
    live,
    latest: () => latest,
    defaultTimeout: options.timeout ?? 60000,
    closeDelay: () => closeDelay,
  }

  ctx.onHost('network', (status) => {
    if ((status as HostNetworkStatus).isConnected) return
    for (const socket of [...live]) socket.drop('network is down')
  })

  ctx.defineAsync(
    'connectSocket',
    (opts, settle) => {
      const socket = new HostSocket(shared)
      created += 1
      if (typeof opts.url !== 'string') {
        socket.state = 'closed'
        settle.fail(parameterError('url', 'String', opts.url).reason)
        return socket.task
      }
      if (live.size >= maxSockets && refuseThrough === 'fail' && ctx.network.isConnected) {
        socket.state = 'closed'
        settle.fail('exceed max cocurrent count')
        return socket.task
      }
      latest = socket
      settle.ok({ socketTaskId: created })
      if (!ctx.network.isConnected) socket.refuse('network is down')
      else if (live.size >= maxSockets) socket.refuse('exceed max task count')
      else if (!/^wss?:\/\//i.test(opts.url))
        socket.refuse('invalid url ' + JSON.stringify(opts.url))
      else socket.connect(opts.url, opts)
      return socket.task
    },
    { promise: false },
  )

  ctx.defineAsync('sendSocketMessage', (opts, settle) => {
    if (latest) latest.send(opts, settle)
    else settle.fail('WebSocket is not connected')
  })
  ctx.defineAsync('closeSocket', (opts, settle) => {
    if (latest) latest.close(opts, settle)
    else settle.fail('WebSocket is not connected')
  })
  for (const event of ['SocketOpen', 'SocketError', 'SocketMessage', 'SocketClose']) {
    ctx.defineListener(event, false)
  }

  return {
    get openCount() {
      return live.size
    },
    get created() {
      return created
    },
    get maxSockets() {
      return maxSockets
    },
    set maxSockets(value: number) {
      maxSockets = value
    },
    get refuseThrough() {
      return refuseThrough
    },
    set refuseThrough(value: 'onError' | 'fail') {
      refuseThrough = value
    },
    get closeDelay() {
      return closeDelay
    },
    set closeDelay(value: number | undefined) {
      closeDelay = value
    },
    dropAll(errMsg = 'abnormal closure') {
      for (const socket of [...live]) socket.drop(errMsg)
    },
  }
}
