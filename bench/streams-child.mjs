// Run by streams.mjs in a fresh `node --expose-gc` process: subscribe/unsubscribe each stream
// of miniprogram_dist 10,000 times on the miniprogram-rx/testing host and report heap growth
// and the wx listeners left.
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const root = process.argv[2]
const cycles = Number(process.argv[3] || 10000)
const { createWxHost } = require(join(root, 'dist', 'testing.cjs'))
const host = createWxHost({ audio: { defaultDuration: 600 } })
host.install()
const sdk = require(join(root, 'miniprogram_dist', 'index.js'))

const settle = () => new Promise((r) => setImmediate(r))
const pool = sdk.createRequestPool({ allowInsecure: true })
const socket = sdk.createSocket({ url: 'ws://127.0.0.1:9/unused' })
const streams = {
  'fromWxEvent(onNetworkStatusChange)': () => sdk.fromWxEvent('onNetworkStatusChange'),
  'fromWxEvent(onSocketMessage), no offX': () => sdk.fromWxEvent('onSocketMessage'),
  networkStatus$: () => sdk.networkStatus$,
  isOnline$: () => sdk.isOnline$,
  'storageItem.value$': () => sdk.storageItem('bench').value$,
  'backgroundAudio.state$': () => sdk.backgroundAudio.state$,
  'pool.stats$': () => pool.stats$,
  'socket.state$': () => socket.state$,
  location$: () => sdk.location$({ type: 'gcj02' }),
}

const rows = []
for (const [name, make] of Object.entries(streams)) {
  const atStart = host.listenerCount()
  // warm up: first subscriptions create the lazy singletons and, for events wx cannot
  // unregister (SocketTask-less onSocket*, the background audio manager), the one shared
  // listener that stays by design
  for (let i = 0; i < 100; i++)
    make()
      .subscribe({ error() {} })
      .unsubscribe()
  await settle()
  const before = host.listenerCount()
  host.calls.length = 0 // the host's call log is test tooling, not SDK memory
  global.gc()
  const heap0 = process.memoryUsage().heapUsed
  for (let i = 0; i < cycles; i++) {
    make()
      .subscribe({ error() {} })
      .unsubscribe()
    if (i % 1000 === 999) await settle()
  }
  for (let i = 0; i < 20; i++) await settle()
  host.calls.length = 0
  global.gc()
  const heap1 = process.memoryUsage().heapUsed
  rows.push({
    name,
    heapGrowth: heap1 - heap0,
    listenersLeft: host.listenerCount() - before,
    permanent: before - atStart,
  })
}
process.stdout.write(JSON.stringify(rows))
await host.close()
process.exit(0)
