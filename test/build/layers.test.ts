// The layers of docs/contributing.md: domains import core and permission only, never each
// other; core imports no domain; permission imports only core. Two features are built on
// top of domains and may import those below them, never the other way round: stream on
// network (the request pool), toolkit on network and storage.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

const SRC = join(__dirname, '../../src')
const SHARED = ['core', 'permission']
const BUILT_ON: Record<string, string[]> = { stream: ['network'], toolkit: ['network', 'storage'] }

function importsOf(folder: string): string[] {
  const found: string[] = []
  for (const name of readdirSync(join(SRC, folder))) {
    if (!name.endsWith('.ts')) continue
    const source = readFileSync(join(SRC, folder, name), 'utf8')
    for (const match of source.matchAll(/from '\.\.\/([\w-]+)\//g)) {
      found.push(folder + '/' + name + ' -> ' + match[1])
    }
  }
  return found
}

const folders = readdirSync(SRC).filter(
  (name) => statSync(join(SRC, name)).isDirectory() && name !== 'testing',
)

describe('layers of src/', () => {
  it('finds the domains', () => {
    expect(folders).toEqual(expect.arrayContaining(['core', 'media', 'permission', 'storage']))
  })

  it('core imports no other folder', () => {
    expect(importsOf('core')).toEqual([])
  })

  it('permission imports only core', () => {
    expect(importsOf('permission').filter((line) => !line.endsWith('-> core'))).toEqual([])
  })

  it('domains import only core and permission, never each other', () => {
    const crossing = folders
      .filter((folder) => SHARED.indexOf(folder) < 0)
      .flatMap(importsOf)
      .filter((line) => {
        const [from, to] = line.split(' -> ')
        const below = BUILT_ON[from.split('/')[0]] || []
        return SHARED.indexOf(to) < 0 && below.indexOf(to) < 0
      })
    expect(crossing).toEqual([])
  })

  it('nothing imports the features built on top', () => {
    const upward = folders.flatMap(importsOf).filter((line) => {
      const [from, to] = line.split(' -> ')
      return to in BUILT_ON && from.split('/')[0] !== to
    })
    expect(upward).toEqual([])
  })
})
