// Heap growth and wx listeners left after 10,000 subscribe/unsubscribe cycles of each stream
// (goal: 0 listeners, < 1 MB), in a fresh process with --expose-gc.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { root } from './lib.mjs'

export async function run({ cycles = 10000 } = {}) {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', join(root, 'bench', 'streams-child.mjs'), root, String(cycles)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const rows = JSON.parse(out)
  return rows.map((r) => ({
    name: r.name + ': heap growth after ' + cycles + ' cycles',
    value: r.heapGrowth / 1024,
    unit: 'KB',
    goal: '< 1024 KB, 0 listeners',
    pass: r.heapGrowth < 1024 * 1024 && r.listenersLeft === 0,
    note:
      r.listenersLeft +
      ' wx listeners left by the cycles' +
      (r.permanent
        ? ' (' + r.permanent + ' registered once for good: wx has no off for them)'
        : ''),
  }))
}

if (import.meta.url === 'file://' + process.argv[1]) console.table(await run())
