// Request toolkit: (a) per-call cost of a pool wrapped in withAuth + withDedupe against the bare
// pool, through the Node wx host to a local server (distinct URLs, so nothing is shared: this is
// the wrappers' overhead, not their savings); (b) the same on a synchronous fake wx, where the
// wrappers' own CPU time is all there is to see; (c) a page opening 20 components that ask the
// query client for the same 5 keys: wire requests the server saw. Uses the built package.
//   node bench/toolkit.mjs [--rounds N]
import { Worker } from 'node:worker_threads'
import { join } from 'node:path'
import { compare, median, require, root, syncFakeWx, time } from './lib.mjs'

const CALLS = 400
const SYNC_CALLS = 20000
const BURST = 50
const CONCURRENCY = 5

// The server runs in a worker thread (a phone and its server do not share an event loop).
const SERVER = `
const { parentPort } = require('node:worker_threads')
const http = require('node:http')
let received = 0
const server = http.createServer((req, res) => {
  received++
  req.resume()
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ url: req.url }))
})
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }))
parentPort.on('message', (m) => {
  if (m === 'received') { parentPort.postMessage({ received }); received = 0 }
  if (m === 'close') server.close(() => process.exit(0))
})
`

function startServer() {
  const worker = new Worker(SERVER, { eval: true })
  const next = () => new Promise((resolve) => worker.once('message', resolve))
  return next().then(({ port }) => ({
    url: 'http://127.0.0.1:' + port,
    received: () => (worker.postMessage('received'), next().then((m) => m.received)),
    close: () => (worker.postMessage('close'), new Promise((r) => worker.once('exit', r))),
  }))
}

/** The wrapped pool as an app would make it: dedupe outside, auth inside. */
function wrap(api, pool) {
  let token = 't1'
  return api.withDedupe(
    api.withAuth(pool, {
      getToken: () => token,
      refresh: async () => {
        token = 't2'
      },
    }),
  )
}

async function overOnHost(api, testing, server, rounds) {
  const host = testing.createWxHost()
  const restore = host.install()
  const options = { concurrency: CONCURRENCY, allowInsecure: true, baseURL: server.url }
  const bare = api.createRequestPool(options)
  const wrapped = wrap(api, api.createRequestPool(options))
  const batch = (pool) => async () => {
    const all = []
    for (let i = 0; i < CALLS; i++) all.push(pool.request({ url: '/item/' + i, data: { i } }))
    await Promise.all(all)
  }
  // Each round times both, in alternating order, and keeps their ratio: the median of the
  // ratios holds better than a ratio of medians while other work comes and goes.
  await batch(bare)()
  await batch(wrapped)()
  const ratios = []
  const bareMs = []
  const wrappedMs = []
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? ['wrapped', 'bare'] : ['bare', 'wrapped']
    const took = {}
    for (const name of order) took[name] = await time(batch(name === 'bare' ? bare : wrapped))
    bareMs.push(took.bare)
    wrappedMs.push(took.wrapped)
    ratios.push(took.wrapped / took.bare)
  }
  restore()
  await host.close()
  const ratio = median(ratios)
  return {
    name: 'auth + dedupe pool vs bare pool, per call (host, local server)',
    value: (median(wrappedMs) * 1000) / CALLS,
    unit: 'µs/request',
    baseline: (median(bareMs) * 1000) / CALLS,
    ratio,
    goal: '<= 1.1',
    pass: ratio <= 1.1,
    note:
      CALLS +
      ' distinct GETs per round at concurrency ' +
      CONCURRENCY +
      ' through the Node wx host to a server in a worker thread; median of the per-round ' +
      'ratios over ' +
      rounds +
      ' rounds (order alternating)',
  }
}

async function overSyncWx(api, rounds) {
  globalThis.wx = syncFakeWx()
  const bare = api.createRequestPool({ concurrency: CONCURRENCY })
  const wrapped = wrap(api, api.createRequestPool({ concurrency: CONCURRENCY }))
  const url = 'https://api.example.com/item/'
  // Bursts of 50, as pages make them: 20,000 calls pending at once would measure the
  // garbage collector walking them, not the wrappers.
  const batch = (pool) => async () => {
    for (let start = 0; start < SYNC_CALLS; start += BURST) {
      const burst = []
      for (let i = start; i < start + BURST; i++) burst.push(pool.request({ url: url + i }))
      await Promise.all(burst)
    }
  }
  const ms = await compare({ bare: batch(bare), wrapped: batch(wrapped) }, rounds)
  delete globalThis.wx
  return {
    name: 'auth + dedupe pool vs bare pool, CPU only (sync fake wx)',
    value: (ms.wrapped * 1000) / SYNC_CALLS,
    unit: 'µs/request',
    baseline: (ms.bare * 1000) / SYNC_CALLS,
    ratio: ms.wrapped / ms.bare,
    note:
      'a wx that answers inside the call: no network at all, so this is the wrappers’ own ' +
      'CPU time next to the pool’s (' +
      SYNC_CALLS +
      ' requests per round in bursts of ' +
      BURST +
      ')',
  }
}

async function pageOfComponents(api, testing, server) {
  const host = testing.createWxHost()
  const restore = host.install()
  const pool = wrap(api, api.createRequestPool({ allowInsecure: true, baseURL: server.url }))
  const queries = api.createQueryClient({ cacheTime: 0 })
  const keys = ['user', 'cart', 'feed', 'ads', 'notices']
  await server.received()
  let answered = 0
  const subscriptions = []
  await new Promise((resolve) => {
    for (let component = 0; component < 20; component++) {
      for (const key of keys) {
        const fetcher = ({ signal }) => pool.request({ url: '/' + key, signal }).then((r) => r.data)
        subscriptions.push(
          queries.query$(key, fetcher).subscribe((state) => {
            if (state.status === 'success' && ++answered === 100) resolve()
          }),
        )
      }
    }
  })
  for (const s of subscriptions) s.unsubscribe()
  const wire = await server.received()
  restore()
  await host.close()
  return {
    name: 'page of 20 components asking for the same 5 keys: wire requests',
    value: wire,
    unit: 'requests',
    goal: '== 5',
    pass: wire === 5,
    note: 'query client over withDedupe(withAuth(pool)) through the Node wx host',
  }
}

/** The toolkit benchmarks; rows for bench/run.mjs. */
export async function run({ rounds = 15 } = {}) {
  const api = require(join(root, 'dist', 'index.cjs'))
  const testing = require(join(root, 'dist', 'testing.cjs'))
  const server = await startServer()
  try {
    return [
      await overOnHost(api, testing, server, rounds),
      await overSyncWx(api, rounds),
      await pageOfComponents(api, testing, server),
    ]
  } finally {
    await server.close()
  }
}

if (import.meta.url === 'file://' + process.argv[1]) {
  const i = process.argv.indexOf('--rounds')
  const rows = await run(i > 0 ? { rounds: Number(process.argv[i + 1]) } : {})
  console.table(rows.map(({ note: _note, ...row }) => row))
  for (const row of rows) if (row.note) console.log('- ' + row.name + ': ' + row.note)
}
