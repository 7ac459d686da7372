// The time to require() miniprogram_dist/index.js in a fresh Node process, against an empty
// module required the same way in the same kind of process.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { median, root } from './lib.mjs'

const probe = (file) =>
  'const t=process.hrtime.bigint();require(' +
  JSON.stringify(file) +
  ');process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))'

export async function run({ rounds = 15 } = {}) {
  const dir = join(root, '.tmp', 'bench')
  mkdirSync(dir, { recursive: true })
  const empty = join(dir, 'empty.js')
  writeFileSync(empty, 'module.exports = {}\n')
  const target = join(root, 'miniprogram_dist', 'index.js')
  const ours = []
  const base = []
  for (let r = 0; r < rounds; r++) {
    ours.push(Number(execFileSync(process.execPath, ['-e', probe(target)])))
    base.push(Number(execFileSync(process.execPath, ['-e', probe(empty)])))
  }
  const a = median(ours)
  const b = median(base)
  return [
    {
      name: "require('miniprogram_dist/index.js') in a fresh process vs an empty module",
      value: a,
      unit: 'ms',
      baseline: b,
      ratio: a / b,
      note: 'median of ' + rounds + ' fresh processes each; nothing touches wx at import',
    },
  ]
}

if (import.meta.url === 'file://' + process.argv[1]) console.table(await run())
