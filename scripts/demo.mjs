#!/usr/bin/env node
// `npm run demo`: the demo mini program, headless, as a new user would meet it.
//   1. build the package (skipped with --skip-build, which `npm test` uses after its build);
//   2. `npm pack` it and unpack it into miniprogram_demo/miniprogram/node_modules, as
//      `npm install miniprogram-rx` would;
//   3. build miniprogram_npm with miniprogram-ci's packNpmManually (DevTools' "Build npm"),
//      and check it holds exactly what miniprogram_dist holds;
//   4. start the demo server on a free 127.0.0.1 port;
//   5. load every page in miniprogram-simulate with the miniprogram-rx/testing wx host and
//      drive it (jest, jest.demo.config.cjs), one line per module;
//   6. stop everything it started. Exits non-zero if any step or module fails.
//   --prepare-only  stop after step 3 (to open the demo in DevTools)
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const demo = join(root, 'miniprogram_demo')
const app = join(demo, 'miniprogram')
const scratch = join(root, '.tmp', 'demo')
const args = new Set(process.argv.slice(2))
const MODULES = [
  'network',
  'socket',
  'storage',
  'media',
  'audio',
  'files',
  'location',
  'device',
  'chat',
  'toolkit',
]

const step = (text) => console.log('\u001b[2m> ' + text + '\u001b[22m')
const run = (cmd, argv, opts = {}) =>
  execFileSync(cmd, argv, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    ...opts,
  })

function listFiles(dir) {
  const out = []
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name)
      if (statSync(full).isDirectory()) walk(full)
      else out.push(relative(dir, full))
    }
  }
  walk(dir)
  return out.sort()
}
const digest = (file) => createHash('sha256').update(readFileSync(file)).digest('hex')

async function prepare() {
  if (!args.has('--skip-build')) {
    step('npm run build')
    run('npm', ['run', '--silent', 'build'], { stdio: 'inherit' })
  }
  step('npm pack, unpacked into miniprogram_demo/miniprogram/node_modules/miniprogram-rx')
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(scratch, { recursive: true })
  // --ignore-scripts: prepack would build again; step 1 has built
  const packed = JSON.parse(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch]),
  )
  const tarball = join(scratch, packed[0].filename)
  const installed = join(app, 'node_modules', 'miniprogram-rx')
  rmSync(installed, { recursive: true, force: true })
  mkdirSync(installed, { recursive: true })
  run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])

  step('miniprogram-ci packNpmManually (the builder of DevTools "Build npm")')
  const ci = require('miniprogram-ci')
  rmSync(join(app, 'miniprogram_npm'), { recursive: true, force: true })
  const result = await ci.packNpmManually({
    packageJsonPath: join(app, 'package.json'),
    miniprogramNpmDistDir: app,
  })
  if (result.warnList && result.warnList.length) console.log('  pack warnings:', result.warnList)

  const built = join(app, 'miniprogram_npm', 'miniprogram-rx')
  const expected = listFiles(join(root, 'miniprogram_dist'))
  const actual = existsSync(built) ? listFiles(built) : []
  const same =
    expected.length === actual.length &&
    expected.every(
      (f, i) =>
        f === actual[i] && digest(join(root, 'miniprogram_dist', f)) === digest(join(built, f)),
    )
  const others = readdirSync(join(app, 'miniprogram_npm')).filter((n) => n !== 'miniprogram-rx')
  if (!same || others.length) {
    console.error('miniprogram_npm does not match miniprogram_dist', { expected, actual, others })
    process.exit(1)
  }
  console.log(
    '  miniprogram_npm/miniprogram-rx holds exactly miniprogram_dist: ' +
      actual.join(', ') +
      ' (' +
      actual.reduce((n, f) => n + statSync(join(built, f)).size, 0) +
      ' bytes); nothing else was packed',
  )
}

async function drive() {
  const { startDemoServer } = require(join(demo, 'server', 'index.js'))
  const server = await startDemoServer({ port: 0, host: '127.0.0.1' })
  const report = join(scratch, 'report.jsonl')
  rmSync(report, { force: true })
  step('demo server on ' + server.url + '; driving every page in miniprogram-simulate')
  let exitCode
  try {
    const { runCLI } = require('jest')
    process.env.DEMO_SERVER_URL = server.url
    process.env.DEMO_REPORT = report
    const { results } = await runCLI(
      {
        config: join(root, 'jest.demo.config.cjs'),
        runInBand: true,
        silent: !args.has('--verbose'),
        _: [],
        $0: 'demo',
      },
      [root],
    )
    const lines = existsSync(report)
      ? readFileSync(report, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : []
    const failedFiles = new Map(
      results.testResults
        .filter((r) => r.numFailingTests > 0 || r.testExecError)
        .map((r) => [r.testFilePath.replace(/.*[\\/]/, '').replace(/\.demo\.js$/, ''), r]),
    )
    console.log('')
    let ok = true
    for (const name of MODULES) {
      const line = lines.find((l) => l.module === name)
      const failed = failedFiles.get(name)
      if (line && !failed) console.log(name.padEnd(9) + ' ok    ' + line.summary)
      else {
        ok = false
        const why = failed
          ? (failed.testExecError && failed.testExecError.message) ||
            failed.testResults
              .filter((t) => t.status === 'failed')
              .map((t) => t.fullName + ': ' + (t.failureMessages[0] || '').split('\n')[0])
              .join('; ')
          : 'no result reported'
        console.log(name.padEnd(9) + ' FAIL  ' + why)
      }
    }
    exitCode = ok && results.success ? 0 : 1
  } finally {
    await server.close()
  }
  return exitCode
}

// One build-and-pack at a time on this machine (several people may run the demo at once).
const lock = join(root, '.tmp', 'demo.lock')
mkdirSync(join(root, '.tmp'), { recursive: true })
for (let waited = 0; ; waited += 1) {
  try {
    mkdirSync(lock)
    break
  } catch {
    if (waited === 0) console.log('waiting for another demo run to finish packing...')
    if (waited > 600) rmSync(lock, { recursive: true, force: true }) // a stale lock, 5 min old
    await new Promise((r) => setTimeout(r, 500))
  }
}
try {
  await prepare()
} finally {
  rmSync(lock, { recursive: true, force: true })
}
if (args.has('--prepare-only')) {
  console.log('ready: open miniprogram_demo/ in WeChat DevTools (see miniprogram_demo/README.md)')
  process.exit(0)
}
process.exit(await drive())
