// Shared helpers of the benchmarks. Every figure is a ratio against a baseline measured in
// the same run, with candidate and baseline interleaved round by round (A B A B ...), and the
// median over rounds reported, so a noisy, shared machine moves both sides alike.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const require = createRequire(import.meta.url)

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Milliseconds taken by `fn` (awaited). */
export async function time(fn) {
  const start = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - start) / 1e6
}

/**
 * Runs each of `cases` (name -> async fn) once per round, in rotating order, after one warm-up
 * round, and returns the median milliseconds per case.
 */
export async function compare(cases, rounds) {
  const names = Object.keys(cases)
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  for (const n of names) await cases[n]() // warm-up
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length])
    for (const n of order) samples[n].push(await time(cases[n]))
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]))
}

/** Bytes of every file under `dir`. */
export function folderBytes(dir) {
  let total = 0
  for (const name of readdirSync(dir)) {
    const full = join(dir, name)
    const st = statSync(full)
    total += st.isDirectory() ? folderBytes(full) : st.size
  }
  return total
}

/**
 * Builds `miniprogram_npm` for a scratch mini program depending on `deps` (names installed in
 * this repository's node_modules) with miniprogram-ci's packNpmManually, the builder of
 * DevTools' "Build npm". Returns the miniprogram_npm folder.
 */
export async function packWithMiniprogramCi(name, deps) {
  const dir = join(root, '.tmp', 'bench', name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'node_modules'), { recursive: true })
  const dependencies = {}
  for (const dep of deps) {
    cpSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), {
      recursive: true,
      dereference: true,
    })
    dependencies[dep] = '*'
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-' + name, dependencies }))
  const ci = require('miniprogram-ci')
  await ci.packNpmManually({
    packageJsonPath: join(dir, 'package.json'),
    miniprogramNpmDistDir: dir,
  })
  return join(dir, 'miniprogram_npm')
}

/** A wx whose request answers inside the call, as fast as anything can. */
export function syncFakeWx() {
  const task = { abort() {}, onHeadersReceived() {}, offHeadersReceived() {} }
  const result = { errMsg: 'request:ok', statusCode: 200, data: 'ok', header: {}, cookies: [] }
  return {
    request(o) {
      o.success(result)
      return task
    },
    getNetworkType(o) {
      o.success({ errMsg: 'getNetworkType:ok', networkType: 'wifi' })
    },
    onNetworkStatusChange() {},
    offNetworkStatusChange() {},
  }
}
