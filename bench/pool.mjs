// Request pool: (a) scheduling cost per request against p-queue driving the same synchronous
// fake wx; (b) 500 requests at concurrency 5 against a local server answering after 20 ms,
// wall time / ideal; (c) the most requests the server saw at once. Uses the built package
// (dist/index.cjs) and host (dist/testing.cjs): run `npx rollup -c` first.
//   node bench/pool.mjs [--rounds N]
import { Worker } from 'node:worker_threads'
import { compare, median, require, root, syncFakeWx, time } from './lib.mjs'
import { runPlatform } from './pool-platform.mjs'
import { join } from 'node:path'

const CALLS = 20000
const SLOW = { count: 500, concurrency: 5, delay: 20 }

// The server runs in a worker thread, so its 20 ms timers are not delayed by the client's
// work on the main thread (a phone and its server do not share an event loop either).
const SERVER = `
const { parentPort, workerData } = require('node:worker_threads')
const http = require('node:http')
let inFlight = 0, max = 0
const server = http.createServer((req, res) => {
  inFlight++; if (inFlight > max) max = inFlight
  let done = false
  const finish = () => { if (!done) { done = true; inFlight-- } }
  res.on('finish', finish); res.on('close', finish)
  req.resume()
  setTimeout(() => res.end('ok'), workerData.delay)
})
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }))
parentPort.on('message', (m) => {
  if (m === 'stats') { parentPort.postMessage({ max }); max = inFlight }
  if (m === 'close') server.close(() => process.exit(0))
})
`

function startServer(delay) {
  const worker = new Worker(SERVER, { eval: true, workerData: { delay } })
  const next = () => new Promise((resolve) => worker.once('message', resolve))
  return next().then(({ port }) => ({
    url: 'http://127.0.0.1:' + port,
    maxInFlight: () => (worker.postMessage('stats'), next().then((m) => m.max)),
    close: () => (worker.postMessage('close'), new Promise((r) => worker.once('exit', r))),
  }))
}

async function schedulingCost(api, rounds) {
  const { default: PQueue } = await import('p-queue')
  const wx = syncFakeWx()
  globalThis.wx = wx
  const pool = api.createRequestPool({ concurrency: 5 })
  const queue = new PQueue({ concurrency: 5 })
  const url = 'https://api.example.com/item'
  // p-queue gets the least it needs to be a fair baseline: a promise around wx.request
  // that rejects outside 2xx. The pool also validates, merges headers, checks the URL,
  // applies the retry policy and keeps its stats.
  const viaQueue = () =>
    queue.add(
      () =>
        new Promise((resolve, reject) =>
          wx.request({
            url,
            success: (r) => (r.statusCode >= 200 && r.statusCode < 300 ? resolve(r) : reject(r)),
            fail: reject,
          }),
        ),
    )
  const batch = (call) => async () => {
    const all = new Array(CALLS)
    for (let i = 0; i < CALLS; i++) all[i] = call()
    await Promise.all(all)
  }
  const ms = await compare(
    { pool: batch(() => pool.request({ url })), pQueue: batch(viaQueue) },
    rounds,
  )
  delete globalThis.wx
  const perCall = (name) => (ms[name] * 1000) / CALLS // µs
  return {
    name: 'scheduling cost per request vs p-queue',
    value: perCall('pool'),
    unit: 'µs/request',
    baseline: perCall('pQueue'),
    ratio: ms.pool / ms.pQueue,
    goal: '<= 1.0',
    pass: ms.pool / ms.pQueue <= 1.0,
    note: 'synchronous zero-latency fake wx, ' + CALLS + ' requests per round, median of ' + rounds,
  }
}

async function slowServer(api, testing, rounds) {
  const server = await startServer(SLOW.delay)
  const host = testing.createWxHost()
  const restore = host.install()
  const pool = api.createRequestPool({
    concurrency: SLOW.concurrency,
    allowInsecure: true,
    baseURL: server.url,
  })
  const viaPool = async () => {
    const all = []
    for (let i = 0; i < SLOW.count; i++) all.push(pool.request({ url: '/' + i }))
    await Promise.all(all)
  }
  // The floor of the stack without the pool: `concurrency` hand-written chains of bare
  // wx.request calls through the same host to the same server.
  const bare = async () => {
    let next = 0
    const one = (url) =>
      new Promise((resolve, reject) =>
        globalThis.wx.request({ url, success: resolve, fail: reject }),
      )
    const chain = async () => {
      while (next < SLOW.count) await one(server.url + '/' + next++)
    }
    await Promise.all(Array.from({ length: SLOW.concurrency }, chain))
  }
  await viaPool() // warm-up
  await bare()
  await server.maxInFlight()
  const walls = []
  const floors = []
  let maxSeen = 0
  // Each round lasts at least the ideal 2 s, so fewer rounds than the fast measure.
  const slowRounds = Math.max(3, Math.min(rounds, 5))
  for (let r = 0; r < slowRounds; r++) {
    walls.push(await time(viaPool))
    maxSeen = Math.max(maxSeen, await server.maxInFlight())
    floors.push(await time(bare))
    await server.maxInFlight()
  }
  restore()
  await host.close()
  await server.close()
  const ideal = (SLOW.count / SLOW.concurrency) * SLOW.delay
  const wall = median(walls)
  const floor = median(floors)
  return [
    {
      name: '500 requests at concurrency 5, 20 ms server: wall / ideal',
      value: wall,
      unit: 'ms',
      baseline: ideal,
      ratio: wall / ideal,
      goal: '<= 1.05',
      pass: wall / ideal <= 1.05,
      note:
        'through the Node wx host (connections kept alive, as WeChat clients do) to a server ' +
        'in a worker thread; median of ' +
        slowRounds +
        ' rounds. Bare wx.request chains through the same host take ' +
        (floor / ideal).toFixed(3) +
        ' x ideal: the floor of this stack',
    },
    {
      name: '500 requests at concurrency 5: pool vs bare wx.request chains',
      value: wall,
      unit: 'ms',
      baseline: floor,
      ratio: wall / floor,
      note: 'what the pool itself adds on the same host and server, rounds interleaved',
    },
    {
      name: 'most requests in flight at the server',
      value: maxSeen,
      unit: 'requests',
      goal: '== ' + SLOW.concurrency,
      pass: maxSeen === SLOW.concurrency,
    },
  ]
}

/** The pool benchmarks; rows for bench/run.mjs. */
export async function run({ rounds = 15 } = {}) {
  const api = require(join(root, 'dist', 'index.cjs'))
  const testing = require(join(root, 'dist', 'testing.cjs'))
  const rows = [await schedulingCost(api, rounds)]
  rows.push(...(await slowServer(api, testing, rounds)))
  // Issue 11: idle latency, abort scale, chaos, offline mid-burst, background.
  rows.push(...(await runPlatform()))
  return rows
}

if (import.meta.url === 'file://' + process.argv[1]) {
  const i = process.argv.indexOf('--rounds')
  const rows = await run(i > 0 ? { rounds: Number(process.argv[i + 1]) } : {})
  console.table(rows.map(({ note: _note, ...row }) => row))
  for (const row of rows) if (row.note) console.log('- ' + row.name + ': ' + row.note)
}
