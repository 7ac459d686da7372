#!/usr/bin/env node
// What a bundler user pays for one import. Bundles a one-line file importing the package the
// way an app does (through node_modules/miniprogram-rx and its `exports` map, built dist/)
// with rollup and with esbuild, minified, RxJS resolved from node_modules as in an app, and
// checks the gzip size against the budget and, where the import needs no RxJS, that no byte
// of any rxjs module is in the output (both bundlers report the modules they kept).
//   node scripts/bundle-budget.mjs   (after `npm run build`)
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { rollup } from 'rollup'
import nodeResolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const scratch = join(root, '.tmp', 'bundle-budget')

/** Budgets in bytes of gzip, per import line. */
export const BUNDLE_BUDGETS = [
  { name: 'wxp', budget: 5 * 1024, rxjsFree: true },
  { name: 'isWxError', budget: 1.5 * 1024, rxjsFree: true },
  // A constant: whatever more a bundle of it holds is a module-level call (a rules table, a
  // class) that bundlers cannot drop. Mark it /*#__PURE__*/ or make it on first use.
  { name: 'TYPINGS_VERSION', budget: 0.15 * 1024, rxjsFree: true },
]

const isRxjs = (id) => /(^|[\\/])node_modules[\\/]rxjs[\\/]/.test(id)

async function withRollup(entry) {
  const bundle = await rollup({
    input: entry,
    plugins: [nodeResolve(), terser({ compress: { passes: 2 } })],
    onwarn: () => undefined,
  })
  const { output } = await bundle.generate({ format: 'es' })
  await bundle.close()
  const kept = Object.entries(output[0].modules)
    .filter(([, module]) => module.renderedLength > 0)
    .map(([id]) => id)
  return { code: output[0].code, kept }
}

async function withEsbuild(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outdir: scratch,
  })
  const [output] = Object.values(result.metafile.outputs)
  const kept = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([id]) => id)
  return { code: result.outputFiles[0].text, kept }
}

/** Bundles `import { name } from 'miniprogram-rx'` with each bundler; one row per bundler. */
export async function measureBundles() {
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(join(scratch, 'node_modules'), { recursive: true })
  // The package as installed: its folder under node_modules, resolved through `exports`.
  symlinkSync(root, join(scratch, 'node_modules', 'miniprogram-rx'), 'dir')
  const rows = []
  for (const { name, budget, rxjsFree } of BUNDLE_BUDGETS) {
    const entry = join(scratch, name + '.mjs')
    writeFileSync(entry, `import { ${name} } from 'miniprogram-rx'\nconsole.log(${name})\n`)
    for (const [bundler, bundle] of [
      ['rollup', withRollup],
      ['esbuild', withEsbuild],
    ]) {
      const { code, kept } = await bundle(entry)
      rows.push({
        name,
        bundler,
        gzip: gzipSync(code, { level: 9 }).length,
        budget,
        rxjsModules: kept.filter(isRxjs).length,
        rxjsFree,
      })
    }
  }
  return rows
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const rows = await measureBundles()
  let failed = false
  for (const row of rows) {
    const over = row.gzip > row.budget
    const leaks = row.rxjsFree && row.rxjsModules > 0
    failed ||= over || leaks
    console.log(
      (over || leaks ? 'FAIL' : 'ok  ') +
        ` import { ${row.name} } with ${row.bundler.padEnd(7)} ` +
        `${(row.gzip / 1024).toFixed(2)} KB gzip of ${(row.budget / 1024).toFixed(2)} KB` +
        (row.rxjsModules ? `, ${row.rxjsModules} rxjs modules` : ', no rxjs'),
    )
  }
  if (failed) {
    console.error('bundle budget exceeded')
    process.exit(1)
  }
}
