// Run by page.mjs in a fresh `node --expose-gc` process: 10,000 attach/detach cycles of a
// page that binds isOnline$, networkStatus$, backgroundAudio.state$ and a counted stream with
// bindData and untilDetached, on the miniprogram-rx/testing host (real timers, wx.nextTick);
// reports heap growth and the subscriptions, wx listeners and timers left.
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const root = process.argv[2]
const cycles = Number(process.argv[3] || 10000)
const { createWxHost } = require(join(root, 'dist', 'testing.cjs'))
const host = createWxHost()
host.install()
const sdk = require(join(root, 'miniprogram_dist', 'index.js'))
const rx = require(join(root, 'node_modules', 'rxjs'))

const settle = () => new Promise((resolve) => setImmediate(resolve))
const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length

let live = 0
const values = new rx.BehaviorSubject(0)
const counted = new rx.Observable((subscriber) => {
  live += 1
  const inner = values.subscribe(subscriber)
  return () => {
    live -= 1
    inner.unsubscribe()
  }
})
let setDataCalls = 0
let afterDetach = 0

async function cycle(i) {
  let detached = false
  const page = {
    data: {},
    setData() {
      setDataCalls += 1
      if (detached) afterDetach += 1
    },
  }
  sdk.bindData(page, {
    online: sdk.isOnline$,
    network: sdk.networkStatus$,
    player: sdk.backgroundAudio.state$,
    value: counted,
  })
  counted.pipe(sdk.untilDetached(page)).subscribe()
  values.next(i)
  // one page in ten lives long enough to render (its flush is a timer, after setImmediate)
  if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1))
  sdk.unbindData(page)
  detached = true
  // a binding after detach (the await race) subscribes to nothing
  sdk.bindData(page, { late: counted })
}

for (let i = 0; i < 200; i++) await cycle(i) // warm-up: lazy singletons, JIT
for (let i = 0; i < 20; i++) await settle()
const listenersBefore = host.listenerCount()
host.calls.length = 0 // the host's call log is test tooling, not SDK memory
global.gc()
const heap0 = process.memoryUsage().heapUsed
for (let i = 0; i < cycles; i++) await cycle(i)
for (let i = 0; i < 20; i++) await settle()
await new Promise((resolve) => setTimeout(resolve, 100)) // let paced flushes run out
host.calls.length = 0
global.gc()
const heap1 = process.memoryUsage().heapUsed
const result = {
  heapGrowth: heap1 - heap0,
  subscriptions: live,
  // the background audio manager has no off*: its store registers once, for good, at warm-up
  listeners: host.listenerCount() - listenersBefore,
  permanentListeners: listenersBefore,
  timers: timers(),
  setData: setDataCalls,
  setDataAfterDetach: afterDetach,
}
if (afterDetach) result.subscriptions += afterDetach // count a setData after detach as a leak
process.stdout.write(JSON.stringify(result))
await host.close()
process.exit(0)
