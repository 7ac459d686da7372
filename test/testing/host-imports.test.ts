// The layering decision of docs/testing.md: the host in src/testing is a second
// implementation of wx. It may import the generated API catalog (data derived from the
// typings) and nothing else of the SDK.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const TESTING = join(__dirname, '../../src/testing')
const ALLOWED = ['../core/wx-catalog.generated']

describe('src/testing imports', () => {
  const files = readdirSync(TESTING).filter((name) => name.endsWith('.ts'))

  it('finds the host files', () => {
    expect(files).toContain('host.ts')
  })

  it('imports nothing of the SDK but the generated catalog', () => {
    const outside: string[] = []
    for (const name of files) {
      const source = readFileSync(join(TESTING, name), 'utf8')
      for (const match of source.matchAll(/from '(\.\.\/[^']+)'/g)) {
        if (!ALLOWED.includes(match[1])) outside.push(name + ': ' + match[1])
      }
    }
    expect(outside).toEqual([])
  })
})
