// storageItem costs: a set() must not cost more with many keys stored (WeChat's
// getStorageInfo lists every key, so asking it per write made a write with 20k keys ~19x
// dearer than with 1k), and keys written once and no longer observed must leave nothing of
// the SDK behind. On a fake wx whose storage costs what WeChat's does (storage-fake-wx.mjs).
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { median, root } from './lib.mjs'

const WRITES = 5000

function child(args) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', join(root, 'bench', 'storage-child.mjs'), root, ...args.map(String)],
    { encoding: 'utf8' },
  )
  return JSON.parse(out)
}

export async function run({ rounds = 15 } = {}) {
  // Each store size in its own process (the SDK keeps one estimate per wx, as an app has one
  // wx), the two alternated five times; the median of each side (this machine is shared and noisy).
  const runs = { small: [], large: [] }
  for (let i = 0; i < 5; i++) {
    runs.small.push(child(['time', '-', 1000, WRITES, rounds]))
    runs.large.push(child(['time', '-', 20000, WRITES, rounds]))
  }
  const sdk1k = median(runs.small.map((r) => r.sdk))
  const sdk20k = median(runs.large.map((r) => r.sdk))
  const raw1k = median(runs.small.map((r) => r.raw))
  const raw20k = median(runs.large.map((r) => r.raw))

  const heaps = { sdk: [], raw: [] }
  for (let i = 0; i < 3; i++) {
    heaps.sdk.push(child(['heap', 'sdk', 30000]).heapGrowth)
    heaps.raw.push(child(['heap', 'raw', 30000]).heapGrowth)
  }
  const sdkHeap = median(heaps.sdk)
  const rawHeap = median(heaps.raw)
  return [
    {
      name: 'storageItem.set() with 20k keys vs 1k',
      value: sdk20k,
      unit: 'µs/write',
      baseline: sdk1k,
      ratio: sdk20k / sdk1k,
      goal: '<= 1.5',
      pass: sdk20k / sdk1k <= 1.5,
      note:
        WRITES +
        ' writes per round on 50 keys, fake wx with WeChat-like costs; raw setStorage 20k/1k: ' +
        (raw20k / raw1k).toFixed(2),
    },
    {
      name: 'SDK heap after 30k keys set once, no longer observed',
      value: sdkHeap / 1024,
      unit: 'KB',
      baseline: rawHeap / 1024,
      goal: '< 100 KB',
      pass: sdkHeap < 100 * 1024,
      note: 'median heap growth after gc through storageItem (baseline: raw wx.setStorage) on a fake wx that keeps no values, so nothing but the SDK can grow; 3 runs each',
    },
  ]
}

if (import.meta.url === 'file://' + process.argv[1]) console.table(await run())
