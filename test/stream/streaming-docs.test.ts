// Every TypeScript block of docs/streaming.md and of the README's streaming section compiles
// under strict TypeScript with node10 resolution, as a newcomer would paste it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'

const root = join(__dirname, '..', '..')

function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])
}

function readmeSection(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const start = readme.indexOf('## Streaming (chunked and SSE)')
  expect(start).toBeGreaterThanOrEqual(0)
  const end = readme.indexOf('\n## ', start + 3)
  return readme.slice(start, end)
}

it('compiles every code block of the streaming docs', () => {
  const blocks = [
    ...tsBlocks(readFileSync(join(root, 'docs', 'streaming.md'), 'utf8')),
    ...tsBlocks(readmeSection()),
  ]
  expect(blocks.length).toBeGreaterThanOrEqual(6)
  const dir = join(root, '.tmp', 'streaming-docs')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const files = blocks.map((code, i) => {
    const file = join(dir, 'block-' + i + '.ts')
    writeFileSync(file, code)
    return file
  })
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2020,
    lib: ['lib.es2020.d.ts'],
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['miniprogram-api-typings', 'node'],
    typeRoots: [join(root, 'node_modules', '@types'), join(root, 'node_modules')],
    baseUrl: root,
    paths: {
      'miniprogram-rx': ['./src/index.ts'],
      'miniprogram-rx/testing': ['./src/testing/index.ts'],
    },
  })
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.includes(d.file.fileName))
    .map((d) => {
      const where = d.file!.getLineAndCharacterOfPosition(d.start ?? 0)
      const block = files.indexOf(d.file!.fileName)
      return `block ${block} line ${where.line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
    })
  rmSync(dir, { recursive: true, force: true })
  expect(problems).toEqual([])
})
