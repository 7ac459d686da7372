// SSE parse throughput: a 10 MB event stream of 1 KB events (ASCII and multi-byte text) cut
// into 1-64 byte chunks, through our UTF-8 decoder and event-stream parser, against
// eventsource-parser fed the same chunks as strings decoded by Node's TextDecoder (goal:
// >= 0.8x its throughput). Then memory: the peak heap while parsing 10 MB and 50 MB streams,
// generated chunk by chunk, must not grow with the stream (no whole-body buffer).
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TextDecoder } from 'node:util'
import { compare, require, root } from './lib.mjs'

const MB = 1024 * 1024

function loadSdk() {
  return require(join(root, 'dist', 'index.cjs'))
}

// Chunks of 1-64 bytes of a stream of `bytes` bytes, cut with a seeded generator; calls `each`
// with each chunk without holding the stream.
function forEachChunk(bytes, each) {
  let seed = 42
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296
  const template = []
  for (let n = 0; n < 64; n++) template.push(wholeEvent(n))
  let sent = 0
  let index = 0
  let pending = template[0]
  while (sent < bytes) {
    if (!pending.length) pending = template[++index % template.length]
    const size = Math.min(1 + Math.floor(random() * 64), pending.length)
    each(pending.subarray(0, size))
    pending = pending.subarray(size)
    sent += size
  }
}

// One event of about 1 KB: id, event name, and a data line of mixed text (2-, 3- and 4-byte
// sequences), built from whole characters.
function wholeEvent(n) {
  let text = ''
  let piece = 0
  const head = 'id: ' + n + '\nevent: token\ndata: '
  while (Buffer.byteLength(head + text + '\n\n') < 1000)
    text += ['tok ', '你好', '🙂', '— '][piece++ % 4]
  return Buffer.from(head + text + '\n\n')
}

// Each chunk in its own ArrayBuffer, as onChunkReceived delivers them.
function recordChunks(bytes) {
  const chunks = []
  forEachChunk(bytes, (chunk) => chunks.push(new Uint8Array(chunk).buffer))
  return chunks
}

function parseOurs(sdk, chunks, native) {
  let events = 0
  const decoder = sdk.createUtf8Decoder({ native })
  const parser = sdk.createSseParser({ onEvent: () => events++ })
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }))
  return events
}

function parseBaseline(createParser, chunks) {
  let events = 0
  const decoder = new TextDecoder()
  const parser = createParser({ onEvent: () => events++ })
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }))
  return events
}

// Child process (run with --expose-gc): peak heap while parsing `bytes` of generated stream.
function peakHeap(bytes) {
  const sdk = loadSdk()
  const decoder = sdk.createUtf8Decoder()
  let events = 0
  const parser = sdk.createSseParser({ onEvent: () => events++ })
  globalThis.gc()
  const base = process.memoryUsage().heapUsed
  let peak = 0
  let count = 0
  forEachChunk(bytes, (chunk) => {
    parser.feed(decoder.decode(chunk, { stream: true }))
    if (++count % 20000 === 0) {
      globalThis.gc()
      peak = Math.max(peak, process.memoryUsage().heapUsed - base)
    }
  })
  return { events, peak }
}

export async function run({ rounds = 15 } = {}) {
  const sdk = loadSdk()
  const { createParser } = require('eventsource-parser')
  const chunks = recordChunks(10 * MB)
  const expected = parseBaseline(createParser, chunks)
  if (parseOurs(sdk, chunks, false) !== expected || parseOurs(sdk, chunks, true) !== expected) {
    throw new Error('stream bench: our parser and eventsource-parser disagree on the events')
  }
  const ms = await compare(
    {
      own: () => parseOurs(sdk, chunks, false),
      native: () => parseOurs(sdk, chunks, true),
      baseline: () => parseBaseline(createParser, chunks),
    },
    Math.max(3, Math.min(rounds, 9)),
  )
  const mbps = (t) => 10 / (t / 1000)
  const memory = [10, 50].map((size) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ['--expose-gc', fileURLToPath(import.meta.url), 'memory', String(size)],
        {
          encoding: 'utf8',
        },
      ),
    ),
  )
  const growth = (memory[1].peak - memory[0].peak) / 1024
  return [
    {
      name: 'SSE parse, own UTF-8 decoder (10 MB, 1 KB events, 1-64 B chunks)',
      value: mbps(ms.own),
      unit: 'MB/s',
      baseline: mbps(ms.baseline),
      ratio: ms.baseline / ms.own,
      goal: '>= 0.8x',
      pass: ms.baseline / ms.own >= 0.8,
      note:
        expected +
        ' events; baseline = eventsource-parser fed TextDecoder strings; with TextDecoder ' +
        '(native: true) ours runs at ' +
        mbps(ms.native).toFixed(1) +
        ' MB/s (' +
        (ms.baseline / ms.native).toFixed(2) +
        'x)',
    },
    {
      // a difference, not a ratio: the 10 MB peak can be ~0 after gc
      name: 'SSE parse peak heap: 50 MB stream minus 10 MB stream',
      value: growth,
      unit: 'KB',
      goal: 'flat (< 512 KB growth)',
      pass: growth < 512,
      note:
        'peak heap above the start, sampled after gc every 20000 chunks: ' +
        (memory[0].peak / 1024).toFixed(0) +
        ' KB for 10 MB, ' +
        (memory[1].peak / 1024).toFixed(0) +
        ' KB for 50 MB',
    },
  ]
}

if (process.argv[2] === 'memory') {
  process.stdout.write(JSON.stringify(peakHeap(Number(process.argv[3]) * MB)))
} else if (import.meta.url === 'file://' + process.argv[1]) {
  console.table(await run())
}
