// Unit tests of createSocket against a scripted wx (exact control of every task event) and
// fake timers. The same behaviour against a real ws server is in socket-host.test.ts.
import { retry } from 'rxjs'
import type { Subscription } from 'rxjs'
import { createSocket, isTimeoutError, isWxError } from 'miniprogram-rx'
import type { Socket, SocketState } from 'miniprogram-rx'
import { createFakeWx, flush } from './socket-fake-wx'
import type { FakeWx } from './socket-fake-wx'
import { recordInto } from './socket-helpers'

let fake: FakeWx
let restore: () => void
const subs: Subscription[] = []

beforeEach(() => {
  jest.useFakeTimers()
  fake = createFakeWx()
  restore = fake.install()
})

afterEach(() => {
  for (const s of subs.splice(0)) s.unsubscribe()
  jest.clearAllTimers()
  jest.useRealTimers()
  restore()
})

const URL = 'wss://example.test/socket'

const record = recordInto(subs)

function states(socket: Socket<any, any>): SocketState[] {
  const seen: SocketState[] = []
  subs.push(socket.state$.subscribe((s) => seen.push(s)))
  return seen
}

/** Ends with: no global wx listener left and no timer pending. */
async function expectClean(): Promise<void> {
  for (const s of subs.splice(0)) s.unsubscribe()
  await flush()
  expect(fake.networkListeners).toHaveLength(0)
}

describe('createSocket: lifecycle', () => {
  it('is idle and does not connect until subscribed (lazy)', () => {
    const socket = createSocket({ url: URL })
    expect(socket.state).toBe('idle')
    socket.send('early')
    expect(fake.tasks).toHaveLength(0)
    expect(socket.buffered).toBe(1)
  })

  it('attaches every task listener in the same tick as wx.connectSocket', () => {
    const socket = createSocket({ url: URL })
    record(socket)
    expect(fake.tasks).toHaveLength(1)
    expect(fake.last.listeners.open).toHaveLength(1)
    expect(fake.last.listenerCount).toBe(4)
  })

  it('passes wx options through, keeps its own out, and never changes the caller object', () => {
    const options = {
      url: URL,
      header: { 'x-token': 't' },
      protocols: ['chat'],
      reconnect: { initial: 50 },
      bufferLimit: 3,
      json: true as const,
    }
    const copy = JSON.parse(JSON.stringify(options))
    record(createSocket(options))
    const given = fake.last.options
    expect(given.url).toBe(URL)
    expect(given.header).toEqual({ 'x-token': 't' })
    expect(given.protocols).toEqual(['chat'])
    expect(given).not.toHaveProperty('reconnect')
    expect(given).not.toHaveProperty('bufferLimit')
    expect(given).not.toHaveProperty('json')
    expect(typeof given.fail).toBe('function')
    expect(options).toEqual(copy)
  })

  it('reports states in order, current first: idle, connecting, open, closing, closed', async () => {
    const socket = createSocket({ url: URL })
    const seen = states(socket)
    const { got, done } = record(socket)
    fake.last.open()
    fake.last.message('hi')
    socket.close(1000, 'bye')
    expect(fake.last.closeCalls).toEqual([{ code: 1000, reason: 'bye' }])
    fake.last.message('last words') // still delivered while closing
    fake.last.close(1000, 'bye')
    expect(seen).toEqual(['idle', 'connecting', 'open', 'closing', 'closed'])
    expect(got).toEqual(['hi', 'last words'])
    expect(done.complete).toBe(true)
    jest.advanceTimersByTime(60000)
    expect(fake.tasks).toHaveLength(1) // a clean close never reconnects
    await expectClean()
  })

  it('closes the socket when unsubscribed before open, and again if it opens anyway', async () => {
    const socket = createSocket({ url: URL })
    const sub = socket.messages$.subscribe()
    const task = fake.last
    sub.unsubscribe()
    expect(task.closeCalls).toHaveLength(1)
    expect(socket.state).toBe('closed')
    task.open()
    expect(task.closeCalls).toHaveLength(2)
    expect(socket.state).toBe('closed')
    await expectClean()
  })

  it('leaves no timer when the task reports onClose inside close()', async () => {
    const socket = createSocket({ url: URL })
    const sub = socket.messages$.subscribe()
    const task = fake.last
    ;(task.task as unknown as { close: () => void }).close = () => task.close(1000)
    sub.unsubscribe()
    expect(socket.state).toBe('closed')
    expect(jest.getTimerCount()).toBe(0)
    await expectClean()
  })

  it('the last unsubscribe closes the socket; a new subscriber connects again', async () => {
    const socket = createSocket({ url: URL })
    const a = socket.messages$.subscribe()
    const b = socket.messages$.subscribe()
    fake.last.open()
    a.unsubscribe()
    expect(fake.last.closeCalls).toHaveLength(0)
    b.unsubscribe()
    expect(fake.last.closeCalls).toEqual([{ code: 1000, reason: undefined }])
    expect(socket.state).toBe('closing')
    fake.last.close(1000)
    expect(socket.state).toBe('closed')
    const { got } = record(socket)
    expect(fake.tasks).toHaveLength(2)
    fake.last.open()
    fake.last.message('again')
    expect(got).toEqual(['again'])
    await expectClean()
  })

  it('a subscriber arriving while closing gets a new connection; the old task is ignored', async () => {
    const socket = createSocket({ url: URL })
    const first = socket.messages$.subscribe()
    const old = fake.last
    old.open()
    first.unsubscribe()
    expect(socket.state).toBe('closing')
    const { got } = record(socket)
    expect(fake.tasks).toHaveLength(2)
    expect(socket.state).toBe('connecting')
    old.message('stale')
    old.close(1000)
    fake.last.open()
    fake.last.message('fresh')
    expect(got).toEqual(['fresh'])
    expect(socket.state).toBe('open')
    await expectClean()
  })

  it('connect() connects without a subscriber and holds the connection until close()', async () => {
    const socket = createSocket({ url: URL })
    socket.connect()
    expect(socket.state).toBe('connecting')
    fake.last.open()
    const sub = socket.messages$.subscribe()
    sub.unsubscribe()
    expect(socket.state).toBe('open')
    socket.close()
    fake.last.close(1000)
    expect(socket.state).toBe('closed')
    await expectClean()
  })

  it('completes when the server closes with 1000', async () => {
    const socket = createSocket({ url: URL })
    const { done } = record(socket)
    fake.last.open()
    fake.last.close(1000, 'done')
    expect(done.complete).toBe(true)
    expect(socket.state).toBe('closed')
    await expectClean()
  })

  it('close() while connecting or reconnecting completes at once', async () => {
    const socket = createSocket({ url: URL, reconnect: { jitter: 0 } })
    const a = record(socket)
    socket.close()
    expect(a.done.complete).toBe(true)
    expect(fake.last.closeCalls).toHaveLength(1)
    fake.last.close(1000) // the given-up task's onClose frees its slot (and its timer)
    const b = record(socket)
    fake.last.open()
    fake.last.close(1006)
    expect(socket.state).toBe('reconnecting')
    socket.close()
    expect(b.done.complete).toBe(true)
    expect(jest.getTimerCount()).toBe(0)
    await expectClean()
  })

  it('finishes closing after openTimeout when onClose never comes', async () => {
    const socket = createSocket({ url: URL, openTimeout: 2000 })
    const { done } = record(socket)
    fake.last.open()
    socket.close()
    jest.advanceTimersByTime(1999)
    expect(done.complete).toBe(false)
    jest.advanceTimersByTime(1)
    expect(done.complete).toBe(true)
    expect(socket.state).toBe('closed')
    await expectClean()
  })
})

describe('createSocket: send and the buffer', () => {
  it('buffers sends while connecting and flushes them in order on open', async () => {
    const socket = createSocket({ url: URL })
    record(socket)
    socket.send('1')
    socket.send('2')
    expect(fake.last.sent).toEqual([])
    fake.last.open()
    socket.send('3')
    expect(fake.last.sent).toEqual(['1', '2', '3'])
    expect(socket.buffered).toBe(0)
    await expectClean()
  })

  it('sends from a state$ open handler go before the buffered messages (auth first)', async () => {
    const socket = createSocket({ url: URL })
    subs.push(socket.state$.subscribe((s) => s === 'open' && socket.send('auth')))
    record(socket)
    socket.send('queued')
    fake.last.open()
    expect(fake.last.sent).toEqual(['auth', 'queued'])
    await expectClean()
  })

  it('throws a WxError when bufferLimit messages are waiting, and drops nothing', async () => {
    const socket = createSocket({ url: URL, bufferLimit: 2 })
    record(socket)
    socket.send('a')
    socket.send('b')
    let thrown: unknown
    try {
      socket.send('c')
    } catch (error) {
      thrown = error
    }
    expect(isWxError(thrown)).toBe(true)
    expect((thrown as Error).message).toMatch(/^SocketTask\.send:fail buffer full \(2 messages/)
    fake.last.open()
    expect(fake.last.sent).toEqual(['a', 'b'])
    await expectClean()
  })

  it('keeps messages sent while reconnecting and sends them on the next connection', async () => {
    const socket = createSocket({ url: URL, reconnect: { initial: 100, jitter: 0 } })
    record(socket)
    fake.last.open()
    socket.send('1')
    fake.last.close(1006)
    socket.send('2')
    socket.send('3')
    jest.advanceTimersByTime(100)
    fake.last.open()
    expect(fake.tasks[0].sent).toEqual(['1'])
    expect(fake.last.sent).toEqual(['2', '3'])
    await expectClean()
  })

  it('puts back messages whose send failed on a dying connection, before newer ones', async () => {
    const socket = createSocket({ url: URL, reconnect: { initial: 100, jitter: 0 } })
    record(socket)
    const first = fake.last
    first.open()
    first.failSends = 'WebSocket is not connected'
    socket.send('1')
    socket.send('2')
    first.deliverSendFailures()
    expect(socket.state).toBe('reconnecting') // a refused send means the task is gone
    socket.send('3')
    first.close(1006) // late onClose of the given-up task: ignored
    jest.advanceTimersByTime(100)
    fake.last.open()
    expect(fake.last.sent).toEqual(['1', '2', '3'])
    expect(fake.tasks).toHaveLength(2)
    await expectClean()
  })

  it('close() empties the buffer', () => {
    const socket = createSocket({ url: URL })
    socket.send('x')
    socket.close()
    expect(socket.buffered).toBe(0)
  })

  it('rejects values the serializer cannot send with a TypeError', () => {
    const socket = createSocket({ url: URL })
    expect(() => socket.send(42 as unknown as string)).toThrow(TypeError)
    expect(() => socket.send(42 as unknown as string)).toThrow(/SocketTask\.send: `data`/)
    const custom = createSocket<number>({ url: URL, serializer: () => 7 as never })
    expect(() => custom.send(1)).toThrow(TypeError)
  })
})

describe('createSocket: serializers', () => {
  it('passes strings and ArrayBuffers through by default', async () => {
    const socket = createSocket({ url: URL })
    const { got } = record(socket)
    fake.last.open()
    const bytes = new Uint8Array([1, 2, 3]).buffer
    fake.last.message('text')
    fake.last.message(bytes)
    socket.send(bytes)
    expect(got).toEqual(['text', bytes])
    expect(fake.last.sent[0]).toBe(bytes)
    await expectClean()
  })

  it('json: true stringifies sends and parses text messages', async () => {
    const socket = createSocket<{ n: number }, { hello: string }>({ url: URL, json: true })
    const { got } = record(socket)
    fake.last.open()
    socket.send({ hello: 'world' })
    fake.last.message('{"n":1}')
    expect(fake.last.sent).toEqual(['{"hello":"world"}'])
    expect(got).toEqual([{ n: 1 }])
    await expectClean()
  })

  it('custom serializer and deserializer win over json', async () => {
    const socket = createSocket<number, number>({
      url: URL,
      json: true,
      serializer: (n) => 'n=' + n,
      deserializer: (d) => Number(String(d).slice(2)),
    })
    const { got } = record(socket)
    fake.last.open()
    socket.send(5)
    fake.last.message('n=6')
    expect(fake.last.sent).toEqual(['n=5'])
    expect(got).toEqual([6])
    await expectClean()
  })

  it('a deserializer error errors messages$ and closes the task', async () => {
    const socket = createSocket({ url: URL, json: true })
    const { done } = record(socket)
    fake.last.open()
    fake.last.message('not json')
    expect(done.error).toBeInstanceOf(SyntaxError)
    expect(fake.last.closeCalls).toHaveLength(1)
    expect(socket.state).toBe('closed')
    jest.advanceTimersByTime(60000)
    expect(fake.tasks).toHaveLength(1)
    await expectClean()
  })
})

describe('createSocket: reconnect', () => {
  it('reconnects after an unclean close with delays growing x1.3 from 1 s, capped at 10 s', async () => {
    const socket = createSocket({ url: URL, reconnect: { jitter: 0 } })
    const seen = states(socket)
    record(socket)
    const delays: number[] = []
    for (let attempt = 0; attempt < 11; attempt += 1) {
      // As on a phone: onError, then onClose (which gives WeChat's slot back).
      fake.last.error('connect failed')
      fake.last.close(1006)
      const before = fake.tasks.length
      let waited = 0
      while (fake.tasks.length === before) {
        jest.advanceTimersByTime(10)
        waited += 10
      }
      delays.push(waited)
    }
    expect(delays).toEqual([1000, 1300, 1690, 2200, 2860, 3720, 4830, 6280, 8160, 10000, 10000])
    expect(seen.slice(0, 4)).toEqual(['idle', 'connecting', 'reconnecting', 'connecting'])
    await expectClean()
  })

  it('uses jitter: each delay lies in [d * (1 - jitter), d]', async () => {
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.5)
    const socket = createSocket({ url: URL, reconnect: { jitter: 0.4 } })
    record(socket)
    fake.last.close(1006)
    jest.advanceTimersByTime(799)
    expect(fake.tasks).toHaveLength(1)
    jest.advanceTimersByTime(1) // 1000 - 1000 * 0.4 * 0.5
    expect(fake.tasks).toHaveLength(2)
    random.mockRestore()
    await expectClean()
  })

  it('ignores everything an old task reports after a reconnect (generation check)', async () => {
    const socket = createSocket({ url: URL, reconnect: { initial: 10, jitter: 0 } })
    const { got, done } = record(socket)
    const old = fake.last
    old.open()
    old.error('gone')
    old.close(1006)
    jest.advanceTimersByTime(10)
    fake.last.open()
    old.message('ghost')
    old.open()
    old.close(1000)
    fake.last.message('live')
    expect(got).toEqual(['live'])
    expect(done.complete).toBe(false)
    expect(socket.state).toBe('open')
    expect(fake.tasks).toHaveLength(2)
    await expectClean()
  })

  it('resets the attempt counter after minUptime', async () => {
    const socket = createSocket({
      url: URL,
      reconnect: { initial: 100, factor: 2, jitter: 0, minUptime: 5000 },
    })
    record(socket)
    fake.last.close(1006) // attempt 1: 100 ms
    jest.advanceTimersByTime(100)
    fake.last.close(1006) // attempt 2: 200 ms
    jest.advanceTimersByTime(200)
    fake.last.open()
    jest.advanceTimersByTime(1000)
    fake.last.close(1006) // up 1 s < minUptime: attempt 3, 400 ms
    jest.advanceTimersByTime(399)
    expect(fake.tasks).toHaveLength(3)
    jest.advanceTimersByTime(1)
    expect(fake.tasks).toHaveLength(4)
    fake.last.open()
    jest.advanceTimersByTime(5000)
    fake.last.close(1006) // up 5 s: counter reset, 100 ms again
    jest.advanceTimersByTime(100)
    expect(fake.tasks).toHaveLength(5)
    await expectClean()
  })

  it('errors messages$ with a WxError once `limit` attempts in a row failed', async () => {
    const socket = createSocket({ url: URL, reconnect: { initial: 10, jitter: 0, limit: 2 } })
    const { done } = record(socket)
    fake.last.close(1006)
    jest.advanceTimersByTime(10)
    fake.last.close(1006)
    jest.advanceTimersByTime(13)
    expect(fake.tasks).toHaveLength(3)
    fake.last.error('refused')
    expect(isWxError(done.error)).toBe(true)
    expect((done.error as Error).message).toMatch(
      /^connectSocket:fail reconnect limit reached \(2 attempts in a row failed; last: .*refused\)$/,
    )
    expect(socket.state).toBe('closed')
    await expectClean()
  })

  it('reconnect: false errors on the first unclean close, naming the code', async () => {
    const socket = createSocket({ url: URL, reconnect: false })
    const { done } = record(socket)
    fake.last.open()
    fake.last.close(1011, 'server error')
    expect((done.error as Error).message).toBe(
      'connectSocket:fail closed with code 1011: server error',
    )
    jest.advanceTimersByTime(60000)
    expect(fake.tasks).toHaveLength(1)
    await expectClean()
  })

  it('fails an attempt that does not open within openTimeout', async () => {
    const socket = createSocket({ url: URL, openTimeout: 3000, reconnect: false })
    const { done } = record(socket)
    jest.advanceTimersByTime(2999)
    expect(done.error).toBeUndefined()
    jest.advanceTimersByTime(1)
    expect(isTimeoutError(done.error)).toBe(true)
    expect(fake.last.closeCalls).toHaveLength(1)
    await expectClean()
  })

  it('openTimeout: Infinity sets no timer of its own (wx timeout applies)', async () => {
    const socket = createSocket({ url: URL, openTimeout: Infinity, bufferLimit: Infinity })
    record(socket)
    expect(jest.getTimerCount()).toBe(0)
    jest.advanceTimersByTime(10 * 60 * 1000)
    expect(socket.state).toBe('connecting')
    socket.close()
    expect(jest.getTimerCount()).toBe(0) // the given-up task frees its slot at once
    await expectClean()
  })

  it('an open timeout with reconnect on moves to reconnecting', async () => {
    const socket = createSocket({ url: URL, openTimeout: 3000, reconnect: { jitter: 0 } })
    record(socket)
    jest.advanceTimersByTime(3000)
    expect(socket.state).toBe('reconnecting')
    jest.advanceTimersByTime(1000)
    expect(fake.tasks).toHaveLength(2)
    await expectClean()
  })

  it('pauses attempts while offline and starts one at once when the network returns', async () => {
    const socket = createSocket({ url: URL, reconnect: { jitter: 0 } })
    record(socket)
    await flush() // getNetworkType answered: wifi
    fake.last.open()
    fake.changeNetwork(false)
    fake.last.error('network is down')
    expect(socket.state).toBe('reconnecting')
    jest.advanceTimersByTime(600000)
    expect(fake.tasks).toHaveLength(1)
    expect(jest.getTimerCount()).toBe(0)
    fake.changeNetwork(true)
    expect(fake.tasks).toHaveLength(2)
    expect(socket.state).toBe('connecting')
    await expectClean()
  })

  it('going offline during a backoff wait pauses it; online skips the rest of the wait', async () => {
    const socket = createSocket({ url: URL, reconnect: { jitter: 0 } })
    record(socket)
    await flush()
    fake.last.close(1006)
    jest.advanceTimersByTime(500)
    fake.changeNetwork(false)
    jest.advanceTimersByTime(5000)
    expect(fake.tasks).toHaveLength(1)
    fake.changeNetwork(true, '4g')
    expect(fake.tasks).toHaveLength(2)
    await expectClean()
  })

  it('the first network answer (online) while reconnecting does not skip the backoff', async () => {
    fake = createFakeWx(false) // getNetworkType waits for answerNetworkType
    restore()
    restore = fake.install()
    const socket = createSocket({ url: URL, reconnect: { jitter: 0 } })
    record(socket)
    fake.last.close(1006)
    expect(socket.state).toBe('reconnecting')
    fake.answerNetworkType('wifi')
    await flush()
    expect(fake.tasks).toHaveLength(1)
    jest.advanceTimersByTime(1000)
    expect(fake.tasks).toHaveLength(2)
    await expectClean()
  })

  it('retry() after an error connects again and sends what was buffered', async () => {
    const socket = createSocket({ url: URL, reconnect: false })
    const got: unknown[] = []
    subs.push(socket.messages$.pipe(retry(1)).subscribe((m) => got.push(m)))
    fake.last.close(1006)
    expect(fake.tasks).toHaveLength(2)
    expect(socket.state).toBe('connecting')
    socket.send('kept')
    fake.last.open()
    fake.last.message('after retry')
    expect(fake.last.sent).toEqual(['kept'])
    expect(got).toEqual(['after retry'])
    await expectClean()
  })

  it('allows resubscription after an error', async () => {
    const socket = createSocket({ url: URL, reconnect: false })
    const a = record(socket)
    fake.last.error('boom')
    expect(isWxError(a.done.error)).toBe(true)
    const b = record(socket)
    fake.last.open()
    fake.last.message('ok')
    expect(b.got).toEqual(['ok'])
    await expectClean()
  })

  it('allows resubscription after a clean close', async () => {
    const socket = createSocket({ url: URL })
    const a = record(socket)
    fake.last.open()
    socket.close()
    fake.last.close(1000)
    expect(a.done.complete).toBe(true)
    const b = record(socket)
    fake.last.open()
    fake.last.message('again')
    expect(b.got).toEqual(['again'])
    await expectClean()
  })
})

describe('createSocket: limits and failures', () => {
  it('gives a sixth concurrent socket a clear error, and a slot back when one closes', async () => {
    const sockets = [1, 2, 3, 4, 5].map(() => createSocket({ url: URL }))
    sockets.forEach((s) => record(s))
    const sixth = createSocket({ url: URL })
    const { done } = record(sixth)
    expect(fake.tasks).toHaveLength(5)
    expect((done.error as Error).message).toBe(
      'connectSocket:fail too many sockets (WeChat allows at most 5 open at once; close one first)',
    )
    fake.tasks[0].open()
    sockets[0].close()
    fake.tasks[0].close(1000)
    const again = record(sixth)
    expect(fake.tasks).toHaveLength(6)
    expect(again.done.error).toBeUndefined()
    await expectClean()
  })

  it('a sixth socket waits while one of the five is closing, and connects on its onClose', async () => {
    const sockets = [1, 2, 3, 4, 5].map(() => createSocket({ url: URL }))
    sockets.forEach((s) => record(s))
    fake.tasks.forEach((task) => task.open())
    sockets[0].close() // WeChat still counts the task until its onClose
    const sixth = createSocket({ url: URL })
    const { done } = record(sixth)
    expect(sixth.state).toBe('connecting')
    expect(fake.tasks).toHaveLength(5)
    fake.tasks[0].close(1000)
    expect(fake.tasks).toHaveLength(6)
    fake.last.open()
    expect(sixth.state).toBe('open')
    expect(done.error).toBeUndefined()
    await expectClean()
  })

  it("maps wx's own 'exceed max task count' to the same error, without reconnecting", async () => {
    const socket = createSocket({ url: URL })
    const { done } = record(socket)
    fake.last.error('exceed max task count')
    expect((done.error as Error).message).toMatch(/^connectSocket:fail too many sockets/)
    jest.advanceTimersByTime(60000)
    expect(fake.tasks).toHaveLength(1)
    await expectClean()
  })

  it('a connectSocket fail callback counts as a failed attempt', async () => {
    fake.connectFails = 'network is down'
    const socket = createSocket({ url: URL, reconnect: { limit: 1, initial: 10, jitter: 0 } })
    const { done } = record(socket)
    await flush()
    expect(socket.state).toBe('reconnecting')
    jest.advanceTimersByTime(10)
    await flush()
    expect((done.error as Error).message).toMatch(/reconnect limit reached.*network is down/)
    await expectClean()
  })

  it('errors with not supported when wx has no connectSocket', async () => {
    delete fake.wx.connectSocket
    const socket = createSocket({ url: URL })
    const { done } = record(socket)
    expect((done.error as Error).message).toBe('connectSocket:fail not supported')
    await expectClean()
  })

  it('rejects bad options with a TypeError naming the field', () => {
    expect(() => createSocket(undefined as never)).toThrow(
      /createSocket: `options` must be an object/,
    )
    expect(() => createSocket({ url: 'http://x' })).toThrow(
      'createSocket: `options.url` must be a ws:// or wss:// URL, got "http://x"',
    )
    expect(() => createSocket({ url: URL, bufferLimit: -1 })).toThrow(/options\.bufferLimit/)
    expect(() => createSocket({ url: URL, openTimeout: 0 })).toThrow(/options\.openTimeout/)
    expect(() => createSocket({ url: URL, reconnect: { factor: 0.5 } })).toThrow(
      /options\.reconnect\.factor/,
    )
    expect(() => createSocket({ url: URL, reconnect: { jitter: 2 } })).toThrow(
      'createSocket: `options.reconnect.jitter` must be a number from 0 to 1, got number 2',
    )
    expect(() => createSocket({ url: URL, reconnect: { max: Infinity } })).toThrow(
      /options\.reconnect\.max/,
    )
    expect(() => createSocket({ url: URL, reconnect: { limit: 1.5 } })).toThrow(
      /options\.reconnect\.limit/,
    )
    expect(() => createSocket({ url: URL, reconnect: 'yes' as never })).toThrow(
      /options\.reconnect/,
    )
    expect(() => createSocket({ url: URL, serializer: 'x' as never })).toThrow(
      /options\.serializer/,
    )
    expect(() => createSocket({ url: URL }).close(1.5)).toThrow(TypeError)
  })

  it('leaves no network listener and no timer after the last unsubscribe', async () => {
    const socket = createSocket({ url: URL })
    const sub = socket.messages$.subscribe()
    await flush()
    expect(fake.networkListeners).toHaveLength(1)
    fake.last.open()
    sub.unsubscribe()
    fake.last.close(1000)
    await flush()
    expect(fake.networkListeners).toHaveLength(0)
    expect(fake.offCalls).toHaveLength(1)
    expect(jest.getTimerCount()).toBe(0)
  })
})
