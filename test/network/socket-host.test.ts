// createSocket against a real `ws` server on 127.0.0.1 through the Node wx host. The checklist
// follows RxJS's WebSocketSubject spec where it applies. Time (backoff) uses jest's fake
// timers with real I/O: only setTimeout & co. are faked.
import type { IncomingMessage } from 'node:http'
import { retry } from 'rxjs'
import type { Subscription } from 'rxjs'
import type { WebSocket } from 'ws'
import { createSocket, isWxError } from 'miniprogram-rx'
import { createWxHost } from 'miniprogram-rx/testing'
import type { WxHost } from 'miniprogram-rx/testing'
import { startWsServer } from '../helpers/servers'
import type { TestWsServer } from '../helpers/servers'
import { recordInto, settle, until } from './socket-helpers'

type Behaviour = (socket: WebSocket, req: IncomingMessage) => void

const echo: Behaviour = (socket) =>
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }))

let server: TestWsServer
let behaviour: Behaviour = echo
/** Every connection the server accepted, and what it received on each. */
let connections: { socket: WebSocket; received: string[]; closeCode?: number }[] = []
let host: WxHost
let restore: () => void
const subs: Subscription[] = []

beforeAll(async () => {
  server = await startWsServer((socket, req) => {
    const entry: (typeof connections)[number] = { socket, received: [] }
    connections.push(entry)
    socket.on('message', (data) => entry.received.push(String(data)))
    socket.on('close', (code) => (entry.closeCode = code))
    behaviour(socket, req)
  })
})

afterAll(() => server.close())

beforeEach(() => {
  behaviour = echo
  connections = []
  host = createWxHost()
  restore = host.install()
})

afterEach(async () => {
  for (const s of subs.splice(0)) s.unsubscribe()
  jest.useRealTimers()
  restore()
  await host.close()
})

const record = recordInto(subs)

/** Asserts what every stream test ends with: no wx listener and no socket left. */
async function expectNoLeaks(): Promise<void> {
  for (const s of subs.splice(0)) s.unsubscribe()
  await until(() => host.socket.openCount === 0)
  expect(host.listeners()).toEqual({})
  expect(host.listenerCount()).toBe(0)
}

const fakeTime = () =>
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })

describe('createSocket through the wx host', () => {
  it('opens, echoes text and binary, and closes cleanly (the server sees 1000)', async () => {
    const socket = createSocket({ url: server.url })
    const { got, done } = record(socket)
    await until(() => socket.state === 'open')
    socket.send('hello')
    socket.send(new Uint8Array([1, 2, 3]).buffer)
    await until(() => got.length === 2)
    expect(got[0]).toBe('hello')
    expect(Array.from(new Uint8Array(got[1] as ArrayBuffer))).toEqual([1, 2, 3])
    socket.close(1000, 'bye')
    expect(socket.state).toBe('closing')
    await until(() => done.complete)
    expect(socket.state).toBe('closed')
    await until(() => connections[0].closeCode !== undefined)
    expect(connections[0].closeCode).toBe(1000)
    await expectNoLeaks()
  })

  it('sends what was buffered before open, in order, then what comes after', async () => {
    const socket = createSocket({ url: server.url })
    socket.send('1')
    socket.send('2')
    const { got } = record(socket)
    socket.send('3')
    expect(socket.buffered).toBe(3)
    await until(() => got.length === 3)
    socket.send('4')
    await until(() => got.length === 4)
    expect(connections[0].received).toEqual(['1', '2', '3', '4'])
    expect(got).toEqual(['1', '2', '3', '4'])
    await expectNoLeaks()
  })

  it('bounds the buffer: one more than bufferLimit throws, nothing is dropped', async () => {
    const socket = createSocket({ url: server.url, bufferLimit: 2 })
    socket.send('a')
    socket.send('b')
    expect(() => socket.send('c')).toThrow(/buffer full/)
    const { got } = record(socket)
    await until(() => got.length === 2)
    expect(got).toEqual(['a', 'b'])
    await expectNoLeaks()
  })

  it('closes the socket when unsubscribed before open', async () => {
    const socket = createSocket({ url: server.url })
    socket.messages$.subscribe().unsubscribe()
    expect(socket.state).toBe('closed')
    await settle()
    await until(() => host.socket.openCount === 0)
    for (const c of connections) await until(() => c.closeCode !== undefined)
    await expectNoLeaks()
  })

  it('completes when the server closes with 1000, and never reconnects', async () => {
    behaviour = (socket) => socket.on('message', () => socket.close(1000, 'done'))
    const socket = createSocket({ url: server.url, reconnect: { initial: 1, jitter: 0 } })
    const { done } = record(socket)
    socket.send('bye?')
    await until(() => done.complete)
    await settle()
    expect(connections).toHaveLength(1)
    await expectNoLeaks()
  })

  it('errors on an unclean close when reconnect is off, and allows resubscription', async () => {
    behaviour = (socket) => socket.on('message', () => socket.terminate())
    const socket = createSocket({ url: server.url, reconnect: false })
    const first = record(socket)
    socket.send('x')
    await until(() => first.done.error !== undefined)
    expect(isWxError(first.done.error)).toBe(true)
    expect((first.done.error as Error).message).toMatch(/^connectSocket:fail/)
    behaviour = echo
    const second = record(socket)
    socket.send('y')
    await until(() => second.got.length === 1)
    expect(second.got).toEqual(['y'])
    expect(connections).toHaveLength(2)
    await expectNoLeaks()
  })

  it('retry() starts a new connection after an error', async () => {
    let n = 0
    behaviour = (socket) => {
      n += 1
      if (n === 1) socket.terminate()
      else echo(socket, undefined as never)
    }
    const socket = createSocket({ url: server.url, reconnect: false })
    const got: unknown[] = []
    subs.push(socket.messages$.pipe(retry(2)).subscribe((m) => got.push(m)))
    await until(() => connections.length === 2 && socket.state === 'open')
    socket.send('after retry')
    await until(() => got.length === 1)
    expect(got).toEqual(['after retry'])
    expect(connections).toHaveLength(2)
    await expectNoLeaks()
  })

  it('reconnects after an unclean close with backoff (fake timers), buffering meanwhile', async () => {
    fakeTime()
    behaviour = (socket) => {
      if (connections.length === 1) socket.on('message', () => socket.terminate())
      else echo(socket, undefined as never)
    }
    const socket = createSocket({ url: server.url, reconnect: { jitter: 0 } })
    const states: string[] = []
    subs.push(socket.state$.subscribe((s) => states.push(s)))
    const { got } = record(socket)
    await until(() => socket.state === 'open')
    socket.send('dies')
    await until(() => socket.state === 'reconnecting')
    socket.send('queued')
    await settle()
    expect(connections).toHaveLength(1) // nothing before the first delay
    jest.advanceTimersByTime(999)
    await settle()
    expect(connections).toHaveLength(1)
    jest.advanceTimersByTime(1)
    await until(() => got.length === 1)
    expect(got).toEqual(['queued'])
    expect(connections).toHaveLength(2)
    expect(states).toEqual(['idle', 'connecting', 'open', 'reconnecting', 'connecting', 'open'])
    await expectNoLeaks()
  })

  it('pauses reconnecting while offline and reconnects at once when the network returns', async () => {
    fakeTime()
    const socket = createSocket({ url: server.url, reconnect: { jitter: 0 } })
    const { got } = record(socket)
    await until(() => socket.state === 'open')
    expect(host.listenerCount('onNetworkStatusChange')).toBe(1)
    host.setNetwork({ isConnected: false }) // the host drops sockets uncleanly
    expect(socket.state).toBe('reconnecting')
    socket.send('sent offline')
    jest.advanceTimersByTime(10 * 60 * 1000)
    await settle()
    expect(connections).toHaveLength(1)
    host.setNetwork({ isConnected: true })
    expect(socket.state).toBe('connecting')
    await until(() => got.length === 1)
    expect(got).toEqual(['sent offline'])
    expect(connections).toHaveLength(2)
    await expectNoLeaks()
  })

  it('gives a sixth concurrent socket a clear error', async () => {
    const five = [0, 1, 2, 3, 4].map(() => createSocket({ url: server.url }))
    for (const s of five) record(s)
    await until(() => five.every((s) => s.state === 'open'))
    const sixth = createSocket({ url: server.url })
    const { done } = record(sixth)
    expect((done.error as Error).message).toMatch(/^connectSocket:fail too many sockets/)
    five[0].close()
    await until(() => five[0].state === 'closed')
    const again = record(sixth)
    await until(() => sixth.state === 'open')
    expect(again.done.error).toBeUndefined()
    await expectNoLeaks()
  })

  it("reports the client's own limit the same way when raw tasks hold the slots", async () => {
    const raw = [0, 1, 2, 3, 4].map(() => host.wx.connectSocket({ url: server.url }))
    await until(() => host.socket.openCount === 5)
    const socket = createSocket({ url: server.url })
    const { done } = record(socket)
    await until(() => done.error !== undefined)
    expect((done.error as Error).message).toMatch(/^connectSocket:fail too many sockets/)
    for (const task of raw) task.close({})
    await expectNoLeaks()
  })

  it('json: true round-trips values', async () => {
    const socket = createSocket<{ n: number }, { n: number }>({ url: server.url, json: true })
    const { got } = record(socket)
    socket.send({ n: 1 })
    await until(() => got.length === 1)
    expect(got).toEqual([{ n: 1 }])
    expect(connections[0].received).toEqual(['{"n":1}'])
    await expectNoLeaks()
  })

  it('leaves no wx listener and no socket after the last unsubscribe', async () => {
    const socket = createSocket({ url: server.url })
    const sub = socket.messages$.subscribe()
    await until(() => socket.state === 'open')
    // networkStatus$ and appVisible$ while the socket lives, one wx listener each
    expect(host.listeners()).toEqual({ NetworkStatusChange: 1, AppShow: 1, AppHide: 1 })
    sub.unsubscribe()
    await until(() => socket.state === 'closed')
    await until(() => connections[0].closeCode !== undefined)
    expect(connections[0].closeCode).toBe(1000)
    await expectNoLeaks()
  })
})
