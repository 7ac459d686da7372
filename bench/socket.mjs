// Socket throughput: messages per second received through createSocket().messages$ against
// raw SocketTask.onMessage, on the same local ws server, in the same run, interleaved round
// by round, medians over rounds. And the cost per message of flushing the send buffer on open,
// 100k messages against 10k (the flush must be O(n)), measured on a stub wx whose
// SocketTask.send only counts, so the figure is the SDK's own work. Uses the BUILT package
// (`npx rollup -c` first).
//   node bench/socket.mjs [--rounds N]
import { existsSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createRequire } from 'node:module'
import { setImmediate as turn } from 'node:timers/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

/** Messages the server sends per measured burst. */
const BURST = 20000
const PAYLOAD = JSON.stringify({ type: 'tick', id: 123456, text: 'x'.repeat(24) })

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function startServer() {
  const { WebSocketServer } = require('ws')
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      // "go <n>": a burst of n messages, as fast as the server can write them.
      const n = Number(String(data).slice(3))
      for (let i = 0; i < n; i += 1) socket.send(PAYLOAD)
    })
  })
  await new Promise((resolve) => wss.once('listening', resolve))
  return {
    url: 'ws://127.0.0.1:' + wss.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
}

/**
 * A receiver measured by `burst()`: asks the server for BURST messages and resolves with the
 * milliseconds until the last one was handled by `onEach`.
 */
function receiver(sendGo) {
  let remaining = 0
  let done
  return {
    onEach() {
      remaining -= 1
      if (remaining === 0) done()
    },
    burst() {
      return new Promise((resolve) => {
        const start = process.hrtime.bigint()
        remaining = BURST
        done = () => resolve(Number(process.hrtime.bigint() - start) / 1e6)
        sendGo('go ' + BURST)
      })
    },
  }
}

/** Buffered messages in the small and the large flush. */
const FLUSH_SMALL = 10000
const FLUSH_LARGE = 100000

/** A wx with just enough of connectSocket for createSocket; `open()` opens the last task. */
function stubWx() {
  let last
  const noop = () => undefined
  const wx = {
    connectSocket(options) {
      const task = {
        listeners: {},
        sent: 0,
        onOpen: (fn) => (task.listeners.open = fn),
        onMessage: noop,
        onError: noop,
        onClose: (fn) => (task.listeners.close = fn),
        send() {
          task.sent += 1
        },
        close() {
          task.listeners.close({ code: 1000, reason: '' })
        },
      }
      last = task
      Promise.resolve().then(() => options.success?.({ errMsg: 'connectSocket:ok' }))
      return task
    },
    getNetworkType: (options) => options.success({ networkType: 'wifi' }),
    onNetworkStatusChange: noop,
    offNetworkStatusChange: noop,
  }
  return { wx, last: () => last }
}

/**
 * A full garbage collection, so the garbage of setting a flush up (the sends that filled the
 * buffer) is not collected inside the measured flush: without it, the 100k flush pays for
 * more of its own set-up than the 10k one (about 1.2x instead of 1.0x per message).
 */
const collectGarbage = (() => {
  try {
    setFlagsFromString('--expose-gc')
    return runInNewContext('gc')
  } catch {
    return () => undefined
  }
})()

/** ns per message to flush `count` buffered messages when the socket opens. */
function flushCost(sdk, stub, count) {
  const socket = sdk.createSocket({
    url: 'wss://bench.invalid/',
    bufferLimit: Infinity,
    openTimeout: Infinity,
  })
  for (let i = 0; i < count; i += 1) socket.send('message')
  const sub = socket.messages$.subscribe()
  const task = stub.last()
  collectGarbage()
  const start = process.hrtime.bigint()
  task.listeners.open({ header: {} }) // the flush runs inside onOpen
  const ns = Number(process.hrtime.bigint() - start)
  if (socket.buffered !== 0 || task.sent !== count) throw new Error('flush incomplete')
  sub.unsubscribe()
  return ns / count
}

/** The flush rows: cost per message at 100k against 10k, medians over interleaved rounds. */
function flushRows(sdk, rounds) {
  const stub = stubWx()
  const previous = globalThis.wx
  globalThis.wx = stub.wx
  try {
    const small = []
    const large = []
    flushCost(sdk, stub, FLUSH_LARGE) // warm-up
    for (let r = 0; r < rounds; r += 1) {
      // As many small flushes as make one large one: both samples cover the same messages.
      let smallTotal = 0
      for (let i = 0; i < FLUSH_LARGE / FLUSH_SMALL; i += 1) {
        smallTotal += flushCost(sdk, stub, FLUSH_SMALL)
      }
      small.push(smallTotal / (FLUSH_LARGE / FLUSH_SMALL))
      large.push(flushCost(sdk, stub, FLUSH_LARGE))
    }
    const value = median(large)
    const baseline = median(small)
    const ratio = value / baseline
    return [
      {
        name: 'flush buffer on open: per message, 100k vs 10k buffered',
        value,
        unit: 'ns/msg',
        baseline,
        ratio,
        goal: '<= 1.3',
        pass: ratio <= 1.3,
        note: `stub wx (send only counts), full GC before each flush, median of ${rounds} rounds`,
      },
    ]
  } finally {
    globalThis.wx = previous
  }
}

/** Runs the benchmark; rows for `bench/run.mjs`. */
export async function run({ rounds = 15 } = {}) {
  const dist = join(here, '..', 'dist')
  if (!existsSync(join(dist, 'index.cjs')) || !existsSync(join(dist, 'testing.cjs'))) {
    throw new Error('bench/socket.mjs needs the built package: run `npx rollup -c` first')
  }
  const sdk = require(join(dist, 'index.cjs'))
  const { createWxHost } = require(join(dist, 'testing.cjs'))
  const flush = flushRows(sdk, rounds)
  const server = await startServer()
  const host = createWxHost()
  const restore = host.install()
  const opened = []
  try {
    // Raw: one SocketTask, listeners attached by hand.
    const task = host.wx.connectSocket({ url: server.url })
    const raw = receiver((data) => task.send({ data }))
    task.onMessage(() => raw.onEach())
    opened.push(new Promise((resolve) => task.onOpen(resolve)))

    // Raw + JSON.parse: the baseline of json: true.
    const jsonTask = host.wx.connectSocket({ url: server.url })
    const rawJson = receiver((data) => jsonTask.send({ data }))
    jsonTask.onMessage((result) => {
      JSON.parse(result.data)
      rawJson.onEach()
    })
    opened.push(new Promise((resolve) => jsonTask.onOpen(resolve)))

    // The SDK: messages$ of createSocket, plain and json.
    const socket = sdk.createSocket({ url: server.url })
    const rx = receiver((data) => socket.send(data))
    const sub = socket.messages$.subscribe(() => rx.onEach())
    const jsonSocket = sdk.createSocket({ url: server.url, json: true, serializer: String })
    const rxJson = receiver((data) => jsonSocket.send(data))
    const jsonSub = jsonSocket.messages$.subscribe(() => rxJson.onEach())
    await Promise.all(opened)
    for (const s of [socket, jsonSocket]) {
      while (s.state !== 'open') await turn()
    }

    const cases = { raw, rx, rawJson, rxJson }
    const names = Object.keys(cases)
    const samples = Object.fromEntries(names.map((n) => [n, []]))
    for (const n of names) await cases[n].burst() // warm-up
    for (let r = 0; r < rounds; r += 1) {
      // Rotating order, so neither side always runs first on a warm or cold machine.
      for (let i = 0; i < names.length; i += 1) {
        const n = names[(i + r) % names.length]
        samples[n].push(await cases[n].burst())
      }
    }
    const rate = (n) => BURST / (median(samples[n]) / 1000)

    sub.unsubscribe()
    jsonSub.unsubscribe()
    task.close({})
    jsonTask.close({})
    // Let the close handshakes finish before the host goes (no close timer left behind).
    for (const s of [socket, jsonSocket]) {
      while (s.state !== 'closed') await turn()
    }
    const rows = []
    const row = (name, candidate, baseline, goal, note) => {
      const value = rate(candidate)
      const base = rate(baseline)
      const ratio = value / base
      rows.push({
        name,
        value,
        unit: 'msg/s',
        baseline: base,
        ratio,
        ...(goal ? { goal: '>= ' + goal, pass: ratio >= goal } : {}),
        note,
      })
    }
    row(
      'messages$ vs SocketTask.onMessage',
      'rx',
      'raw',
      0.9,
      `${BURST} messages of ${PAYLOAD.length} B per burst, median of ${rounds} rounds`,
    )
    row(
      'messages$ (json: true) vs onMessage + JSON.parse',
      'rxJson',
      'rawJson',
      undefined,
      'same bursts, parsed',
    )
    return [...rows, ...flush]
  } finally {
    restore()
    await host.close()
    await server.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--rounds')
  const rounds = i > 0 ? Number(process.argv[i + 1]) : 15
  for (const r of await run({ rounds })) {
    console.log(
      `${r.name}: ${r.value.toFixed(0)} ${r.unit} vs ${r.baseline.toFixed(0)} ` +
        `(ratio ${r.ratio.toFixed(3)}${r.goal ? ', goal ' + r.goal + (r.pass ? ' ok' : ' MISSED') : ''})` +
        (r.note ? ' - ' + r.note : ''),
    )
  }
}
