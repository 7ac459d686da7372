// Checks the folder DevTools "Build npm" copies: ES5 syntax, no require outside itself, no
// Proxy/eval/new Function, no wx access at load, and every async API answering through wxp,
// all inside a fresh VM context whose only module system is the one a mini program has.
import { parse } from 'acorn'
import { simple } from 'acorn-walk'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { runInNewContext } from 'node:vm'
import { ASYNC_APIS } from '../../src/core/wx-catalog.generated'

const dir = join(__dirname, '..', '..', 'miniprogram_dist')
function listJs(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listJs(join(folder, entry.name))
      : entry.name.endsWith('.js')
        ? [relative(dir, join(folder, entry.name))]
        : [],
  )
}
const files = existsSync(dir) ? listJs(dir).sort() : []

function loadDist(sandbox: Record<string, unknown>, loaded: string[] = []) {
  const cache = new Map<string, { exports: unknown }>()
  const load = (file: string): unknown => {
    const key = normalize(file)
    const cached = cache.get(key)
    if (cached) return cached.exports
    const module = { exports: {} as unknown }
    cache.set(key, module)
    loaded.push(key)
    const code = readFileSync(join(dir, key), 'utf8')
    const requireInside = (id: string) => {
      if (!id.startsWith('./'))
        throw new Error(key + ' requires ' + id + ' from outside miniprogram_dist')
      const target = normalize(join(dirname(key), id.endsWith('.js') ? id : id + '.js'))
      if (target.startsWith('..'))
        throw new Error(key + ' requires ' + id + ' from outside miniprogram_dist')
      return load(target)
    }
    runInNewContext('(function (module, exports, require) {' + code + '\n})', sandbox)(
      module,
      module.exports,
      requireInside,
    )
    return module.exports
  }
  return load
}

describe('miniprogram_dist', () => {
  it('was built (npm test runs the build first)', () => {
    expect(files).toEqual(expect.arrayContaining(['index.js', 'rxjs.js']))
  })

  it.each(files)('%s parses as ES5 and uses no Proxy, eval or new Function', (file) => {
    const code = readFileSync(join(dir, file), 'utf8')
    const ast = parse(code, { ecmaVersion: 5, sourceType: 'script' })
    const banned: string[] = []
    simple(ast, {
      Identifier(node: { name: string }) {
        if (node.name === 'Proxy' || node.name === 'eval') banned.push(node.name)
      },
      NewExpression(node: { callee: { type: string; name?: string } }) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'Function')
          banned.push('new Function')
      },
      CallExpression(node: { callee: { type: string; name?: string } }) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'Function')
          banned.push('Function()')
      },
    })
    expect(banned).toEqual([])
  })

  it.each(files)('%s requires nothing outside miniprogram_dist', (file) => {
    const code = readFileSync(join(dir, file), 'utf8')
    const required: string[] = []
    simple(parse(code, { ecmaVersion: 5 }), {
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          const first = node.arguments[0]
          required.push(
            first && first.type === 'Literal' ? String(first.value) : '<not a string literal>',
          )
        }
      },
    })
    for (const id of required) {
      expect(id).toMatch(/^\.\.?\//)
      const target = join(dir, dirname(file), id)
      expect(relative(dir, target).startsWith('..')).toBe(false)
      expect(existsSync(target)).toBe(true)
    }
  })

  it('loads without a wx, then answers every async API through a wx installed later', async () => {
    const sandbox: Record<string, unknown> = { console, setTimeout, clearTimeout }
    const sdk = loadDist(sandbox)('index.js') as {
      wxp: Record<string, (o?: object) => Promise<{ errMsg: string }>>
      isWxError: (e: unknown) => boolean
    }
    const names = ASYNC_APIS.split(',')
    expect(names).toEqual(
      expect.arrayContaining([
        'saveFile',
        'getSavedFileList',
        'getSavedFileInfo',
        'removeSavedFile',
      ]),
    )
    const seen: string[] = []
    const wx: Record<string, unknown> = {}
    for (const name of names) {
      wx[name] = (o: { success: (r: unknown) => void }) => {
        seen.push(name)
        setTimeout(() => o.success({ errMsg: name + ':ok' }), 0)
      }
    }
    sandbox.wx = wx
    const results = await Promise.all(names.map((name) => sdk.wxp[name]({})))
    expect(results.map((r) => r.errMsg)).toEqual(names.map((n) => n + ':ok'))
    expect(seen).toHaveLength(names.length)
    // a failure is a WxError inside the mini program's realm too
    wx.getSetting = (o: { fail: (r: unknown) => void }) => o.fail({ errMsg: 'getSetting:fail x' })
    const error = await sdk.wxp.getSetting({}).catch((e: unknown) => e)
    expect(sdk.isWxError(error)).toBe(true)
  })

  it('shares one RxJS between the SDK and the miniprogram-rx/rxjs entry', () => {
    const load = loadDist({ console, setTimeout, clearTimeout })
    const sdk = load('index.js') as { fromWxEvent: (n: string) => unknown }
    const rx = load('rxjs.js') as {
      Observable: new () => unknown
      map: unknown
      switchMap: unknown
    }
    expect(typeof rx.map).toBe('function')
    expect(typeof rx.switchMap).toBe('function')
    expect(sdk.fromWxEvent('onAppShow')).toBeInstanceOf(rx.Observable)
  })

  it('loads only core at require time and every other export on first use', () => {
    const loaded: string[] = []
    const sdk = loadDist({ console, setTimeout, clearTimeout }, loaded)('index.js') as Record<
      string,
      unknown
    >
    const atLoad = [...loaded]
    expect(atLoad).not.toEqual(expect.arrayContaining(['network.js']))
    expect(atLoad.filter((f) => !f.startsWith('shared/'))).toEqual(['index.js'])
    // every value export of src/index.ts is on the facade and resolves to something defined
    const source = readFileSync(join(__dirname, '..', '..', 'src', 'index.ts'), 'utf8')
    const names = [...source.matchAll(/^export \{([^}]*)\} from/gm)].flatMap((m) =>
      m[1]
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    )
    expect(names.length).toBeGreaterThan(40)
    for (const name of names) expect(sdk[name]).toBeDefined()
    expect(loaded).toEqual(expect.arrayContaining(['network.js', 'media.js', 'storage.js']))
  })
})
