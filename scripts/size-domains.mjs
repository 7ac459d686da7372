#!/usr/bin/env node
// Minified bytes of each domain of miniprogram_dist, built in memory (nothing is written, so
// it can run while another build runs). For size work on one domain:
//   node scripts/size-domains.mjs
import { rollup } from 'rollup'
import { gzipSync } from 'node:zlib'

process.env.MPRX_NO_CLEAN = '1'
const { default: configs } = await import('../rollup.config.mjs')
const config = configs[0]
const bundle = await rollup({ ...config, onwarn: () => undefined })
const { output } = await bundle.generate(config.output)
await bundle.close()
const rows = output
  .filter((file) => file.type === 'chunk')
  .map((chunk) => {
    const sdk = Object.keys(chunk.modules).some(
      (id) => id.includes('/src/') && !id.endsWith('/src/rxjs.ts'),
    )
    return [
      chunk.fileName,
      Buffer.byteLength(chunk.code),
      gzipSync(chunk.code, { level: 9 }).length,
      sdk,
    ]
  })
  .sort((a, b) => b[1] - a[1])
let sdkTotal = 0
let all = 0
for (const [name, raw, gz, sdk] of rows) {
  all += raw
  if (sdk) sdkTotal += raw
  console.log(
    name.padEnd(28) +
      (raw / 1024).toFixed(1).padStart(7) +
      ' KB' +
      (gz / 1024).toFixed(1).padStart(7) +
      ' KB gz' +
      (sdk ? '' : '   (RxJS/tslib)'),
  )
}
console.log(
  'SDK code ' +
    (sdkTotal / 1024).toFixed(1) +
    ' KB, all ' +
    (all / 1024).toFixed(1) +
    ' KB (budget 200 KB)',
)
