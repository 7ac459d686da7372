// The published package as npm packs it: exactly the built folders, the typings, the stub
// folders that give node10 its subpaths, README, LICENSE and CHANGELOG; and types that
// @arethetypeswrong/cli finds correct for ".", "./rxjs" and "./testing" under node10, node16
// (CommonJS and ESM) and bundler resolution. Runs on the build of `npm run build`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const built = existsSync(join(root, 'dist', 'index.cjs'))
const maybe = built ? it : it.skip
const npm = (args: string[]) =>
  execFileSync('npm', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

interface PackResult {
  filename: string
  files: { path: string }[]
}
// --ignore-scripts: `prepack` would build again; `npm test` has just built.
const pack = (destination: string): PackResult =>
  JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', destination]))[0]

const ALLOWED_TOP = new Set([
  'package.json',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'rxjs/package.json',
  'testing/package.json',
])
const ALLOWED_FOLDERS = ['dist/', 'miniprogram_dist/', 'typings/']

describe('the npm package', () => {
  const scratch = join(root, '.tmp', 'package-test')
  let packed: PackResult
  beforeAll(() => {
    rmSync(scratch, { recursive: true, force: true })
    mkdirSync(scratch, { recursive: true })
    if (built) packed = pack(scratch)
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  maybe('holds the built code, typings, README, LICENSE and CHANGELOG, and nothing else', () => {
    const paths = packed.files.map((f) => f.path).sort()
    const stray = paths.filter(
      (p) => !ALLOWED_TOP.has(p) && !ALLOWED_FOLDERS.some((folder) => p.startsWith(folder)),
    )
    expect(stray).toEqual([])
    expect(paths).toEqual(
      expect.arrayContaining([
        ...ALLOWED_TOP,
        'dist/index.cjs',
        'dist/index.mjs',
        'dist/index.d.ts',
        'dist/index.d.mts',
        'dist/rxjs.cjs',
        'dist/testing.cjs',
        'dist/typings/wx-saved-file.d.ts',
        'miniprogram_dist/index.js',
        'miniprogram_dist/rxjs.js',
        'typings/wx-saved-file.d.ts',
      ]),
    )
    // every file of miniprogram_dist (what DevTools copies) is in the tarball
    const dist = paths.filter((p) => p.startsWith('miniprogram_dist/'))
    expect(dist.length).toBeGreaterThan(5)
  })

  it('builds before it packs, and says where it comes from', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(manifest.scripts.prepack).toMatch(/npm run build/)
    expect(manifest.repository.url).toMatch(/^git\+https:\/\//)
    expect(manifest.homepage).toMatch(/^https:\/\//)
    expect(manifest.bugs.url).toMatch(/^https:\/\//)
    expect(manifest.license).toBe('MIT')
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/)
    // the stub folders point node10 at the built files
    for (const sub of ['rxjs', 'testing']) {
      const stub = JSON.parse(readFileSync(join(root, sub, 'package.json'), 'utf8'))
      expect(stub.types).toBe('../dist/' + sub + '.d.ts')
      expect(stub.main).toBe('../dist/' + sub + '.cjs')
      expect(manifest.exports['./' + sub].require.types).toBe('./dist/' + sub + '.d.ts')
    }
  })

  maybe('has types that resolve under node10, node16 and bundler (attw)', () => {
    const attw = join(root, 'node_modules', '.bin', 'attw')
    const tarball = join(scratch, packed.filename)
    let output: string
    try {
      output = execFileSync(attw, [tarball, '--format', 'json'], { encoding: 'utf8' })
    } catch (error) {
      // attw exits non-zero when it finds a problem; its report is on stdout
      output = (error as { stdout: string }).stdout
    }
    const report = JSON.parse(output) as {
      problems: Record<string, unknown>
      analysis: { entrypoints: Record<string, { resolutions: Record<string, unknown> }> }
    }
    expect(report.problems).toEqual({})
    const entrypoints = Object.keys(report.analysis.entrypoints).sort()
    expect(entrypoints).toEqual(['.', './package.json', './rxjs', './testing'])
    for (const entry of ['.', './rxjs', './testing']) {
      expect(Object.keys(report.analysis.entrypoints[entry].resolutions).sort()).toEqual([
        'bundler',
        'node10',
        'node16-cjs',
        'node16-esm',
      ])
    }
  })
})
