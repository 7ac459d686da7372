#!/usr/bin/env node
// Size budgets for miniprogram_dist (what DevTools copies into miniprogram_npm), measured on
// the minified output. Prints one line per file and fails when a budget is exceeded.
//   node scripts/size.mjs          check and print
//   node scripts/size.mjs --json   print the measurements as JSON (used by the bench)
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { runInNewContext } from 'node:vm'
import { dirname, join, normalize, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'miniprogram_dist')

/** Budgets in bytes. */
export const BUDGETS = {
  entryRaw: 56 * 1024, // require('miniprogram-rx'): index.js and the chunks it pulls in
  entryGzip: 16 * 1024,
  folderRaw: 200 * 1024, // all of miniprogram_dist, the full RxJS entry included (DESIGN.md)
}

const gzipSize = (buf) => gzipSync(buf, { level: 9 }).length

/**
 * Files that `require(entry)` loads in a mini program: the entry is run in a fresh VM context
 * with a recording `require`, so only what executes at load counts (index.js loads the other
 * domains lazily, on first use of one of their exports).
 */
function closure(entry) {
  const loaded = new Map()
  const load = (file) => {
    const key = normalize(file)
    if (loaded.has(key)) return loaded.get(key).exports
    const module = { exports: {} }
    loaded.set(key, module)
    const code = readFileSync(join(dist, key), 'utf8')
    const fn = runInNewContext('(function (module, exports, require) {' + code + '\n})', {})
    fn(module, module.exports, (id) =>
      load(join(dirname(key), id.endsWith('.js') ? id : id + '.js')),
    )
    return module.exports
  }
  load(entry)
  return [...loaded.keys()]
}

/** Measures every file and the entry's closure. */
export function measure() {
  const names = []
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name)
      if (statSync(full).isDirectory()) walk(full)
      else names.push(relative(dist, full))
    }
  }
  try {
    walk(dist)
  } catch {
    throw new Error('miniprogram_dist/ is missing: run `npm run build` first')
  }
  names.sort()
  const files = names.map((name) => {
    const buf = readFileSync(join(dist, name))
    return { name, raw: buf.length, gzip: gzipSize(buf) }
  })
  const entryFiles = closure('index.js')
  const entryBuf = Buffer.concat(entryFiles.map((f) => readFileSync(join(dist, f))))
  return {
    files,
    entry: { files: entryFiles, raw: entryBuf.length, gzip: gzipSize(entryBuf) },
    folder: {
      raw: files.reduce((n, f) => n + f.raw, 0),
      gzip: files.reduce((n, f) => n + f.gzip, 0),
    },
  }
}

const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB'

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const m = measure()
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(m, null, 2))
  } else {
    console.log('miniprogram_dist/'.padEnd(34) + '     raw'.padStart(10) + '    gzip'.padStart(11))
    for (const f of m.files) console.log('  ' + f.name.padEnd(32) + kb(f.raw) + kb(f.gzip))
    const checks = [
      [
        "require('miniprogram-rx') raw  (" + m.entry.files.join(' + ') + ')',
        m.entry.raw,
        BUDGETS.entryRaw,
      ],
      ["require('miniprogram-rx') gzip", m.entry.gzip, BUDGETS.entryGzip],
      ['whole miniprogram_dist raw', m.folder.raw, BUDGETS.folderRaw],
    ]
    let failed = false
    console.log('budgets:')
    for (const [label, value, budget] of checks) {
      const ok = value <= budget
      failed ||= !ok
      console.log(
        '  ' + (ok ? 'ok  ' : 'OVER') + ' ' + kb(value) + ' of ' + kb(budget).trim() + '  ' + label,
      )
    }
    if (failed) {
      console.error('size budget exceeded')
      process.exit(1)
    }
  }
}
