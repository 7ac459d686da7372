#!/usr/bin/env node
// Every code block of README.md and docs/*.md compiles, as a user would paste it: each
// ```ts / ```typescript / ```js / ```javascript block becomes its own module and is type-checked
// under strict TypeScript with `moduleResolution: node10`, against the BUILT package as a
// project sees it (node_modules/miniprogram-rx -> this folder, so dist/*.d.ts and the stub
// folders), with miniprogram-api-typings. JavaScript blocks are checked with `checkJs`.
// Blocks that test pages (they import miniprogram-rx/testing or call describe/it/expect) also
// get the jest and Node types, as in the README's testing quick-start. The names that examples
// leave to the reader (`token`, `showError`, ...) are declared once, in test/docs/prelude.d.ts.
// Other blocks (sh, json, text, wxml) are not code.
//
// Errors are printed as `README.md:123:5 - TS2339: ...`, the line in the markdown file.
//   node scripts/check-docs.mjs   (after `npm run build`)
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const scratch = join(root, '.tmp', 'docs-check')
const prelude = join(root, 'test', 'docs', 'prelude.d.ts')
const CODE = /^```(ts|typescript|js|javascript)\s*$/
const TESTING = /miniprogram-rx\/testing|^\s*(describe|it|test|beforeEach|afterEach)\(|\bjest\./m

/** The code blocks of one markdown file, with the line (1-based) of their first line. */
export function codeBlocks(file) {
  const lines = readFileSync(file, 'utf8').split('\n')
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const open = CODE.exec(lines[i])
    if (!open) {
      // skip other fenced blocks whole, so a ``` inside them is not taken for a code block
      if (/^```/.test(lines[i])) while (++i < lines.length && !/^```\s*$/.test(lines[i]));
      continue
    }
    const start = i + 1
    while (++i < lines.length && !/^```\s*$/.test(lines[i]));
    blocks.push({
      file,
      line: start + 1,
      js: open[1].startsWith('j'),
      code: lines.slice(start, i).join('\n'),
    })
  }
  return blocks
}

export function markdownFiles() {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name))
  return [join(root, 'README.md'), ...docs.sort()]
}

function compile(blocks, types) {
  const options = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2017,
    lib: ['lib.es2017.d.ts'],
    // es2022: a fragment may `await` at its top, as if inside the async function around it
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    allowJs: true,
    checkJs: true,
    skipLibCheck: true,
    types,
    typeRoots: [join(root, 'node_modules', '@types'), join(root, 'node_modules')],
  }
  const program = ts.createProgram([prelude, ...blocks.map((b) => b.path)], options)
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    const block = d.file && blocks.find((b) => b.path === d.file.fileName)
    if (!block) return (d.file ? relative(root, d.file.fileName) + ': ' : '') + text
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start)
    const where = relative(root, block.file) + ':' + (block.line + line) + ':' + (character + 1)
    return where + ' - TS' + d.code + ': ' + text
  })
}

/** Type-checks every block; returns the error lines (empty when all compile). */
export function checkDocs() {
  rmSync(scratch, { recursive: true, force: true })
  mkdirSync(join(scratch, 'node_modules'), { recursive: true })
  symlinkSync(root, join(scratch, 'node_modules', 'miniprogram-rx'), 'dir')
  const blocks = markdownFiles().flatMap(codeBlocks)
  for (const block of blocks) {
    const name = relative(root, block.file).replace(/[/.]/g, '_') + '_' + block.line
    block.path = join(scratch, name + (block.js ? '.js' : '.ts'))
    // `export {}` makes each block its own module, so blocks never see each other's names
    writeFileSync(block.path, block.code + '\n' + (block.js ? '' : 'export {}\n'))
  }
  const app = blocks.filter((b) => !TESTING.test(b.code))
  const tests = blocks.filter((b) => TESTING.test(b.code))
  const errors = [
    ...compile(app, ['miniprogram-api-typings']),
    ...compile(tests, ['miniprogram-api-typings', 'jest', 'node']),
  ]
  return { blocks: blocks.length, errors }
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const { blocks, errors } = checkDocs()
  for (const error of errors) console.error(error)
  console.log(
    blocks +
      ' code blocks in README.md and docs/*.md: ' +
      (errors.length ? errors.length + ' errors' : 'all compile'),
  )
  if (errors.length) process.exit(1)
}
