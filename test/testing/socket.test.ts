// connectSocket and the legacy socket API on the host against a real `ws` server on
// 127.0.0.1: events, send/close forms, the 5-socket limit, offline, timeouts.
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { WebSocket as ServerSocket } from 'ws'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { startWsServer, type TestWsServer } from '../helpers/servers'
import { call, run, until } from './wx-call'

let server: TestWsServer
let host: WxHost
const serverSide: ServerSocket[] = []
const serverClosed: { code: number; url: string }[] = []
const received: { url: string; data: string | Buffer }[] = []

const fakeTimers = () =>
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })

beforeAll(async () => {
  server = await startWsServer((socket, req) => {
    const url = req.url ?? ''
    serverSide.push(socket)
    socket.on('close', (code) => serverClosed.push({ code, url }))
    socket.on('message', (data, isBinary) => {
      const payload = isBinary ? (data as Buffer) : data.toString()
      received.push({ url, data: payload })
      if (url.startsWith('/echo')) socket.send(data, { binary: isBinary })
      if (String(payload) === 'close-me') socket.close(4000, 'done')
      if (String(payload) === 'kill-me') socket.terminate()
    })
    if (url.startsWith('/hello')) socket.send('hello ' + (req.headers['x-token'] ?? ''))
  })
  server.wss.options.handleProtocols = (protocols) => (protocols.has('chat') ? 'chat' : false)
})

afterAll(async () => {
  await server.close()
})

beforeEach(() => {
  host = createWxHost()
  serverSide.length = 0
  serverClosed.length = 0
  received.length = 0
})

afterEach(async () => {
  jest.useRealTimers()
  await host.close()
})

/** A SocketTask with every event recorded in order. */
function connect(options: Record<string, unknown>) {
  const log: [string, any][] = []
  const { task, done } = call(host.wx.connectSocket, options)
  task.onOpen((res: unknown) => log.push(['open', res]))
  task.onMessage((res: unknown) => log.push(['message', res]))
  task.onError((res: unknown) => log.push(['error', res]))
  task.onClose((res: unknown) => log.push(['close', res]))
  const has = (kind: string, n = 1) => log.filter(([k]) => k === kind).length >= n
  return { task, done, log, has }
}

describe('wx.connectSocket', () => {
  it('opens, echoes text and binary, and closes cleanly; nothing fires inside the call', async () => {
    const s = connect({ url: server.url + '/echo' })
    const synchronous = s.log.length
    const out = await s.done
    expect(synchronous).toBe(0)
    expect(out.res).toMatchObject({ errMsg: 'connectSocket:ok' })
    await until(() => s.has('open'), 'open')
    expect(s.log[0][1].header).toMatchObject({ upgrade: 'websocket' })

    const sent = await run(s.task.send, { data: 'ping' })
    expect(sent.res).toEqual({ errMsg: 'sendSocketMessage:ok' })
    const bytes = new Uint8Array([9, 8, 7]).buffer
    await run(s.task.send, { data: bytes })
    await until(() => s.has('message', 2), 'two echoes')
    const messages = s.log.filter(([k]) => k === 'message').map(([, r]) => r.data)
    expect(messages[0]).toBe('ping')
    expect(messages[1]).toBeInstanceOf(ArrayBuffer)
    expect([...new Uint8Array(messages[1])]).toEqual([9, 8, 7])
    expect(received.map((r) => r.data)).toEqual(['ping', Buffer.from([9, 8, 7])])

    const closed = await run(s.task.close, { code: 1000, reason: 'bye' })
    expect(closed.res).toEqual({ errMsg: 'closeSocket:ok' })
    await until(() => s.has('close'), 'close')
    expect(s.log.at(-1)).toEqual(['close', { code: 1000, reason: 'bye' }])
    expect(s.has('error')).toBe(false)
    await until(() => serverClosed.length === 1, 'the server to see the close')
    expect(serverClosed[0].code).toBe(1000)
    expect(host.socket.openCount).toBe(0)
  })

  it('passes header and protocols through to the server', async () => {
    const s = connect({
      url: server.url + '/hello',
      header: { 'X-Token': 'abc' },
      protocols: ['chat'],
    })
    await until(() => s.has('message'), 'the greeting')
    expect(s.log[0][1].header['sec-websocket-protocol']).toBe('chat')
    expect(s.log[1]).toEqual(['message', { data: 'hello abc' }])
  })

  it('fails send before open, a bad close code, and send of an object', async () => {
    const s = connect({ url: server.url + '/echo' })
    const early = await run(s.task.send, { data: 'too soon' })
    expect(early.res).toEqual({ errMsg: 'sendSocketMessage:fail WebSocket is not connected' })
    await until(() => s.has('open'), 'open')
    const badCode = await run(s.task.close, { code: 1001 })
    expect(badCode.res.errMsg).toBe(
      'closeSocket:fail The code must be either 1000, or between 3000 and 4999',
    )
    const badData = await run(s.task.send, { data: { a: 1 } })
    expect(badData.res.errMsg).toBe(
      'sendSocketMessage:fail parameter error: parameter.data should be String/ArrayBuffer instead of Object;',
    )
  })

  it('reports a clean close by the server with its code and reason', async () => {
    const s = connect({ url: server.url + '/echo' })
    await until(() => s.has('open'), 'open')
    s.task.send({ data: 'close-me' })
    await until(() => s.has('close'), 'close')
    expect(s.log.at(-1)).toEqual(['close', { code: 4000, reason: 'done' }])
    expect(s.has('error')).toBe(false)
  })

  it('reports a dropped connection as an error, then close 1006', async () => {
    const s = connect({ url: server.url + '/echo' })
    await until(() => s.has('open'), 'open')
    s.task.send({ data: 'kill-me' })
    await until(() => s.has('close'), 'close')
    expect(s.log.slice(-2)).toEqual([
      ['error', { errMsg: 'abnormal closure' }],
      ['close', { code: 1006, reason: 'abnormal closure' }],
    ])
  })

  it('closing before the socket opens gives only a close, never an open', async () => {
    const s = connect({ url: server.url + '/echo' })
    const out = await run(s.task.close, { code: 3001, reason: 'changed my mind' })
    expect(out.res.errMsg).toBe('closeSocket:ok')
    await until(() => s.has('close'), 'close')
    expect(s.log).toEqual([['close', { code: 3001, reason: 'changed my mind' }]])
  })

  it('fails a refused connection with an error and close 1006', async () => {
    const probe = await startWsServer()
    const url = probe.url
    await probe.close()
    const s = connect({ url })
    await until(() => s.has('close'), 'close')
    expect(s.log.map(([k]) => k)).toEqual(['error', 'close'])
    expect(s.log[0][1].errMsg).toMatch(/ECONNREFUSED/)
    expect(s.log[1][1]).toEqual({ code: 1006, reason: 'abnormal closure' })
  })

  it('fails a handshake that never completes after the timeout', async () => {
    const silent: Socket[] = []
    const tcp: Server = createServer((socket) => silent.push(socket))
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve))
    const { port } = tcp.address() as AddressInfo
    try {
      fakeTimers()
      const s = connect({ url: 'ws://127.0.0.1:' + port, timeout: 3000 })
      await until(() => silent.length === 1, 'the TCP connection')
      jest.advanceTimersByTime(3000)
      await until(() => s.has('error'), 'the timeout')
      expect(s.log).toEqual([['error', { errMsg: 'Timed out connecting to server.' }]])
      expect(host.socket.openCount).toBe(0)
    } finally {
      for (const socket of silent) socket.destroy()
      await new Promise((resolve) => tcp.close(resolve))
    }
  })

  it('fails a URL that is not ws(s) through onError, and a missing url through fail', async () => {
    const s = connect({ url: 'http://127.0.0.1/' })
    expect((await s.done).ok).toBe(true)
    await until(() => s.has('error'), 'error')
    expect(s.log).toEqual([['error', { errMsg: 'invalid url "http://127.0.0.1/"' }]])
    const missing = await run(host.wx.connectSocket, {})
    expect(missing.res.errMsg).toBe(
      'connectSocket:fail parameter error: parameter.url should be String instead of Undefined;',
    )
  })
})

describe('the 5-socket limit', () => {
  it('fails the sixth socket with exceed max task count; a slot frees on close', async () => {
    const five = Array.from({ length: 5 }, (_, i) => connect({ url: server.url + '/echo?n=' + i }))
    await until(() => five.every((s) => s.has('open')), 'five open')
    const sixth = connect({ url: server.url + '/echo?n=6' })
    expect((await sixth.done).res.errMsg).toBe('connectSocket:ok')
    await until(() => sixth.has('error'), 'the refusal')
    expect(sixth.log).toEqual([['error', { errMsg: 'exceed max task count' }]])
    expect(host.socket.openCount).toBe(5)
    expect(serverSide).toHaveLength(5)

    five[0].task.close({})
    await until(() => five[0].has('close'), 'a close')
    const again = connect({ url: server.url + '/echo?n=7' })
    await until(() => again.has('open'), 'the seventh to open')
    expect(host.socket.openCount).toBe(5)
    expect(host.socket.created).toBe(7)
  })
})

describe('how the host refuses a sixth socket, and when onClose comes (knobs)', () => {
  it("refuseThrough: 'fail' refuses through connectSocket's fail, with WeChat's spelling", async () => {
    await host.close()
    host = createWxHost({ socket: { refuseThrough: 'fail' } })
    const five = Array.from({ length: 5 }, (_, i) => connect({ url: server.url + '/echo?f=' + i }))
    await until(() => five.every((s) => s.has('open')), 'five open')
    const sixth = connect({ url: server.url + '/echo?f=6' })
    const out = await sixth.done
    expect(out.ok).toBe(false)
    expect(out.res.errMsg).toBe('connectSocket:fail exceed max cocurrent count')
    await new Promise((resolve) => setImmediate(resolve))
    expect(sixth.log).toEqual([])
    expect(host.socket.refuseThrough).toBe('fail')
    host.socket.refuseThrough = 'onError'
    const seventh = connect({ url: server.url + '/echo?f=7' })
    expect((await seventh.done).ok).toBe(true)
    await until(() => seventh.has('error'), 'the refusal')
    expect(seventh.log).toEqual([['error', { errMsg: 'exceed max task count' }]])
  })

  it('closeDelay: onClose comes that many ms after onError, and the socket counts until then', async () => {
    await host.close()
    fakeTimers()
    host = createWxHost({ socket: { closeDelay: 1000, maxSockets: 1 } })
    const s = connect({ url: server.url + '/echo' })
    await until(() => s.has('open'), 'open')
    host.socket.dropAll()
    expect(s.log.map(([kind]) => kind)).toEqual(['open', 'error'])
    expect(host.socket.openCount).toBe(1)
    const early = connect({ url: server.url + '/echo?early' })
    await until(() => early.has('error'), 'the refusal while the first still counts')
    expect(early.log).toEqual([['error', { errMsg: 'exceed max task count' }]])
    jest.advanceTimersByTime(999)
    expect(s.has('close')).toBe(false)
    jest.advanceTimersByTime(1)
    expect(s.log.at(-1)).toEqual(['close', { code: 1006, reason: 'abnormal closure' }])
    expect(host.socket.openCount).toBe(0)
    const late = connect({ url: server.url + '/echo?late' })
    await until(() => late.has('open'), 'open once the slot is free')
  })

  it('closeDelay keeps its timer under host.close()', async () => {
    await host.close()
    fakeTimers()
    host = createWxHost({ socket: { closeDelay: 1000 } })
    const s = connect({ url: server.url + '/echo' })
    await until(() => s.has('open'), 'open')
    host.socket.dropAll()
    await host.close()
    expect(jest.getTimerCount()).toBe(0)
    expect(s.has('close')).toBe(false)
  })
})

describe('offline', () => {
  it('closes open sockets uncleanly and refuses new ones while offline', async () => {
    const s = connect({ url: server.url + '/echo' })
    await until(() => s.has('open'), 'open')
    host.setNetwork({ isConnected: false })
    await until(() => s.has('close'), 'close')
    expect(s.log.slice(-2)).toEqual([
      ['error', { errMsg: 'network is down' }],
      ['close', { code: 1006, reason: 'abnormal closure' }],
    ])
    await until(() => serverClosed.length === 1, 'the server to see the drop')
    expect(serverClosed[0].code).toBe(1006)

    const refused = connect({ url: server.url + '/echo' })
    await until(() => refused.has('error'), 'the refusal')
    expect(refused.log).toEqual([['error', { errMsg: 'network is down' }]])

    host.setNetwork({ isConnected: true })
    const back = connect({ url: server.url + '/echo' })
    await until(() => back.has('open'), 'open again')
  })

  it('host.socket.dropAll() drops every connection from the client side', async () => {
    const a = connect({ url: server.url + '/echo?a' })
    const b = connect({ url: server.url + '/echo?b' })
    await until(() => a.has('open') && b.has('open'), 'both open')
    host.socket.dropAll()
    await until(() => serverClosed.length === 2, 'the server to see both drops')
    for (const s of [a, b]) {
      expect(s.log.slice(-2)).toEqual([
        ['error', { errMsg: 'abnormal closure' }],
        ['close', { code: 1006, reason: 'abnormal closure' }],
      ])
    }
    expect(host.socket.openCount).toBe(0)
  })
})

describe('the legacy global socket', () => {
  it('acts on the last socket created, and fires onSocket* for it only', async () => {
    const events: [string, any][] = []
    host.wx.onSocketOpen((res) => events.push(['open', res]))
    host.wx.onSocketMessage((res) => events.push(['message', res.data]))
    host.wx.onSocketClose((res) => events.push(['close', res]))
    host.wx.onSocketError((res) => events.push(['error', res]))
    expect(host.listenerCount('onSocketOpen')).toBe(1)

    const first = connect({ url: server.url + '/echo?first' })
    await until(() => first.has('open'), 'first open')
    const second = connect({ url: server.url + '/echo?second' })
    await until(() => second.has('open'), 'second open')
    expect(events.filter(([k]) => k === 'open')).toHaveLength(2)

    const sent = await run(host.wx.sendSocketMessage, { data: 'via legacy' })
    expect(sent.res).toEqual({ errMsg: 'sendSocketMessage:ok' })
    await until(() => second.has('message'), 'the echo')
    expect(received).toEqual([{ url: '/echo?second', data: 'via legacy' }])
    first.task.send({ data: 'direct to first' })
    await until(() => first.has('message'), 'the first echo')
    expect(events.filter(([k]) => k === 'message').map(([, d]) => d)).toEqual(['via legacy'])

    await expect(host.wx.closeSocket({ code: 1000 } as any)).resolves.toEqual({
      errMsg: 'closeSocket:ok',
    })
    await until(() => second.has('close'), 'second closed')
    expect(first.has('close')).toBe(false)
    expect(events.at(-1)).toEqual(['close', { code: 1000, reason: 'normal closure' }])
    const late = await run(host.wx.sendSocketMessage, { data: 'x' })
    expect(late.res.errMsg).toBe('sendSocketMessage:fail WebSocket is not connected')
  })

  it('fails sendSocketMessage and closeSocket when no socket was ever created', async () => {
    expect((await run(host.wx.sendSocketMessage, { data: 'x' })).res.errMsg).toBe(
      'sendSocketMessage:fail WebSocket is not connected',
    )
    await expect(host.wx.closeSocket({} as any)).rejects.toEqual({
      errMsg: 'closeSocket:fail WebSocket is not connected',
    })
  })
})

describe('host.close()', () => {
  it('closes every socket without firing events and removes the listeners', async () => {
    const s = connect({ url: server.url + '/echo' })
    host.wx.onSocketClose(() => undefined)
    await until(() => s.has('open'), 'open')
    await host.close()
    await until(() => serverClosed.length === 1, 'the server to see the close')
    expect(s.log.map(([k]) => k)).toEqual(['open'])
    expect(host.listenerCount()).toBe(0)
    expect(host.socket.openCount).toBe(0)
    const after = await run(host.wx.connectSocket, { url: server.url + '/echo' })
    expect(after.res.errMsg).toBe('connectSocket:fail host closed')
  })
})
