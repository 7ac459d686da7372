// Page data bindings: a page fed for 10 s of virtual time by a location stream at 1 Hz,
// socket messages at 50/s appended to a 200-item list, an audio position at 4 Hz, and a
// 200-item list where one field of one item changes every 20 ms. The naive page (subscribe ->
// setData whole value) and the bound page (bindData from miniprogram_dist) listen to the same
// streams in the same run; setData calls and the bytes of their JSON payloads are counted.
// Then page-child.mjs runs 10,000 attach/detach cycles in a fresh `node --expose-gc`.
//   node bench/page.mjs
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { root } from './lib.mjs'

const require = createRequire(import.meta.url)
const SECONDS = 10

/** A virtual clock: timers run in time order, each one a macrotask of its own. */
function createClock() {
  let now = 0
  let nextId = 1
  const timers = new Map()
  return {
    now: () => now,
    setTimeout(fn, ms = 0) {
      const id = nextId++
      timers.set(id, { fn, at: now + Math.max(0, ms), id })
      return id
    },
    clearTimeout(id) {
      timers.delete(id)
    },
    /** Runs every timer due up to `end`, in order of time, then of creation. */
    runUntil(end) {
      for (;;) {
        let next
        for (const timer of timers.values()) {
          if (
            timer.at <= end &&
            (!next || timer.at < next.at || (timer.at === next.at && timer.id < next.id))
          )
            next = timer
        }
        if (!next) break
        timers.delete(next.id)
        now = next.at
        next.fn()
      }
      now = end
    },
    get pending() {
      return timers.size
    },
  }
}

/** A page instance that counts setData calls, their bytes, and calls per virtual ms. */
function countingPage(clock) {
  const perMs = new Map()
  const page = {
    data: {},
    calls: 0,
    bytes: 0,
    maxPerTick: 0,
    setData(patch) {
      page.calls += 1
      page.bytes += JSON.stringify(patch).length
      const at = clock.now()
      const count = (perMs.get(at) || 0) + 1
      perMs.set(at, count)
      page.maxPerTick = Math.max(page.maxPerTick, count)
      const copy = JSON.parse(JSON.stringify(patch))
      for (const path in copy) applyPath(page.data, path, copy[path])
    },
  }
  return page
}

function applyPath(data, path, value) {
  const steps = path.match(/[^.[\]]+/g)
  let node = data
  for (let i = 0; i < steps.length - 1; i++) {
    if (typeof node[steps[i]] !== 'object' || node[steps[i]] === null) node[steps[i]] = {}
    node = node[steps[i]]
  }
  node[steps[steps.length - 1]] = value
}

const item = (i) => ({ id: i, title: 'Item number ' + i, done: false, votes: 0 })

/** The scenario's streams, fed by timers of `clock`. */
function feed(clock, rx) {
  const location = new rx.Subject()
  const socket = new rx.Subject()
  const player = new rx.Subject()
  const items = new rx.BehaviorSubject(Array.from({ length: 200 }, (_, i) => item(i)))
  const every = (ms, fn) => {
    let n = 0
    const run = () => {
      n += 1
      if (n * ms > SECONDS * 1000) return
      fn(n)
      clock.setTimeout(run, ms)
    }
    clock.setTimeout(run, ms)
  }
  every(1000, (n) =>
    location.next({ latitude: 39.9 + n / 1e4, longitude: 116.4, speed: 1.2, accuracy: 10 }),
  )
  every(20, (n) => socket.next({ id: n, text: 'message ' + n, at: n * 20 }))
  every(250, (n) =>
    player.next({
      status: 'playing',
      src: 'https://example.com/song.mp3',
      title: 'A song',
      duration: 180,
      position: n / 4,
      buffered: 60,
    }),
  )
  every(20, (n) => {
    const next = items.value.slice()
    const index = (n * 7) % 200
    next[index] = { ...next[index], votes: next[index].votes + 1 }
    items.next(next)
  })
  const seed = Array.from({ length: 200 }, (_, i) => ({ id: -i, text: 'old ' + i, at: 0 }))
  const messages = socket.pipe(
    rx.scan((list, message) => list.concat(message), seed),
    rx.startWith(seed),
  )
  return { location, messages, player, items }
}

function scenario() {
  const clock = createClock()
  const saved = { setTimeout, clearTimeout, now: Date.now, wx: globalThis.wx }
  globalThis.setTimeout = clock.setTimeout
  globalThis.clearTimeout = clock.clearTimeout
  Date.now = clock.now
  globalThis.wx = { nextTick: (fn) => clock.setTimeout(fn, 0) }
  try {
    const rx = require(join(root, 'node_modules', 'rxjs'))
    const sdk = require(join(root, 'miniprogram_dist', 'index.js'))
    const sources = feed(clock, rx)
    const naive = countingPage(clock)
    const subscriptions = Object.keys(sources).map((key) =>
      sources[key].subscribe((value) => naive.setData({ [key]: value })),
    )
    const bound = countingPage(clock)
    sdk.bindData(bound, sources)
    clock.runUntil(SECONDS * 1000 + 1000)
    sdk.unbindData(bound)
    for (const subscription of subscriptions) subscription.unsubscribe()
    const same = JSON.stringify(naive.data) === JSON.stringify(bound.data)
    return { naive, bound, same, timersLeft: clock.pending }
  } finally {
    globalThis.setTimeout = saved.setTimeout
    globalThis.clearTimeout = saved.clearTimeout
    Date.now = saved.now
    globalThis.wx = saved.wx
  }
}

export async function run({ cycles = 10000 } = {}) {
  const { naive, bound, same, timersLeft } = scenario()
  const note =
    '10 s of virtual time; ' +
    (same ? 'both pages end with the same data' : 'THE PAGES END WITH DIFFERENT DATA')
  const rows = [
    {
      name: 'page setData calls vs naive subscribe->setData',
      value: bound.calls,
      unit: 'calls',
      baseline: naive.calls,
      ratio: bound.calls / naive.calls,
      goal: '<= 0.2 (5x fewer)',
      pass: same && bound.calls * 5 <= naive.calls,
      note,
    },
    {
      name: 'page setData payload bytes vs naive',
      value: bound.bytes / 1024,
      unit: 'KB',
      baseline: naive.bytes / 1024,
      ratio: bound.bytes / naive.bytes,
      goal: '<= 0.1 (10x fewer)',
      pass: same && bound.bytes * 10 <= naive.bytes,
      note: 'JSON length of every setData payload',
    },
    {
      name: 'page setData calls of one instance in one tick (max)',
      value: bound.maxPerTick,
      unit: 'calls',
      baseline: naive.maxPerTick,
      goal: '1',
      pass: bound.maxPerTick === 1 && timersLeft === 0,
      note: timersLeft + ' timers left after unbindData',
    },
  ]
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', join(root, 'bench', 'page-child.mjs'), root, String(cycles)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const leak = JSON.parse(out)
  rows.push({
    name: 'page attach/detach: heap growth after ' + cycles + ' cycles',
    value: leak.heapGrowth / 1024,
    unit: 'KB',
    goal: '< 1024 KB, 0 left',
    pass:
      leak.heapGrowth < 1024 * 1024 &&
      leak.subscriptions === 0 &&
      leak.listeners === 0 &&
      leak.timers === 0,
    note:
      leak.subscriptions +
      ' subscriptions, ' +
      leak.listeners +
      ' wx listeners (' +
      leak.permanentListeners +
      ' registered once for good at warm-up), ' +
      leak.timers +
      ' timers left; ' +
      leak.setData +
      ' setData calls, all before detach',
  })
  return rows
}

if (import.meta.url === 'file://' + process.argv[1]) console.table(await run())
