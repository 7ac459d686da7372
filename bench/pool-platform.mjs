// Request pool under the platform's behaviour (issue 11): idle latency and wx calls per request
// on a 2 ms bridge, aborting 50k queued calls, chaos with faults drawn per attempt, offline
// mid-burst with the status event late or never, and the app hidden mid-call. Uses the built
// package (dist/index.cjs) and host (dist/testing.cjs).
//   node bench/pool-platform.mjs
import { Worker } from 'node:worker_threads'
import { join } from 'node:path'
import { compare, require, root, time } from './lib.mjs'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const settle = (p) =>
  p.then(
    (value) => ({ ok: true, value }),
    (error) => ({ ok: false, error }),
  )

/** A wx whose async APIs answer `latency` ms later (the bridge between JS and the client). */
function bridgeWx(latency) {
  const calls = {}
  const count = (name) => (calls[name] = (calls[name] || 0) + 1)
  const result = { errMsg: 'request:ok', statusCode: 200, data: 'ok', header: {}, cookies: [] }
  const task = { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} }
  const wx = {
    request(o) {
      count('request')
      setTimeout(() => o.success(result), latency)
      return task
    },
    getNetworkType(o) {
      count('getNetworkType')
      setTimeout(() => o.success({ errMsg: 'getNetworkType:ok', networkType: 'wifi' }), latency)
    },
  }
  for (const name of ['NetworkStatusChange', 'AppShow', 'AppHide']) {
    wx['on' + name] = () => count('on' + name)
    wx['off' + name] = () => count('off' + name)
  }
  return { wx, calls }
}

export async function idleLatency(api) {
  // 1000 requests per side, in 20 interleaved rounds of 50 (A B A B ...): the machine is
  // shared, and a median over short rounds lets a burst of someone else's work move both.
  const ROUNDS = 20
  const N = 50
  const { wx, calls } = bridgeWx(2)
  globalThis.wx = wx
  const pool = api.createRequestPool()
  const url = 'https://api.example.com/item'
  const bare = () =>
    new Promise((resolve, reject) => wx.request({ url, success: resolve, fail: reject }))
  const sequential = (one) => async () => {
    for (let i = 0; i < N; i++) await one()
  }
  const ms = await compare(
    { pool: sequential(() => pool.request({ url })), bare: sequential(bare) },
    ROUNDS,
  )
  // wx calls of one more sequential run through the (now idle) pool, request excluded.
  for (const key of Object.keys(calls)) delete calls[key]
  for (let r = 0; r < ROUNDS; r++) await sequential(() => pool.request({ url }))()
  const requests = calls.request
  const extra = Object.keys(calls).reduce(
    (sum, key) => (key === 'request' ? sum : sum + calls[key]),
    0,
  )
  delete globalThis.wx
  return [
    {
      name: 'idle pool: sequential awaited requests vs bare wx.request (2 ms bridge)',
      value: ms.pool / N,
      unit: 'ms/request',
      baseline: ms.bare / N,
      ratio: ms.pool / ms.bare,
      goal: '<= 1.05',
      pass: ms.pool / ms.bare <= 1.05,
      note: N + ' requests per round, median of ' + ROUNDS + ' interleaved rounds after a warm-up',
    },
    {
      name: 'idle pool: wx calls per request beyond the request',
      value: extra / requests,
      unit: 'calls/request',
      goal: '<= 1.1',
      pass: extra / requests <= 1.1,
      note: JSON.stringify(calls),
    },
  ]
}

export async function abortScale(api) {
  const N = 50000
  globalThis.wx = {
    request: () => ({ abort() {} }),
    getNetworkType: (o) => o.success({ networkType: 'wifi' }),
    onNetworkStatusChange() {},
    offNetworkStatusChange() {},
  }
  const run = async (newestFirst) => {
    const pool = api.createRequestPool({ concurrency: 1, waitForNetwork: false })
    const calls = []
    for (let i = 0; i < N; i++) {
      const call = pool.request({ url: 'https://api.example.com/' + i })
      call.catch(() => undefined)
      calls.push(call)
    }
    if (newestFirst) calls.reverse()
    return time(() => {
      for (const call of calls) call.abort()
    })
  }
  await run(false)
  const oldest = Math.min(await run(false), await run(false))
  const newest = Math.min(await run(true), await run(true))
  delete globalThis.wx
  return {
    name: 'abort ' + N + ' queued calls: newest-first / oldest-first per call',
    value: (newest * 1000) / N,
    unit: 'µs/abort',
    baseline: (oldest * 1000) / N,
    ratio: newest / oldest,
    goal: '<= 2',
    pass: newest / oldest <= 2,
  }
}

// A server in a worker thread (its timers are not delayed by the client's work), with the
// fault plan drawn per attempt by the server.
const SERVER = `
const { parentPort } = require('node:worker_threads')
const http = require('node:http')
let inFlight = 0, max = 0
const posts = {}
const held = []
const server = http.createServer((req, res) => {
  inFlight++; if (inFlight > max) max = inFlight
  let done = false
  const finish = () => { if (!done) { done = true; inFlight-- } }
  res.on('finish', finish); res.on('close', finish)
  req.resume()
  const url = new URL(req.url, 'http://x')
  if (req.method === 'POST') posts[url.pathname] = (posts[url.pathname] || 0) + 1
  if (url.pathname.startsWith('/chaos/')) {
    const r = Math.random()
    if (r < 0.15) { res.writeHead(503, { 'Retry-After': '1' }); return res.end() }
    if (r < 0.3) { res.writeHead(503); return res.end() }
    if (r < 0.4) return req.socket.destroy()
    if (r < 0.5) return // stall: the client's timeout ends it
    return setTimeout(() => res.end('ok'), 1)
  }
  if (url.pathname.startsWith('/hold/')) return held.push(res)
  setTimeout(() => res.end('ok'), Number(url.searchParams.get('ms') || 1))
})
server.keepAliveTimeout = 60000
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }))
parentPort.on('message', (m) => {
  if (m === 'stats') { parentPort.postMessage({ max, posts: { ...posts } }); max = inFlight; for (const k in posts) delete posts[k] }
  if (m === 'release') { for (const res of held.splice(0)) res.end('ok'); parentPort.postMessage({}) }
  if (m === 'close') server.close(() => process.exit(0))
})
`

function startServer() {
  const worker = new Worker(SERVER, { eval: true })
  const next = () => new Promise((resolve) => worker.once('message', resolve))
  return next().then(({ port }) => ({
    url: 'http://127.0.0.1:' + port,
    stats: () => (worker.postMessage('stats'), next()),
    release: () => (worker.postMessage('release'), next()),
    close: () => (worker.postMessage('close'), new Promise((r) => worker.once('exit', r))),
  }))
}

async function chaos(api, testing, server) {
  const GETS = 6000
  const POSTS = 600
  const CONCURRENCY = 8
  const LIMIT = 2
  const host = testing.createWxHost({ http: { maxConcurrent: 10 } })
  const restore = host.install()
  await server.stats()
  const pool = api.createRequestPool({
    concurrency: CONCURRENCY,
    allowInsecure: true,
    baseURL: server.url,
    timeout: 50,
    retry: { limit: LIMIT, delay: 1, maxDelay: 4, maxRetryAfter: 5 },
  })
  const gets = []
  const posts = []
  for (let i = 0; i < GETS; i++) gets.push(settle(pool.request({ url: '/chaos/g' + i })))
  for (let i = 0; i < POSTS; i++) {
    posts.push(settle(pool.request({ url: '/chaos/p' + i, method: 'POST', data: 'x' })))
  }
  const results = await Promise.all([...gets, ...posts])
  const { max, posts: seen } = await server.stats()
  const stats = pool.getStats()
  restore()
  await host.close()
  const p = 0.5
  const expected = 1 - Math.pow(p, LIMIT + 1)
  const getOk = results.slice(0, GETS).filter((r) => r.ok).length / GETS
  const postCounts = Object.values(seen)
  const oncePerPost = postCounts.length === POSTS && postCounts.every((n) => n === 1)
  const settled = results.length === GETS + POSTS && stats.done + stats.failed === GETS + POSTS
  return [
    {
      name: 'chaos (30% 503 half with Retry-After, 10% reset, 10% stall): GET success',
      value: getOk,
      unit: 'share',
      baseline: expected,
      goal: 'within 0.01 of 1 - p^(limit+1)',
      pass: Math.abs(getOk - expected) <= 0.01,
      note: GETS + ' GETs, limit ' + LIMIT + ', faults drawn per attempt by the server',
    },
    {
      name: 'chaos: calls settled',
      value: stats.done + stats.failed,
      unit: 'calls',
      baseline: GETS + POSTS,
      goal: '100%',
      pass: settled,
    },
    {
      name: 'chaos: most in flight (server / host)',
      value: max,
      unit: 'requests',
      baseline: host.http.maxInFlight,
      goal: '== ' + CONCURRENCY,
      pass: max === CONCURRENCY && host.http.maxInFlight === CONCURRENCY,
    },
    {
      name: 'chaos: each POST on the wire exactly once',
      value: postCounts.filter((n) => n === 1).length,
      unit: 'POSTs',
      baseline: POSTS,
      goal: 'all',
      pass: oncePerPost,
    },
  ]
}

async function offlineBurst(api, testing, server, delay) {
  const host = testing.createWxHost({ networkEventDelay: delay })
  const restore = host.install()
  await server.stats()
  const pool = api.createRequestPool({ concurrency: 5, allowInsecure: true, baseURL: server.url })
  const calls = []
  for (let i = 0; i < 294; i++)
    calls.push(['GET', settle(pool.request({ url: '/burst/g' + i + '?ms=20' }))])
  for (let i = 0; i < 43; i++) {
    const url = '/burst/p' + i + '?ms=20'
    calls.push(['POST', settle(pool.request({ url, method: 'POST', data: 'x' })), url])
  }
  await sleep(200)
  host.setNetwork({ isConnected: false })
  await sleep(1500)
  host.setNetwork({ isConnected: true })
  const results = await Promise.all(calls.map(([, p]) => p))
  const { posts } = await server.stats()
  await pool.onIdle()
  restore()
  await host.close()
  const getsOk = calls.every(([method], i) => method !== 'GET' || results[i].ok)
  const postsFailedUnsent = calls.filter(
    ([method, , url], i) => method === 'POST' && !results[i].ok && !posts[url.split('?')[0]],
  ).length
  const retried = pool.getStats().retried
  return {
    name:
      'offline 1.5 s mid-burst, status event ' + delay + (delay === 'never' ? '' : ' ms') + ' late',
    value: retried,
    unit: 'retries spent',
    baseline: postsFailedUnsent,
    goal: '0 retries, 0 POSTs failed unsent (baseline), every GET ok',
    pass: retried === 0 && postsFailedUnsent === 0 && getsOk,
    note:
      '294 GETs + 43 POSTs at concurrency 5, 20 ms server; GETs ok: ' +
      getsOk +
      ', POSTs failed (sent): ' +
      calls.filter(([method], i) => method === 'POST' && !results[i].ok).length +
      ', POSTs the server saw twice (cut on the wire with ERR_OFFLINE before any header): ' +
      Object.values(posts).filter((n) => n > 1).length,
  }
}

async function background(api, testing, server) {
  const host = testing.createWxHost()
  const restore = host.install()
  const pool = api.createRequestPool({ allowInsecure: true, baseURL: server.url })
  await server.stats()
  const get = settle(pool.request({ url: '/hold/get' }))
  const post = settle(pool.request({ url: '/hold/post', method: 'POST', data: 'x' }))
  await sleep(100)
  host.hide()
  await sleep(10000)
  host.show()
  // The GET is sent again after show; the held first attempts were cut at 5 s.
  await sleep(100)
  await server.release()
  const [getResult, postResult] = await Promise.all([get, post])
  const { posts } = await server.stats()
  const retried = pool.getStats().retried
  restore()
  await host.close()
  const postCode = postResult.ok ? 'ok' : postResult.error.code
  return {
    name: 'app hidden 10 s (grace 5 s) with a GET and a POST on the wire',
    value: retried,
    unit: 'retries spent',
    goal: 'GET ok, 0 retries; POST rejects ERR_INTERRUPTED, sent once',
    pass:
      getResult.ok && retried === 0 && postCode === 'ERR_INTERRUPTED' && posts['/hold/post'] === 1,
    note:
      'GET ok: ' +
      getResult.ok +
      ', POST: ' +
      postCode +
      ', POST sent ' +
      posts['/hold/post'] +
      ' time(s)',
  }
}

/** The platform rows for bench/pool.mjs. */
export async function runPlatform() {
  const api = require(join(root, 'dist', 'index.cjs'))
  const testing = require(join(root, 'dist', 'testing.cjs'))
  const rows = [...(await idleLatency(api)), await abortScale(api)]
  const server = await startServer()
  try {
    rows.push(...(await chaos(api, testing, server)))
    for (const delay of [0, 50, 1000, 'never'])
      rows.push(await offlineBurst(api, testing, server, delay))
    rows.push(await background(api, testing, server))
  } finally {
    await server.close()
  }
  return rows
}

if (import.meta.url === 'file://' + process.argv[1]) {
  const rows = await runPlatform()
  console.table(rows.map(({ note: _note, ...row }) => row))
  for (const row of rows) if (row.note) console.log('- ' + row.name + ': ' + row.note)
}
