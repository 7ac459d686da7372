// createSocket under the platform's own rules and order of events, against a real `ws` server
// on 127.0.0.1 through the Node wx host: close codes wx accepts, a close that wx refuses,
// send() after close(), which failures are fatal, WeChat's slot counted until onClose (onClose
// a macrotask late), the sixth socket refused through `fail` or `onError`, the app hidden,
// and the network flapping. Time (backoff) uses jest's fake timers with real I/O.
import type { Subscription } from 'rxjs'
import type { WebSocket } from 'ws'
import { createSocket, isWxError } from 'miniprogram-rx'
import type { WxError } from 'miniprogram-rx'
import { createWxHost } from 'miniprogram-rx/testing'
import type { WxHost, WxHostOptions } from 'miniprogram-rx/testing'
import { startWsServer } from '../helpers/servers'
import type { TestWsServer } from '../helpers/servers'
import { recordInto, settle, until } from './socket-helpers'

let server: TestWsServer
/** Every connection the server accepted: what it received and the close code it saw. */
let connections: { socket: WebSocket; received: string[]; closeCode?: number }[] = []
let host: WxHost | undefined
let restore = () => undefined as void
const subs: Subscription[] = []

beforeAll(async () => {
  server = await startWsServer((socket) => {
    const entry: (typeof connections)[number] = { socket, received: [] }
    connections.push(entry)
    socket.on('message', (data) => entry.received.push(String(data)))
    socket.on('close', (code) => (entry.closeCode = code))
  })
})

afterAll(() => server.close())

beforeEach(() => {
  connections = []
})

afterEach(async () => {
  for (const s of subs.splice(0)) s.unsubscribe()
  jest.useRealTimers()
  restore()
  if (host) await host.close()
  host = undefined
})

function start(options?: WxHostOptions): WxHost {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
  host = createWxHost(options)
  restore = host.install()
  return host
}

const record = recordInto(subs)

function connectCalls(): number {
  return host!.calls.filter((call) => call.api === 'connectSocket').length
}

/** What every stream test ends with: no wx listener, no socket, no timer of the SDK left. */
async function expectNoLeaks(): Promise<void> {
  for (const s of subs.splice(0)) s.unsubscribe()
  jest.advanceTimersByTime(60000) // slots waiting for an onClose that never comes
  await until(() => host!.socket.openCount === 0)
  expect(host!.listeners()).toEqual({})
  expect(host!.listenerCount()).toBe(0)
}

describe('close(code): what wx accepts', () => {
  it('refuses 1001 and other codes wx rejects with a TypeError, and stays open', async () => {
    start()
    const socket = createSocket({ url: server.url })
    const { done } = record(socket)
    await until(() => socket.state === 'open')
    for (const code of [1001, 1005, 2999, 5000, 3000.5, NaN]) {
      expect(() => socket.close(code)).toThrow(TypeError)
    }
    expect(() => socket.close(1001)).toThrow(
      'SocketTask.close: `code` must be 1000 or a whole number from 3000 to 4999 (what wx accepts), got number 1001',
    )
    expect(socket.state).toBe('open')
    socket.close(4999, 'done')
    await until(() => done.complete)
    await until(() => connections[0].closeCode !== undefined)
    expect(connections[0].closeCode).toBe(4999)
    await expectNoLeaks()
  })

  it('accepts 1000, 3000 and 4999', async () => {
    start()
    for (const code of [1000, 3000, 4999]) {
      const socket = createSocket({ url: server.url })
      socket.connect()
      expect(() => socket.close(code)).not.toThrow()
      expect(socket.state).toBe('closed')
    }
    await expectNoLeaks()
  })

  it('a close that wx refuses ends the socket at once with wx error, and frees the task', async () => {
    start()
    const socket = createSocket({ url: server.url, openTimeout: 60000 })
    const { done } = record(socket)
    await until(() => socket.state === 'open')
    socket.close(1000, 'x'.repeat(124)) // wx takes at most 123 bytes
    await until(() => done.error !== undefined)
    expect(isWxError(done.error)).toBe(true)
    expect((done.error as WxError).errMsg).toBe(
      'closeSocket:fail The message must not be greater than 123 bytes',
    )
    expect(socket.state).toBe('closed')
    // The task is still closed (with 1000), not left open behind the error.
    await until(() => connections[0].closeCode !== undefined)
    expect(connections[0].closeCode).toBe(1000)
    await expectNoLeaks()
  })
})

describe('send() after close()', () => {
  it('throws, and nothing leaves on a later connection', async () => {
    start()
    const socket = createSocket({ url: server.url })
    record(socket)
    await until(() => socket.state === 'open')
    socket.close()
    let thrown: unknown
    try {
      socket.send('after close')
    } catch (error) {
      thrown = error
    }
    expect(isWxError(thrown)).toBe(true)
    expect((thrown as WxError).errMsg).toBe('SocketTask.send:fail socket closed')
    expect(socket.buffered).toBe(0)
    await until(() => socket.state === 'closed')
    // A later, unrelated connection: starts clean, and send() works again.
    record(socket)
    await until(() => socket.state === 'open')
    socket.send('new')
    await until(() => connections[1].received.length === 1)
    expect(connections[1].received).toEqual(['new'])
    expect(connections[0].received).toEqual([])
    await expectNoLeaks()
  })

  it('throws after close() on a socket that was never connected', async () => {
    start()
    const socket = createSocket({ url: server.url })
    socket.send('early')
    socket.close()
    expect(() => socket.send('late')).toThrow(/socket closed/)
    socket.connect()
    expect(() => socket.send('again')).not.toThrow()
    expect(socket.buffered).toBe(1)
    socket.close()
    await expectNoLeaks()
  })
})

describe('which failures are fatal', () => {
  it.each(['rate limit exceeded', 'too many requests', 'max payload size exceeded'])(
    'an error saying "%s" reconnects: only wx task-count refusal is fatal',
    async (text) => {
      start()
      const socket = createSocket({ url: server.url, reconnect: { initial: 10, jitter: 0 } })
      const { done } = record(socket)
      await until(() => socket.state === 'open')
      host!.socket.dropAll(text)
      expect(socket.state).toBe('reconnecting')
      jest.advanceTimersByTime(10)
      await until(() => socket.state === 'open')
      expect(done.error).toBeUndefined()
      expect(connections).toHaveLength(2)
      await expectNoLeaks()
    },
  )

  it.each(['onError', 'fail'] as const)(
    'a sixth socket refused by wx through %s errors with ERR_TOO_MANY_TASKS, without reconnecting',
    async (refuseThrough) => {
      start({ socket: { refuseThrough } })
      const raw = [0, 1, 2, 3, 4].map(() => host!.wx.connectSocket({ url: server.url }))
      await until(() => host!.socket.openCount === 5)
      const socket = createSocket({ url: server.url, reconnect: { initial: 10 } })
      const { done } = record(socket)
      await until(() => done.error !== undefined)
      expect((done.error as WxError).code).toBe('ERR_TOO_MANY_TASKS')
      expect((done.error as Error).message).toMatch(/^connectSocket:fail too many sockets/)
      jest.advanceTimersByTime(60000)
      await settle()
      expect(connectCalls()).toBe(6)
      for (const task of raw) task.close({})
      await expectNoLeaks()
    },
  )
})

describe("WeChat's slot is free only on onClose (phone order: onClose a macrotask late)", () => {
  it('a reconnect waits for the old task onClose instead of hitting the limit', async () => {
    start({ socket: { maxSockets: 1, closeDelay: 1000 } })
    const socket = createSocket({ url: server.url, reconnect: { initial: 1, jitter: 0 } })
    const { done } = record(socket)
    await until(() => socket.state === 'open')
    host!.socket.dropAll() // onError now, onClose 1 s later; the task counts until then
    jest.advanceTimersByTime(1)
    await settle()
    expect(done.error).toBeUndefined()
    expect(socket.state).toBe('connecting')
    jest.advanceTimersByTime(999)
    await until(() => socket.state === 'open')
    expect(done.error).toBeUndefined()
    expect(connections).toHaveLength(2)
    await expectNoLeaks()
  })

  it('five sockets dropped together all come back (onClose 5 ms after onError)', async () => {
    start({ socket: { closeDelay: 5 } })
    const five = [0, 1, 2, 3, 4].map(() =>
      createSocket({ url: server.url, reconnect: { initial: 1, jitter: 0 } }),
    )
    const results = five.map((s) => record(s))
    await until(() => five.every((s) => s.state === 'open'))
    host!.socket.dropAll()
    jest.advanceTimersByTime(1)
    await settle()
    expect(five.map((s) => s.state)).toEqual(Array(5).fill('connecting'))
    jest.advanceTimersByTime(4)
    await until(() => five.every((s) => s.state === 'open'))
    expect(results.map((r) => r.done.error)).toEqual(Array(5).fill(undefined))
    expect(connections).toHaveLength(10)
    await expectNoLeaks()
  })

  it('a reconnect that wx refuses because onClose was a macrotask late tries again', async () => {
    // The reconnect timer (0 ms) fires before the old task's onClose (0 ms, set later).
    start({ socket: { maxSockets: 1, closeDelay: 0 } })
    const socket = createSocket({ url: server.url, reconnect: { initial: 0, jitter: 0 } })
    const { done } = record(socket)
    await until(() => socket.state === 'open')
    host!.socket.dropAll()
    jest.advanceTimersByTime(0)
    await until(() => socket.state === 'open')
    expect(done.error).toBeUndefined()
    await expectNoLeaks()
  })
})

describe('the app in the background', () => {
  it('makes no attempt while hidden, reconnects at once on show, and does not spend the limit', async () => {
    start()
    const socket = createSocket({ url: server.url, reconnect: { limit: 1, jitter: 0 } })
    const { done } = record(socket)
    await until(() => socket.state === 'open')
    for (let round = 1; round <= 3; round += 1) {
      host!.hide()
      host!.socket.dropAll('abnormal closure') // many clients kill sockets in the background
      expect(socket.state).toBe('reconnecting')
      jest.advanceTimersByTime(10 * 60 * 1000)
      await settle()
      expect(connectCalls()).toBe(round)
      host!.show()
      expect(socket.state).toBe('connecting')
      expect(connectCalls()).toBe(round + 1)
      await until(() => socket.state === 'open')
    }
    expect(done.error).toBeUndefined()
    await expectNoLeaks()
  })
})

describe('the network flapping', () => {
  it('offline/online flapping does not spend the reconnect limit', async () => {
    start()
    const socket = createSocket({ url: server.url, reconnect: { limit: 2, jitter: 0 } })
    const { done } = record(socket)
    await until(() => socket.state === 'open')
    for (let flap = 0; flap < 6; flap += 1) {
      host!.setNetwork({ isConnected: false }) // drops the socket, then the status event
      expect(socket.state).toBe('reconnecting')
      host!.setNetwork({ isConnected: true })
      expect(socket.state).toBe('connecting')
      await until(() => socket.state === 'open')
    }
    expect(done.error).toBeUndefined()
    expect(connections).toHaveLength(7)
    await expectNoLeaks()
  })

  it('still ends after `limit` failed attempts the backoff started', async () => {
    start()
    const socket = createSocket({
      url: server.url,
      reconnect: { limit: 2, initial: 10, jitter: 0 },
    })
    const { done } = record(socket)
    await until(() => socket.state === 'open')
    await server.close().catch(() => undefined)
    // The server is gone: every timer-started attempt fails (ECONNREFUSED).
    await until(() => socket.state === 'reconnecting')
    for (let i = 0; i < 3 && done.error === undefined; i += 1) {
      jest.advanceTimersByTime(20)
      await until(() => socket.state !== 'connecting' || done.error !== undefined)
    }
    await until(() => done.error !== undefined)
    expect((done.error as Error).message).toMatch(/reconnect limit reached \(2 attempts/)
    server = await startWsServer()
    await expectNoLeaks()
  })
})
