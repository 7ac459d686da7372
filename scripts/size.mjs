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

const KB = 1024

/**
 * Budgets in bytes. Each file has its own, about 25% above what it measured when it was set
 * (so a feature fits without a budget change, and a jump shows); a file without its own
 * budget (a new domain, a new shared chunk) gets `defaultFile`.
 */
export const BUDGETS = {
  // require('miniprogram-rx'): index.js and every chunk it loads at start-up
  entryGzip: 12 * KB,
  // all of miniprogram_dist, with all of RxJS (rxjs.js and the chunks it shares)
  folderRaw: 200 * KB,
  // raw bytes of one file; measured 2026-12 in the comments
  files: {
    'index.js': 12 * KB, // 9.5 KB: core, and the getters that load the domains
    'network.js': 17 * KB, // 13.3 KB: request functions, socket, network status
    'shared/request.js': 30 * KB, // 24.2 KB: the request pool, shared by network, stream, toolkit
    'media.js': 26 * KB, // 21.0 KB: audio engine and drivers, recorder, images, voice
    'file.js': 4 * KB, // 2.0 KB
    'storage.js': 7 * KB, // storage items (the domain file itself is small: the rest is shared)
    'location.js': 5 * KB, // 3.9 KB
    'device.js': 3 * KB, // 1.0 KB
    'permission.js': 4 * KB, // 2.2 KB: ensureScope, PermissionDeniedError
    'page.js': 7 * KB, // 5.2 KB: page data bindings
    'stream.js': 12 * KB, // 9.3 KB: chunked responses, text, lines, SSE
    'toolkit.js': 22 * KB, // 17.1 KB: withAuth, withDedupe, the query client
    'rxjs.js': 48 * KB, // 38.3 KB: all of RxJS that the SDK's chunks do not hold
    'shared/Subject.js': 12 * KB, // 2.8 KB: Subject and friends
  },
  defaultFile: 8 * KB,
}

/** The raw budget of one file of miniprogram_dist. */
export const fileBudget = (name) => BUDGETS.files[name.split('\\').join('/')] ?? BUDGETS.defaultFile

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
    const checks = m.files.map((f) => [
      f.name.padEnd(28) + kb(f.gzip) + ' gzip',
      f.raw,
      fileBudget(f.name),
    ])
    checks.push(
      [
        "require('miniprogram-rx') gzip (" + m.entry.files.join(' + ') + ')',
        m.entry.gzip,
        BUDGETS.entryGzip,
      ],
      ['whole miniprogram_dist raw', m.folder.raw, BUDGETS.folderRaw],
    )
    let failed = false
    console.log('miniprogram_dist/ (raw, budget; label)')
    for (const [label, value, budget] of checks) {
      const ok = value <= budget
      failed ||= !ok
      console.log(
        '  ' + (ok ? 'ok  ' : 'OVER') + ' ' + kb(value) + ' of' + kb(budget) + '  ' + label,
      )
    }
    if (failed) {
      console.error('size budget exceeded')
      process.exit(1)
    }
  }
}
