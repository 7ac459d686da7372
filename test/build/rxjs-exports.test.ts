// miniprogram-rx/rxjs is all of RxJS 7: every value and type that `rxjs` and `rxjs/operators`
// export, in the source entry, the built mini program entry and the published declarations.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import * as rxjs from 'rxjs'
import * as operators from 'rxjs/operators'
import * as entry from '../../src/rxjs'

const root = join(__dirname, '..', '..')
const sorted = (names: Iterable<string>) => [...new Set(names)].sort()
// The operator forms of creation functions: `rxjs` and this entry export the creation function
// under these names (the operator forms are deprecated in favour of the `*With` operators).
const CREATION_NAMES = [
  'combineLatest',
  'concat',
  'merge',
  'onErrorResumeNext',
  'partition',
  'race',
  'zip',
]

describe('miniprogram-rx/rxjs', () => {
  it('exports every value of rxjs and rxjs/operators, and nothing else', () => {
    const expected = sorted([...Object.keys(rxjs), ...Object.keys(operators)])
    expect(expected.length).toBeGreaterThan(170)
    expect(sorted(Object.keys(entry))).toEqual(expected)
  })

  it('exports the very objects of the installed rxjs, one copy with the SDK', () => {
    const values = entry as unknown as Record<string, unknown>
    const rx = rxjs as unknown as Record<string, unknown>
    const ops = operators as unknown as Record<string, unknown>
    const differs = Object.keys(rx).filter((name) => values[name] !== rx[name])
    expect(differs).toEqual([])
    // operators are the same functions, except the deprecated operator forms listed above
    const differsFromOperators = Object.keys(ops).filter((name) => values[name] !== ops[name])
    expect(differsFromOperators.sort()).toEqual(CREATION_NAMES)
  })

  const built = join(root, 'miniprogram_dist', 'rxjs.js')
  const maybe = existsSync(built) ? it : it.skip
  maybe('holds every value of rxjs in the built miniprogram_dist/rxjs.js', () => {
    const dist = require(built) as Record<string, unknown>
    expect(sorted(Object.keys(dist))).toEqual(sorted(Object.keys(entry)))
    expect(typeof dist.mergeAll).toBe('function')
    expect(new (dist.EmptyError as new () => Error)()).toBeInstanceOf(Error)
  })

  const declarations = join(root, 'dist', 'rxjs.d.ts')
  const maybeTypes = existsSync(declarations) ? it : it.skip
  maybeTypes('declares every value and type that rxjs declares (dist/rxjs.d.ts)', () => {
    // A probe module importing both, resolved by the compiler as a user's project would.
    const dir = join(root, '.tmp', 'rxjs-exports')
    mkdirSync(dir, { recursive: true })
    const probe = join(dir, 'probe.ts')
    writeFileSync(
      probe,
      "export * as ours from '../../dist/rxjs'\nexport * as theirs from 'rxjs'\n" +
        "export * as theirOperators from 'rxjs/operators'\n",
    )
    const program = ts.createProgram([probe], {
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      strict: true,
      noEmit: true,
      types: ['miniprogram-api-typings'],
    })
    const checker = program.getTypeChecker()
    const source = program.getSourceFile(probe)!
    const namesOf = (specifier: string) => {
      const declaration = source.statements.find(
        (s) =>
          ts.isExportDeclaration(s) && (s.moduleSpecifier as ts.StringLiteral).text === specifier,
      ) as ts.ExportDeclaration
      const symbol = checker.getSymbolAtLocation(declaration.moduleSpecifier!)!
      return sorted(checker.getExportsOfModule(symbol).map((s) => s.name))
    }
    const ours = namesOf('../../dist/rxjs')
    const theirs = sorted([...namesOf('rxjs'), ...namesOf('rxjs/operators')])
    expect(theirs.length).toBeGreaterThan(220)
    expect(ours).toEqual(theirs)
  })
})
