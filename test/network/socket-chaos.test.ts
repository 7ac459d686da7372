// Chaos: a ws server on 127.0.0.1 that drops the connection (terminate: an unclean close)
// every 200 messages it reads, and a client that sends 10,000 numbered messages through
// send(). Two runs:
// - the socket alone: every message sent while the socket was not open arrives, in order;
//   messages handed to a connection that dies before the server reads them may be lost (a
//   WebSocket gives no receipt), and the test reports how many;
// - the documented recipe for "never lost": the server acknowledges and drops duplicates, the
//   client keeps a window of unacknowledged messages and resends them from a state$ 'open'
//   handler: all 10,000 arrive exactly once, in order.
import type { Subscription } from 'rxjs'
import { createSocket, isWxError } from 'miniprogram-rx'
import type { Socket } from 'miniprogram-rx'
import { createWxHost } from 'miniprogram-rx/testing'
import type { WxHost } from 'miniprogram-rx/testing'
import { startWsServer } from '../helpers/servers'
import type { TestWsServer } from '../helpers/servers'

const TOTAL = 10000
const DROP_EVERY = 200
const WINDOW = 150

let host: WxHost
let restore: () => void
let server: TestWsServer
const subs: Subscription[] = []

/** What the server saw: accepted numbers in arrival order, duplicates, gaps, connections. */
interface ServerLog {
  accepted: number[]
  duplicates: number
  gaps: number
  connections: number
}

async function startChaosServer(acks: boolean): Promise<ServerLog> {
  const log: ServerLog = { accepted: [], duplicates: 0, gaps: 0, connections: 0 }
  let next = 1
  server = await startWsServer((socket) => {
    log.connections += 1
    let read = 0
    socket.on('message', (data) => {
      // Frames already parsed from the same TCP chunk still come after terminate(): a dead
      // server reads nothing more.
      if (read >= DROP_EVERY) return
      read += 1
      const n = Number(String(data))
      if (acks) {
        // Go-back-N: only the next number is taken; older ones are duplicates of a resend.
        if (n === next) {
          log.accepted.push(n)
          next += 1
        } else if (n < next) log.duplicates += 1
        else log.gaps += 1
        socket.send('ack ' + (next - 1))
      } else {
        if (n <= next - 1) log.duplicates += 1
        log.accepted.push(n)
        next = Math.max(next, n + 1)
      }
      if (read === DROP_EVERY) socket.terminate()
    })
  })
  return log
}

beforeEach(() => {
  host = createWxHost()
  restore = host.install()
})

afterEach(async () => {
  for (const s of subs.splice(0)) s.unsubscribe()
  restore()
  await host.close()
  await server.close()
})

const turn = () => new Promise((resolve) => setImmediate(resolve))

async function until(check: () => boolean): Promise<void> {
  // Bounded by jest's test timeout, not by a clock of our own.
  while (!check()) await turn()
}

function countReconnects(socket: Socket<any, any>): { reconnects: number } {
  const counter = { reconnects: 0 }
  subs.push(
    socket.state$.subscribe((s) => {
      if (s === 'reconnecting') counter.reconnects += 1
    }),
  )
  return counter
}

const reconnect = { initial: 5, factor: 1.3, max: 20, jitter: 0.3, minUptime: 0 }

it('the socket alone: messages sent while not open all arrive, in order', async () => {
  const log = await startChaosServer(false)
  // A buffer smaller than the drop interval: a flush always fits in one connection's life.
  const bufferLimit = 150
  const socket = createSocket({ url: server.url, reconnect, bufferLimit })
  const counter = countReconnects(socket)
  subs.push(socket.messages$.subscribe())
  const whileNotOpen: number[] = []
  for (let n = 1; n <= TOTAL; n += 1) {
    for (;;) {
      const direct = socket.state === 'open'
      try {
        socket.send(String(n))
        if (!direct) whileNotOpen.push(n)
        break
      } catch (error) {
        // Back-pressure: the buffer is full, wait for the next open to drain it.
        expect(isWxError(error) && /buffer full/.test(error.errMsg)).toBe(true)
        await until(() => socket.buffered < bufferLimit)
      }
    }
    if (n % 25 === 0) await turn()
  }
  // The last messages can be in flight on a dying connection too: end with a marker that is
  // repeated until it arrives.
  await until(() => socket.state === 'open' && socket.buffered === 0)
  while (log.accepted[log.accepted.length - 1] !== TOTAL + 1) {
    if (socket.state === 'open') socket.send(String(TOTAL + 1))
    for (let i = 0; i < 20; i += 1) await turn()
  }
  const arrived = new Set(log.accepted.filter((n) => n <= TOTAL))
  const inOrder = log.accepted.every((n, i) => i === 0 || n > log.accepted[i - 1])
  const missing = whileNotOpen.filter((n) => !arrived.has(n))
  console.log(
    `socket chaos (socket alone): ${arrived.size}/${TOTAL} arrived, in order: ${inOrder}, ` +
      `${TOTAL - arrived.size} lost in flight on dying connections, ` +
      `${whileNotOpen.length} sent while not open (all arrived: ${missing.length === 0}), ` +
      `${counter.reconnects} reconnects, ${log.connections} connections`,
  )
  expect(missing).toEqual([])
  expect(inOrder).toBe(true)
  expect(log.duplicates).toBe(0)
  expect(log.connections).toBeGreaterThanOrEqual(Math.floor(arrived.size / DROP_EVERY))
  expect(counter.reconnects).toBeGreaterThanOrEqual(log.connections - 1)
  expect(whileNotOpen.length).toBeGreaterThan(0)
  socket.close()
  await until(() => host.socket.openCount === 0)
  for (const s of subs.splice(0)) s.unsubscribe()
  expect(host.listenerCount()).toBe(0)
})

it('with acks and resend on open (the documented recipe): all 10,000 arrive once, in order', async () => {
  const log = await startChaosServer(true)
  const socket = createSocket({ url: server.url, reconnect, bufferLimit: WINDOW })
  const counter = countReconnects(socket)
  // Unacknowledged messages, oldest first (a Map keeps insertion order).
  const unacked = new Map<number, string>()
  let resent = 0
  subs.push(
    socket.messages$.subscribe((message) => {
      const acked = Number(String(message).slice(4))
      for (const n of unacked.keys()) {
        if (n > acked) break
        unacked.delete(n)
      }
    }),
  )
  // Runs before the buffer is flushed, so the resends go first and order holds.
  subs.push(
    socket.state$.subscribe((state) => {
      if (state !== 'open') return
      for (const data of unacked.values()) {
        resent += 1
        socket.send(data)
      }
    }),
  )
  for (let n = 1; n <= TOTAL; n += 1) {
    // A window of unacknowledged messages bounds what each reconnect resends.
    if (unacked.size >= WINDOW) await until(() => unacked.size < WINDOW)
    unacked.set(n, String(n))
    socket.send(String(n))
    if (n % 25 === 0) await turn()
  }
  await until(() => log.accepted.length === TOTAL)
  const inOrder = log.accepted.every((n, i) => n === i + 1)
  console.log(
    `socket chaos (acks + resend on open): ${log.accepted.length}/${TOTAL} arrived exactly once, ` +
      `in order: ${inOrder}, ${resent} resent, ${log.duplicates} duplicates dropped by the ` +
      `server, ${counter.reconnects} reconnects, ${log.connections} connections`,
  )
  expect(inOrder).toBe(true)
  expect(log.gaps).toBe(0)
  expect(log.connections).toBeGreaterThanOrEqual(TOTAL / DROP_EVERY)
  expect(counter.reconnects).toBeGreaterThanOrEqual(log.connections - 1)
  socket.close()
  await until(() => host.socket.openCount === 0)
  for (const s of subs.splice(0)) s.unsubscribe()
  expect(host.listenerCount()).toBe(0)
})
