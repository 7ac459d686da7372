import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { WxError } from '../../src/core/errors'
import { fileSystemManager, fs } from '../../src/file/file-system'
import { createFakeWx } from '../helpers/fake-wx'

type Callbacks = { success?: (r: unknown) => void; fail?: (r: unknown) => void }

// The callback-style methods of FileSystemManager, read from the installed typings with the
// compiler: the same rule as `CallbackMethodName` (the first parameter has `success`).
function asyncMethodsFromTypings(): string[] {
  const file = join(
    __dirname,
    '../../node_modules/miniprogram-api-typings/types/wx/lib.wx.api.d.ts',
  )
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2020)
  const optionTypes = new Map<string, boolean>()
  let manager: ts.InterfaceDeclaration | undefined
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node)) {
      if (node.name.text === 'FileSystemManager') manager = node
      optionTypes.set(
        node.name.text,
        node.members.some((m) => m.name && ts.isIdentifier(m.name) && m.name.text === 'success'),
      )
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  const names = new Set<string>()
  for (const member of manager!.members) {
    if (!ts.isMethodSignature(member) || !ts.isIdentifier(member.name)) continue
    const type = member.parameters[0]?.type
    if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      if (optionTypes.get(type.typeName.text)) names.add(member.name.text)
    }
  }
  return [...names].sort()
}

describe('fs', () => {
  let restore: (() => void) | undefined
  afterEach(() => restore?.())

  it('has exactly the async methods of FileSystemManager in the typings', () => {
    const expected = asyncMethodsFromTypings()
    expect(expected.length).toBeGreaterThan(20)
    expect(Object.keys(fs).sort()).toEqual(expected)
  })

  it('does not touch wx at import, and fetches the manager once, at the first call', async () => {
    const manager = {
      readFile: (o: Callbacks) =>
        Promise.resolve().then(() => o.success?.({ errMsg: 'readFile:ok', data: 'hi' })),
      stat: (o: Callbacks) =>
        Promise.resolve().then(() => o.success?.({ errMsg: 'stat:ok', stats: {} })),
    }
    const getFileSystemManager = jest.fn(() => manager)
    const fake = createFakeWx({ getFileSystemManager })
    restore = fake.install()
    expect(getFileSystemManager).not.toHaveBeenCalled()
    await expect(
      fs.readFile({ filePath: 'wxfile://usr/a.txt', encoding: 'utf8' }),
    ).resolves.toEqual({
      errMsg: 'readFile:ok',
      data: 'hi',
    })
    await fs.stat({ path: 'wxfile://usr' })
    expect(getFileSystemManager).toHaveBeenCalledTimes(1)
    expect(fileSystemManager()).toBe(manager)
  })

  it('fetches a new manager when the global wx changes', async () => {
    const first = { access: (o: Callbacks) => o.success?.({ errMsg: 'access:ok' }) }
    const second = {
      access: (o: Callbacks) => o.fail?.({ errMsg: 'access:fail no such file or directory' }),
    }
    restore = createFakeWx({ getFileSystemManager: () => first }).install()
    await expect(fs.access({ path: 'wxfile://usr/x' })).resolves.toEqual({ errMsg: 'access:ok' })
    restore()
    restore = createFakeWx({ getFileSystemManager: () => second }).install()
    const error = await fs.access({ path: 'wxfile://usr/x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WxError)
    expect(error).toMatchObject({ api: 'access', errMsg: 'access:fail no such file or directory' })
  })

  it('rejects (never throws) when there is no manager or no such method', async () => {
    restore = createFakeWx().install()
    const fake = globalThis as unknown as { wx: Record<string, unknown> }
    delete fake.wx.getFileSystemManager
    await expect(fs.mkdir({ dirPath: 'wxfile://usr/d' })).rejects.toMatchObject({
      errMsg: 'getFileSystemManager:fail not supported',
    })
    restore()
    restore = createFakeWx({ getFileSystemManager: () => ({}) }).install()
    await expect(fs.unzip({ zipFilePath: 'a', targetPath: 'b' })).rejects.toMatchObject({
      errMsg: 'unzip:fail not supported',
    })
    restore()
    restore = createFakeWx({
      getFileSystemManager: () => {
        throw new Error('boom')
      },
    }).install()
    await expect(fs.rmdir({ dirPath: 'x' })).rejects.toMatchObject({
      api: 'getFileSystemManager',
      errMsg: 'getFileSystemManager:fail boom',
    })
  })

  it('rejects options that are not an object with a TypeError', async () => {
    restore = createFakeWx({ getFileSystemManager: () => ({ readdir: () => undefined }) }).install()
    await expect(fs.readdir('wxfile://usr' as never)).rejects.toThrow(TypeError)
  })
})
