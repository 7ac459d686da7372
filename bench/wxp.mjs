// wxp call overhead: the same synchronous fake wx answered through wxp (miniprogram_dist, as
// a mini program loads it), through miniprogram-api-promise (as miniprogram-ci packs it),
// and with a bare callback.
import { join } from 'node:path'
import { compare, packWithMiniprogramCi, require, root } from './lib.mjs'

const CALLS = 20000

function fakeWx() {
  return {
    getStorage(o) {
      o.success({ errMsg: 'getStorage:ok', data: o.key })
    },
  }
}

export async function run({ rounds = 15 } = {}) {
  const npm = await packWithMiniprogramCi('api-promise', ['miniprogram-api-promise'])
  const apiPromise = require(join(npm, 'miniprogram-api-promise', 'index.js'))
  const wx = fakeWx()
  globalThis.wx = wx
  const { wxp } = require(join(root, 'miniprogram_dist', 'index.js'))
  const official = {}
  apiPromise.promisifyAll(wx, official)

  const viaPromises = (call) => async () => {
    const batch = new Array(CALLS)
    for (let i = 0; i < CALLS; i++) batch[i] = call({ key: 'k' })
    await Promise.all(batch)
  }
  const ms = await compare(
    {
      wxp: viaPromises((o) => wxp.getStorage(o)),
      apiPromise: viaPromises((o) => official.getStorage(o)),
      callback: async () => {
        let n = 0
        await new Promise((resolve) => {
          for (let i = 0; i < CALLS; i++)
            wx.getStorage({
              key: 'k',
              success() {
                if (++n === CALLS) resolve()
              },
            })
        })
      },
    },
    rounds,
  )
  delete globalThis.wx
  const perCall = (name) => (ms[name] * 1e6) / CALLS / 1000 // microseconds
  return [
    {
      name: 'wxp call vs miniprogram-api-promise',
      value: perCall('wxp'),
      unit: 'µs/call',
      baseline: perCall('apiPromise'),
      ratio: ms.wxp / ms.apiPromise,
      goal: '<= 1.0',
      pass: ms.wxp / ms.apiPromise <= 1.0,
      note: 'same synchronous fake wx, ' + CALLS + ' calls per round, median of ' + rounds,
    },
    {
      name: 'wxp call vs bare callback',
      value: perCall('wxp'),
      unit: 'µs/call',
      baseline: perCall('callback'),
      ratio: ms.wxp / ms.callback,
      note: 'the price of a Promise per call',
    },
  ]
}

if (import.meta.url === 'file://' + process.argv[1]) console.table(await run())
