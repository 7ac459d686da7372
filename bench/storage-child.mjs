// Run by storage.mjs in a fresh `node --expose-gc` process, on a fake wx whose storage costs
// what WeChat's does:
//   heap sdk|raw <keys>: writes <keys> keys once each, each observed by a value$ subscriber
//     that then leaves, through storageItem (`sdk`) or raw wx.setStorage (`raw`), on a wx
//     that keeps no values, and reports the heap growth;
//   time <stored> <writes> <rounds>: with <stored> keys in storage, the median µs of a
//     storageItem.set() and of a raw setStorage.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { median, time } from './lib.mjs'
import { createStorageWx } from './storage-fake-wx.mjs'

const require = createRequire(import.meta.url)
const [root, task, mode] = process.argv.slice(2)
const { wx } = createStorageWx({ discard: task === 'heap' })
globalThis.wx = wx
const sdk = require(join(root, 'miniprogram_dist', 'index.js'))

if (task === 'time') {
  const [stored, writes, rounds] = process.argv.slice(5, 8).map(Number)
  for (let i = 0; i < stored; i++) wx.setStorageSync('stored-' + i, { i, text: 'v' + i })
  const viaSdk = (key, value) => sdk.storageItem(key).set(value)
  const viaRaw = (key, data) =>
    new Promise((resolve) => wx.setStorage({ key, data, success: resolve }))
  const batch = (write) => () =>
    Promise.all(Array.from({ length: writes }, (_, i) => write('k' + (i % 50), { n: i })))
  const samples = { sdk: [], raw: [] }
  await batch(viaSdk)() // warm up: the first write asks getStorageInfo once
  await batch(viaRaw)()
  for (let r = 0; r < rounds; r++) {
    samples.sdk.push(await time(batch(viaSdk)))
    samples.raw.push(await time(batch(viaRaw)))
  }
  const perWrite = (ms) => (ms * 1000) / writes
  process.stdout.write(
    JSON.stringify({ sdk: perWrite(median(samples.sdk)), raw: perWrite(median(samples.raw)) }),
  )
  process.exit(0)
}

const keys = Number(process.argv[5] || 30000)

const rawSet = (key, data) =>
  new Promise((resolve) => wx.setStorage({ key, data, success: resolve }))
const sdkSet = async (key, data) => {
  const item = sdk.storageItem(key)
  item.value$.subscribe().unsubscribe()
  await item.set(data)
}
const write = mode === 'sdk' ? sdkSet : rawSet

// warm up (the lazy storage module, the first getStorageInfo, and the optimizing compiler,
// whose code would otherwise count as growth), in batches like the measured run
const writeAll = async (prefix, count) => {
  for (let i = 0; i < count; i += 1000) {
    const batch = []
    for (let j = i; j < Math.min(i + 1000, count); j++) batch.push(write(prefix + j, j))
    await Promise.all(batch)
  }
}
const settledHeap = async () => {
  await new Promise((r) => setImmediate(r))
  for (let i = 0; i < 3; i++) global.gc()
  return process.memoryUsage().heapUsed
}
await writeAll('warm-', 10000)
const heap0 = await settledHeap()
await writeAll('key-', keys)
const heap1 = await settledHeap()
process.stdout.write(JSON.stringify({ mode, keys, heapGrowth: heap1 - heap0 }))
