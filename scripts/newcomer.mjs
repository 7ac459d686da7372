#!/usr/bin/env node
// `npm run test:newcomer`: the path of a new user, on the package as npm would install it.
//   1. `npm pack` this package (after `npm run build`; --ignore-scripts, as prepack builds);
//   2. copy the fixture app (test/newcomer/fixture: a TypeScript mini program as WeChat
//      DevTools makes it, two pages, the README's tsconfig and jest config) to .tmp/newcomer
//      and unpack the tarball into its node_modules, as `npm install miniprogram-rx` would
//      (offline: its other packages come from this repository's node_modules, one folder up);
//   3. build its miniprogram_npm with miniprogram-ci's packNpmManually (DevTools "Build npm"),
//      then load each page from miniprogram_npm in a fresh VM, the way the mini program runs;
//   4. typecheck it under node10 (DevTools' tsconfig, and the README's), bundler resolution,
//      and its tests; the README's first page, jest config and tsconfig.test.json must be the
//      fixture's files, word for word, so what the README shows is what runs here;
//   5. run its jest tests on the miniprogram-rx/testing host.
// Exits non-zero at the first step that fails; prints how long each step took.
import { execFileSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runInNewContext } from 'node:vm'
import ts from 'typescript'

const require = createRequire(import.meta.url)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const scratch = join(root, '.tmp', 'newcomer')
const app = join(scratch, 'app')
const started = Date.now()
let last = started

function step(text) {
  const now = Date.now()
  const took = last === started ? '' : '  (last step ' + ((now - last) / 1000).toFixed(1) + ' s)'
  console.log('\u001b[2m> ' + text + took + '\u001b[22m')
  last = now
}
const run = (cmd, argv, cwd = root) =>
  execFileSync(cmd, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })

function install() {
  if (!existsSync(join(root, 'dist', 'index.cjs'))) {
    throw new Error('dist/ is missing: run `npm run build` first')
  }
  step('npm pack, and the fixture app with the tarball unpacked into its node_modules')
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(scratch, { recursive: true })
  const packed = JSON.parse(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch]),
  )
  cpSync(join(root, 'test', 'newcomer', 'fixture'), app, { recursive: true })
  const installed = join(app, 'node_modules', 'miniprogram-rx')
  mkdirSync(installed, { recursive: true })
  run('tar', ['-xzf', join(scratch, packed[0].filename), '-C', installed, '--strip-components=1'])
}

async function buildNpm() {
  step('miniprogram-ci packNpmManually (DevTools "Build npm")')
  const ci = require('miniprogram-ci')
  const result = await ci.packNpmManually({
    packageJsonPath: join(app, 'package.json'),
    miniprogramNpmDistDir: join(app, 'miniprogram'),
  })
  if (result.warnList && result.warnList.length) console.log('  warnings:', result.warnList)
  const npmDir = join(app, 'miniprogram', 'miniprogram_npm')
  const packages = readdirSync(npmDir)
  const files = readdirSync(join(npmDir, 'miniprogram-rx'))
  if (
    packages.join() !== 'miniprogram-rx' ||
    !files.includes('index.js') ||
    !files.includes('rxjs.js')
  ) {
    throw new Error('miniprogram_npm holds ' + packages.join(', ') + ': ' + files.join(', '))
  }
  console.log('  miniprogram_npm/miniprogram-rx: ' + files.join(', '))
}

/**
 * Runs each page of app.json as the mini program would: its TypeScript compiled to CommonJS,
 * `require('miniprogram-rx')` and `require('miniprogram-rx/rxjs')` answered from
 * miniprogram_npm, in a fresh VM context whose `wx` is the testing host; then onLoad and
 * onUnload, and no wx listener may be left.
 */
async function runPagesFromMiniprogramNpm() {
  step('each page loaded from miniprogram_npm in a fresh VM, wx = the testing host')
  const { createWxHost } = require(
    join(app, 'node_modules', 'miniprogram-rx', 'dist', 'testing.cjs'),
  )
  const host = createWxHost()
  // offline: the pages' calls wait (and are cancelled by onUnload) instead of leaving 127.0.0.1
  host.setNetwork({ isConnected: false })
  const npmDir = join(app, 'miniprogram', 'miniprogram_npm')
  const pages = JSON.parse(readFileSync(join(app, 'miniprogram', 'app.json'), 'utf8')).pages
  try {
    for (const page of pages) {
      const modules = new Map()
      let options
      const context = { wx: host.wx, console, setTimeout, clearTimeout, setInterval, clearInterval }
      context.Page = (o) => (options = o)
      const load = (file) => {
        if (modules.has(file)) return modules.get(file).exports
        const module = { exports: {} }
        modules.set(file, module)
        let code = readFileSync(file, 'utf8')
        if (file.endsWith('.ts')) {
          code = ts.transpileModule(code, {
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2017 },
          }).outputText
        }
        const fn = runInNewContext(
          '(function (module, exports, require) {' + code + '\n})',
          context,
        )
        fn(module, module.exports, (id) => {
          // npm names resolve in miniprogram_npm, as the mini program resolves them
          const target = id.startsWith('.')
            ? join(dirname(file), id.endsWith('.js') ? id : id + '.js')
            : join(npmDir, id.includes('/') ? id + '.js' : id + '/index.js')
          return load(target)
        })
        return module.exports
      }
      load(join(app, 'miniprogram', page + '.ts'))
      if (!options) throw new Error(page + ' did not call Page()')
      const instance = { ...options, data: { ...options.data }, setData: () => undefined }
      if (instance.onLoad) instance.onLoad({})
      await new Promise((resolve) => setTimeout(resolve, 20))
      if (instance.onUnload) instance.onUnload()
      const left = host.listenerCount()
      if (left) throw new Error(page + ' left ' + left + ' wx listeners after onUnload')
      console.log('  ' + page + ': loaded, onLoad and onUnload ran, no listener left')
    }
  } finally {
    await host.close()
  }
}

/** The fenced blocks of README.md of one language, as text. */
function readmeBlocks(language) {
  const text = readFileSync(join(root, 'README.md'), 'utf8')
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm')
  return [...text.matchAll(fence)].map((m) => m[1])
}

function sameAsReadme() {
  step('README.md shows the fixture: first page, jest config, tsconfig.test.json, tsconfig')
  const fixture = (file) => readFileSync(join(app, file), 'utf8')
  const shown = [
    ['miniprogram/pages/index/index.ts', readmeBlocks('ts')],
    ['jest.config.js', readmeBlocks('js')],
    ['tsconfig.test.json', readmeBlocks('json')],
  ]
  for (const [file, blocks] of shown) {
    if (!blocks.includes(fixture(file))) throw new Error('README.md has no block equal to ' + file)
  }
  // the README's tsconfig (the one with `include`, not extending another) is checked below
  const readmeConfig = readmeBlocks('json').find((b) => /"include"/.test(b) && !/"extends"/.test(b))
  if (!readmeConfig) throw new Error('README.md has no tsconfig.json block')
  writeFileSync(join(app, 'tsconfig.readme.json'), readmeConfig)
}

/**
 * `tsc --noEmit -p <config>` for each config, in this process: the programs share parsed
 * files (the typings and TypeScript's libraries are parsed once, not four times).
 */
function typecheck() {
  const parsedFiles = new Map()
  const configs = ['tsconfig.json', 'tsconfig.readme.json', 'tsconfig.bundler.json']
  for (const config of [...configs, 'tsconfig.test.json']) {
    step('tsc --noEmit -p ' + config)
    const parsed = ts.getParsedCommandLineOfConfigFile(join(app, config), undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      },
    })
    const host = ts.createCompilerHost(parsed.options)
    const parse = host.getSourceFile
    host.getSourceFile = (fileName, languageVersion, ...rest) => {
      const key = fileName + ' ' + JSON.stringify(languageVersion)
      if (!parsedFiles.has(key)) parsedFiles.set(key, parse(fileName, languageVersion, ...rest))
      return parsedFiles.get(key)
    }
    const options = { ...parsed.options, noEmit: true }
    const program = ts.createProgram({ rootNames: parsed.fileNames, options, host })
    const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)]
    if (diagnostics.length) {
      const formatHost = {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => app,
        getNewLine: () => '\n',
      }
      console.error(ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost))
      throw new Error(config + ': ' + diagnostics.length + ' type errors')
    }
  }
}

function jest() {
  step("jest (the app's tests, on the miniprogram-rx/testing host)")
  const bin = join(root, 'node_modules', 'jest', 'bin', 'jest.js')
  execFileSync(process.execPath, [bin, '--config', join(app, 'jest.config.js'), '--rootDir', app], {
    cwd: app,
    stdio: 'inherit',
  })
}

try {
  install()
  await buildNpm()
  await runPagesFromMiniprogramNpm()
  sameAsReadme()
  typecheck()
  jest()
  step('newcomer test passed in ' + ((Date.now() - started) / 1000).toFixed(1) + ' s')
} catch (error) {
  console.error('newcomer test failed: ' + (error instanceof Error ? error.message : error))
  process.exit(1)
}
