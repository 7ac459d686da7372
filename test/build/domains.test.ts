// The build lists its domains explicitly (DOMAINS in rollup.config.mjs): it must refuse an
// src/index.ts that exports from a folder the list lacks, and a listed domain with no exports.
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = join(__dirname, '../..')
const INDEX = readFileSync(join(ROOT, 'src/index.ts'), 'utf8')

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mprx-domains-'))
  for (const file of [
    'rollup.config.mjs',
    'tsconfig.json',
    'tsconfig.mp.json',
    'tsconfig.build.json',
  ]) {
    copyFileSync(join(ROOT, file), join(dir, file))
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  mkdirSync(join(dir, 'src'))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Loads the config against `index` as src/index.ts: `ok`, or the error it throws. */
function loadConfig(index: string): string {
  writeFileSync(join(dir, 'src/index.ts'), index)
  try {
    return execFileSync(
      process.execPath,
      ['-e', "import('./rollup.config.mjs').then(() => console.log('ok'))"],
      { cwd: dir, env: { ...process.env, MPRX_NO_CLEAN: '1' }, encoding: 'utf8', stdio: 'pipe' },
    ).trim()
  } catch (error) {
    return String((error as { stderr?: string }).stderr)
  }
}

describe('the domains of the build', () => {
  it('accepts src/index.ts as it is', () => {
    expect(loadConfig(INDEX)).toBe('ok')
  })

  it('fails for an export from a folder DOMAINS lacks', () => {
    expect(loadConfig(INDEX + "export { widget } from './widgets/widget'\n")).toMatch(
      /src\/index\.ts exports from src\/widgets\/, which is not in DOMAINS of rollup\.config\.mjs/,
    )
  })

  it('fails for a listed domain that exports nothing', () => {
    const withoutStorage = INDEX.split('\n')
      .filter((line) => !/from '\.\/storage\//.test(line))
      .join('\n')
    expect(loadConfig(withoutStorage)).toMatch(/lists storage, but src\/index\.ts exports nothing/)
  })
})
