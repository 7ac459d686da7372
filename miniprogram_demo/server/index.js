#!/usr/bin/env node
// The demo's local server: HTTP and WebSocket on one port.
//
//   node miniprogram_demo/server --port 3000 --host 0.0.0.0
//
// Routes
//   GET  /ping                 "pong"
//   ANY  /echo                 the request back as JSON (method, path, query, headers, body)
//   GET  /items?page=&size=    a page of fake items (JSON)
//   GET  /slow?ms=             JSON after a delay; the server counts requests in flight
//   GET  /flaky?key=&fail=     503 with Retry-After: 1 for the first `fail` calls of `key`, then 200
//   POST /upload               multipart receiver: field names, file names and byte counts
//   GET  /files/sample.pdf     a one-page PDF
//   GET  /files/track.mp3      30 s of MP3 silence (?seconds= to change)
//   GET  /files/image.png      a PNG (?w=&h=)
//   GET  /files/blob?size=     `size` bytes, for download progress
//   POST /chat                 {"q": question, "ms": gap} streams an answer as Server-Sent Events,
//                              one `event: token` per word, then `event: done`
//   GET  /stats                { inFlight, maxInFlight, received, flakyFailures, chat }
//   POST /stats/reset
//   WS   /ws                   echo; `{"type":"stats"}` answers the connection count
'use strict'
const http = require('node:http')
const { URL } = require('node:url')
const Busboy = require('busboy')
const { WebSocketServer } = require('ws')
const assets = require('./assets')

/**
 * Starts the demo server. Resolves with `{ url, wsUrl, port, stats(), close() }`.
 * @param {{ port?: number, host?: string }} options port 0 picks a free port
 */
async function startDemoServer(options = {}) {
  const host = options.host || '127.0.0.1'
  const stats = { inFlight: 0, maxInFlight: 0, received: 0, flakyFailures: 0, uploads: 0 }
  // Chat streams: started, finished, cut short by the client, and tokens written.
  const chat = { started: 0, completed: 0, aborted: 0, tokens: 0 }
  const flaky = new Map()
  const cache = new Map()
  const cached = (key, make) => {
    if (!cache.has(key)) cache.set(key, make())
    return cache.get(key)
  }
  const sockets = new Set()
  // request toolkit page: the one token the server accepts, refreshes made, news answers held.
  const toolkit = { token: 'tk-1', issued: 1, refreshes: 0, unauthorized: 0, hold: false, held: [] }

  const json = (res, status, value, headers = {}) => {
    const body = Buffer.from(JSON.stringify(value))
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': body.length,
      ...headers,
    })
    res.end(body)
  }
  const send = (res, type, buf) => {
    res.writeHead(200, { 'content-type': type, 'content-length': buf.length })
    res.end(buf)
  }
  const readBody = (req) =>
    new Promise((resolve, reject) => {
      const chunks = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => resolve(Buffer.concat(chunks)))
      req.on('error', reject)
    })

  const server = http.createServer(async (req, res) => {
    stats.received += 1
    stats.inFlight += 1
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
    let counted = true
    const done = () => {
      if (counted) {
        counted = false
        stats.inFlight -= 1
      }
    }
    res.on('close', done)
    res.on('finish', done)
    const url = new URL(req.url, 'http://localhost')
    const q = (name, fallback) => url.searchParams.get(name) ?? fallback
    try {
      switch (url.pathname) {
        case '/ping':
          return send(res, 'text/plain', Buffer.from('pong'))
        case '/echo': {
          const body = (await readBody(req)).toString('utf8')
          return json(res, 200, {
            method: req.method,
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            headers: req.headers,
            body,
          })
        }
        case '/items': {
          const page = Math.max(1, Number(q('page', 1)) || 1)
          const size = Math.min(100, Math.max(1, Number(q('size', 10)) || 10))
          const items = Array.from({ length: size }, (_, i) => {
            const id = (page - 1) * size + i + 1
            return { id, title: 'Item ' + id }
          })
          return json(res, 200, { page, size, items })
        }
        case '/slow': {
          const ms = Math.min(10000, Math.max(0, Number(q('ms', 200)) || 0))
          setTimeout(() => json(res, 200, { waited: ms, at: Date.now() }), ms)
          return undefined
        }
        case '/flaky': {
          const key = q('key', 'default')
          const fail = Number(q('fail', 1)) || 0
          const seen = (flaky.get(key) || 0) + 1
          flaky.set(key, seen)
          if (seen <= fail) {
            stats.flakyFailures += 1
            return json(
              res,
              503,
              { error: 'busy', attempt: seen },
              { 'Retry-After': q('retryAfter', '1') },
            )
          }
          return json(res, 200, { ok: true, attempt: seen })
        }
        case '/upload': {
          if (req.method !== 'POST') return json(res, 405, { error: 'POST only' })
          const busboy = Busboy({ headers: req.headers })
          const files = []
          const fields = {}
          busboy.on('file', (field, stream, info) => {
            let bytes = 0
            stream.on('data', (c) => (bytes += c.length))
            stream.on('end', () => files.push({ field, filename: info.filename, bytes }))
          })
          busboy.on('field', (name, value) => (fields[name] = value))
          busboy.on('close', () => {
            stats.uploads += 1
            json(res, 200, { files, fields })
          })
          busboy.on('error', (e) => json(res, 400, { error: String(e.message) }))
          return req.pipe(busboy)
        }
        case '/files/sample.pdf':
          return send(
            res,
            'application/pdf',
            cached('pdf', () => assets.samplePdf()),
          )
        case '/files/track.mp3': {
          const seconds = Math.min(600, Math.max(1, Number(q('seconds', 30)) || 30))
          return send(
            res,
            'audio/mpeg',
            cached('mp3:' + seconds, () => assets.sampleMp3(seconds)),
          )
        }
        case '/files/image.png': {
          const w = Math.min(2000, Math.max(1, Number(q('w', 320)) || 320))
          const h = Math.min(2000, Math.max(1, Number(q('h', 200)) || 200))
          return send(
            res,
            'image/png',
            cached('png:' + w + 'x' + h, () => assets.samplePng(w, h)),
          )
        }
        case '/files/blob': {
          const size = Math.min(20 * 1024 * 1024, Math.max(0, Number(q('size', 1024 * 1024)) || 0))
          return send(
            res,
            'application/octet-stream',
            cached('blob:' + size, () => assets.blob(size)),
          )
        }
        case '/chat':
          return streamChat(req, res, chat, JSON.parse((await readBody(req)).toString() || '{}'))
        // request toolkit: a news list behind a Bearer token that /toolkit/expire makes stale
        // and POST /toolkit/token renews; /toolkit/hold?on=1 holds news answers until on=0.
        case '/toolkit/token':
          if (req.method !== 'POST') return json(res, 405, { error: 'POST only' })
          toolkit.refreshes += 1
          toolkit.token = 'tk-' + ++toolkit.issued
          return json(res, 200, { token: toolkit.token })
        case '/toolkit/expire':
          toolkit.token = 'tk-' + ++toolkit.issued + '-unknown-to-the-app'
          return json(res, 200, { ok: true })
        case '/toolkit/hold':
          toolkit.hold = q('on', '0') === '1'
          if (!toolkit.hold) for (const answer of toolkit.held.splice(0)) answer()
          return json(res, 200, { hold: toolkit.hold })
        case '/toolkit/stats':
          return json(res, 200, {
            refreshes: toolkit.refreshes,
            unauthorized: toolkit.unauthorized,
            token: toolkit.token,
          })
        case '/toolkit/news': {
          if (req.headers.authorization !== 'Bearer ' + toolkit.token) {
            toolkit.unauthorized += 1
            return json(res, 401, { error: 'token expired' })
          }
          const edition = toolkit.issued
          const answer = () =>
            json(res, 200, {
              edition,
              items: Array.from({ length: 5 }, (_, i) => ({
                id: i + 1,
                title: 'Story ' + (i + 1) + ' (edition ' + edition + ')',
              })),
            })
          if (toolkit.hold) toolkit.held.push(answer)
          else answer()
          return undefined
        }
        case '/stats':
          return json(res, 200, { ...stats, chat: { ...chat }, sockets: wss.clients.size })
        case '/stats/reset':
          stats.maxInFlight = stats.inFlight
          stats.received = 0
          stats.flakyFailures = 0
          stats.uploads = 0
          Object.assign(chat, { started: 0, completed: 0, aborted: 0, tokens: 0 })
          flaky.clear()
          return json(res, 200, { ok: true })
        default:
          return json(res, 404, { error: 'not found', path: url.pathname })
      }
    } catch (e) {
      return json(res, 500, { error: String(e && e.message) })
    }
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  const wss = new WebSocketServer({ server, path: '/ws' })
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (!isBinary && String(data) === '{"type":"stats"}') {
        ws.send(JSON.stringify({ type: 'stats', sockets: wss.clients.size }))
        return
      }
      ws.send(data, { binary: isBinary })
    })
  })

  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port || 0, host, resolve)
  })
  const { port } = server.address()
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host
  return {
    port,
    url: 'http://' + shownHost + ':' + port,
    wsUrl: 'ws://' + shownHost + ':' + port + '/ws',
    stats: () => ({ ...stats, chat: { ...chat }, sockets: wss.clients.size }),
    /** Closes every connection, the WebSocket server and the HTTP server. */
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** The demo's answer to `question`, as the words a model would stream. */
function answerTokens(question) {
  const text =
    'You asked: "' +
    String(question).slice(0, 80) +
    '". This answer streams from the demo server one token at a time, as Server-Sent ' +
    'Events over a chunked response, and the page shows each token as it arrives. ' +
    'Tap Stop and the request is aborted, so the server stops writing at once.'
  return text.split(/(?<= )/)
}

// POST /chat: one `event: token` per word every `ms` (default 40), then `event: done`. A client
// that goes away (Stop) ends the loop and counts as aborted.
function streamChat(req, res, chat, body) {
  const tokens = answerTokens(body.q || '')
  const gap = Math.min(Math.max(Number(body.ms) || 40, 0), 2000)
  chat.started += 1
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  })
  res.write(': the answer follows\n\n')
  let next = 0
  let timer
  const tick = () => {
    if (next < tokens.length) {
      res.write('id: ' + (next + 1) + '\nevent: token\ndata: ' + tokens[next] + '\n\n')
      chat.tokens += 1
      next += 1
      timer = setTimeout(tick, gap)
      return
    }
    res.end('event: done\ndata: ' + tokens.length + '\n\n')
    chat.completed += 1
  }
  res.on('close', () => {
    clearTimeout(timer)
    if (!res.writableFinished) chat.aborted += 1
  })
  timer = setTimeout(tick, gap)
}

module.exports = { startDemoServer, answerTokens }

if (require.main === module) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf('--' + name)
    return i > 0 ? process.argv[i + 1] : fallback
  }
  startDemoServer({ port: Number(arg('port', 3000)), host: arg('host', '0.0.0.0') }).then((s) => {
    console.log('miniprogram-rx demo server on ' + s.url + ' (WebSocket ' + s.wsUrl + ')')
    const stop = () => s.close().then(() => process.exit(0))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
