#!/usr/bin/env node
// `npm run bench`: every benchmark, one table, bench/results.json. Every figure is a ratio
// against a baseline measured in the same run (medians over rounds, interleaved), because this
// machine is shared and noisy. Run after `npm run build` (the npm script does it).
//   node bench/run.mjs [--rounds N] [--only name,name]
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { root } from './lib.mjs'

const argv = process.argv.slice(2)
const flag = (name) => {
  const i = argv.indexOf('--' + name)
  return i >= 0 ? argv[i + 1] : undefined
}
const rounds = Number(flag('rounds') || 15)
const only = flag('only')?.split(',')

const SUITES = [
  'wxp',
  'pool',
  'socket',
  'bundle',
  'startup',
  'streams',
  'page',
  'stream',
  'toolkit',
  'storage',
]

if (
  !existsSync(join(root, 'miniprogram_dist', 'index.js')) ||
  !existsSync(join(root, 'dist', 'testing.cjs'))
) {
  console.error('build first: npm run build')
  process.exit(1)
}

const rows = []
for (const suite of SUITES) {
  if (only && !only.includes(suite)) continue
  const file = join(root, 'bench', suite + '.mjs')
  if (!existsSync(file)) continue
  process.stderr.write('bench ' + suite + ' ...\n')
  const mod = await import(file)
  for (const row of await mod.run({ rounds })) rows.push({ suite, ...row })
}

// With --only, the other suites keep the rows of the last run that measured them.
const resultsFile = join(root, 'bench', 'results.json')
const kept =
  only && existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')).rows : []
const measured = new Set(rows.map((r) => r.suite))
// in the order of SUITES, so a partial run prints the same table as a full one
const allRows = kept
  .filter((r) => !measured.has(r.suite))
  .concat(rows)
  .sort((a, b) => SUITES.indexOf(a.suite) - SUITES.indexOf(b.suite))

const fmt = (n) =>
  typeof n !== 'number'
    ? ''
    : Math.abs(n) >= 100
      ? n.toFixed(0)
      : Math.abs(n) >= 10
        ? n.toFixed(1)
        : n.toFixed(3)
const table = [['suite', 'measure', 'value', 'unit', 'baseline', 'ratio', 'goal', '']]
for (const r of allRows) {
  table.push([
    r.suite,
    r.name,
    fmt(r.value),
    r.unit || '',
    fmt(r.baseline),
    typeof r.ratio === 'number' ? r.ratio.toFixed(2) : '',
    r.goal || '',
    r.pass === undefined ? '' : r.pass ? 'ok' : 'MISSED',
  ])
}
const widths = table[0].map((_, c) => Math.max(...table.map((row) => String(row[c]).length)))
const line = (row) => '| ' + row.map((cell, c) => String(cell).padEnd(widths[c])).join(' | ') + ' |'
console.log(line(table[0]))
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|')
for (const row of table.slice(1)) console.log(line(row))
for (const r of allRows) if (r.note) console.log('  - ' + r.name + ': ' + r.note)

writeFileSync(
  resultsFile,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length + ' x ' + (cpus()[0]?.model || 'unknown'),
      rounds,
      rows: allRows,
    },
    null,
    2,
  ) + '\n',
)
