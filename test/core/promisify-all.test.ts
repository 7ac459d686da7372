import { WxError } from '../../src/core/errors'
import { promisifyAll } from '../../src/core/promisify-all'

class FakeFileSystemManager {
  files: Record<string, string> = { a: 'A' }
  readFile(o: { filePath: string; success?: (r: unknown) => void; fail?: (r: unknown) => void }) {
    const data = this.files[o.filePath]
    if (data === undefined)
      o.fail?.({ errMsg: 'readFile:fail no such file or directory ' + o.filePath })
    else o.success?.({ errMsg: 'readFile:ok', data })
  }
  readFileSync(path: string) {
    return this.files[path]
  }
  onSomething() {
    return 'listener'
  }
}

describe('promisifyAll', () => {
  it('wraps callback methods found on the prototype chain and calls them on the object', async () => {
    const fs = new FakeFileSystemManager()
    const p = promisifyAll(fs)
    await expect(p.readFile({ filePath: 'a' })).resolves.toEqual({
      errMsg: 'readFile:ok',
      data: 'A',
    })
    const error = await p.readFile({ filePath: 'b' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WxError)
    expect((error as WxError).api).toBe('readFile')
  })

  it('leaves out Sync methods and on/off listeners', () => {
    const p = promisifyAll(new FakeFileSystemManager()) as unknown as Record<string, unknown>
    expect(Object.keys(p)).toEqual(['readFile'])
  })

  it('wraps only the given names when a list is passed', () => {
    const p = promisifyAll(new FakeFileSystemManager(), ['readFile']) as unknown as Record<
      string,
      unknown
    >
    expect(Object.keys(p)).toEqual(['readFile'])
  })

  it('rejects "not supported" for a listed name the object lacks', async () => {
    const p = promisifyAll({}, ['moveTo']) as unknown as Record<string, () => Promise<unknown>>
    await expect(p.moveTo()).rejects.toMatchObject({ errMsg: 'moveTo:fail not supported' })
  })

  it('throws a TypeError naming the argument for a non-object target', () => {
    expect(() => promisifyAll(null as never)).toThrow(TypeError)
    expect(() => promisifyAll(42 as never)).toThrow(/promisifyAll: `target` must be an object/)
  })
})
