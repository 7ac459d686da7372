import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HostContext } from '../../src/testing/context'
import { installFiles, type FilesHostControls } from '../../src/testing/files'

type AnyWx = Record<string, any>

interface TestHost {
  wx: AnyWx
  fs: AnyWx
  root: string
  files: FilesHostControls
  close(): Promise<void>
}

const hosts: TestHost[] = []
const USR = 'wxfile://usr'

// The files part on its own context, closed the way createWxHost closes a host.
function newHost(): TestHost {
  const ctx = new HostContext()
  const files = installFiles(ctx, {})
  const host: TestHost = {
    wx: ctx.wx,
    fs: ctx.wx.getFileSystemManager(),
    root: ctx.root,
    files,
    async close() {
      ctx.closed = true
      await ctx.closeResources()
      rmSync(ctx.root, { recursive: true, force: true })
    },
  }
  hosts.push(host)
  return host
}

/** Calls a FileSystemManager method; resolves with `['success' | 'fail', result]` after complete. */
function call(target: AnyWx, method: string, options: Record<string, unknown> = {}) {
  return new Promise<[string, any]>((resolve, reject) => {
    let outcome: [string, any] | undefined
    const returned = target[method]({
      ...options,
      success: (res: unknown) => (outcome = ['success', res]),
      fail: (res: unknown) => (outcome = ['fail', res]),
      complete: (res: unknown) => {
        if (!outcome || outcome[1] !== res) reject(new Error('complete got another result'))
        else resolve(outcome)
      },
    })
    if (returned !== undefined) reject(new Error(method + ' returned ' + String(returned)))
  })
}

function thrown(fn: () => unknown): Error & { errMsg?: string; errno?: number } {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

const text = (buffer: ArrayBuffer) => Buffer.from(buffer).toString()

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()))
})

describe('the manager', () => {
  it('is one object for the whole app, with USER_DATA_PATH on wx.env', () => {
    const { wx, fs } = newHost()
    expect(wx.getFileSystemManager()).toBe(fs)
    expect(wx.env.USER_DATA_PATH).toBe('wxfile://usr')
  })

  it('calls back with WeChat errMsg, later, and returns nothing (no Promise form)', async () => {
    const { fs } = newHost()
    const success = jest.fn()
    expect(fs.writeFile({ filePath: USR + '/a.txt', data: 'hi', success })).toBeUndefined()
    expect(success).not.toHaveBeenCalled()
    await new Promise((r) => setImmediate(r))
    expect(success).toHaveBeenCalledWith({ errMsg: 'writeFile:ok' })
    expect(fs.writeFile({ filePath: USR + '/b.txt', data: 'x' })).toBeUndefined()
  })

  it('names a missing or mistyped parameter as WeChat does', async () => {
    const { fs } = newHost()
    expect(await call(fs, 'readFile')).toEqual([
      'fail',
      {
        errMsg:
          'readFile:fail parameter error: parameter.filePath should be String instead of Undefined;',
        errno: 1001,
      },
    ])
    expect(thrown(() => fs.mkdirSync(42)).message).toBe(
      'mkdirSync:fail parameter error: parameter.dirPath should be String instead of Number;',
    )
    expect((await call(fs, 'writeFile', { filePath: USR + '/x', data: 5 }))[1].errMsg).toBe(
      'writeFile:fail parameter error: parameter.data should be String/ArrayBuffer instead of Number;',
    )
  })

  it('fails the descriptor and archive methods it does not simulate', async () => {
    const { fs } = newHost()
    expect((await call(fs, 'open', { filePath: USR + '/a' }))[1]).toEqual({
      errMsg: 'open:fail not supported by miniprogram-rx host',
    })
    expect(thrown(() => fs.openSync({ filePath: USR + '/a' })).message).toBe(
      'openSync:fail not supported by miniprogram-rx host',
    )
  })

  it('fails every call after the host is closed', async () => {
    const host = newHost()
    await host.close()
    expect((await call(host.fs, 'access', { path: USR }))[1].errMsg).toBe('access:fail host closed')
    expect(thrown(() => host.fs.accessSync(USR)).message).toBe('accessSync:fail host closed')
  })
})

describe('writeFile / readFile / appendFile', () => {
  it('writes a real file under usr/ and reads it back as text or ArrayBuffer', async () => {
    const { fs, root } = newHost()
    expect(await call(fs, 'writeFile', { filePath: USR + '/a.txt', data: 'héllo' })).toEqual([
      'success',
      { errMsg: 'writeFile:ok' },
    ])
    expect(readFileSync(join(root, 'usr', 'a.txt'), 'utf8')).toBe('héllo')
    expect(await call(fs, 'readFile', { filePath: USR + '/a.txt', encoding: 'utf8' })).toEqual([
      'success',
      { data: 'héllo', errMsg: 'readFile:ok' },
    ])
    const [, raw] = await call(fs, 'readFile', { filePath: USR + '/a.txt' })
    expect(raw.data).toBeInstanceOf(ArrayBuffer)
    expect(text(raw.data)).toBe('héllo')
    expect(fs.readFileSync(USR + '/a.txt', 'utf-8')).toBe('héllo')
  })

  it('writes ArrayBuffers and typed arrays, and honours every WeChat encoding', () => {
    const { fs } = newHost()
    const bytes = new Uint8Array([0, 1, 2, 250, 255])
    fs.writeFileSync(USR + '/bin', bytes.buffer)
    expect([...new Uint8Array(fs.readFileSync(USR + '/bin'))]).toEqual([0, 1, 2, 250, 255])
    fs.writeFileSync(USR + '/view', bytes.subarray(1, 3))
    expect([...new Uint8Array(fs.readFileSync(USR + '/view'))]).toEqual([1, 2])
    expect(fs.readFileSync(USR + '/bin', 'hex')).toBe('000102faff')
    expect(fs.readFileSync(USR + '/bin', 'base64')).toBe('AAEC+v8=')
    fs.writeFileSync(USR + '/b64', 'aGVsbG8=', 'base64')
    expect(fs.readFileSync(USR + '/b64', 'ascii')).toBe('hello')
    fs.writeFileSync(USR + '/u16', 'hi', 'utf-16le')
    expect([...new Uint8Array(fs.readFileSync(USR + '/u16'))]).toEqual([104, 0, 105, 0])
    expect(fs.readFileSync(USR + '/u16', 'ucs-2')).toBe('hi')
    fs.writeFileSync(USR + '/l1', 'é', 'latin1')
    expect(fs.readFileSync(USR + '/l1', 'binary')).toBe('é')
    expect(thrown(() => fs.readFileSync(USR + '/l1', 'utf32')).message).toBe(
      'readFileSync:fail invalid encoding: utf32',
    )
  })

  it('refuses base64 with a Data URI prefix, as WeChat does', async () => {
    const { fs } = newHost()
    const [kind, res] = await call(fs, 'writeFile', {
      filePath: USR + '/img',
      data: 'data:image/png;base64,aGVsbG8=',
      encoding: 'base64',
    })
    expect([kind, res]).toEqual([
      'fail',
      { errMsg: 'writeFile:fail base64 encode error', errno: 1300203 },
    ])
  })

  it('reads a slice with position and length, and refuses ranges outside the file', async () => {
    const { fs } = newHost()
    fs.writeFileSync(USR + '/abc', 'abcdef')
    expect(fs.readFileSync(USR + '/abc', 'utf8', 2, 3)).toBe('cde')
    expect(fs.readFileSync(USR + '/abc', 'utf8', 4)).toBe('ef')
    expect(text(fs.readFileSync(USR + '/abc', undefined, undefined, 2))).toBe('ab')
    expect(
      (await call(fs, 'readFile', { filePath: USR + '/abc', encoding: 'utf8', position: 6 }))[1],
    ).toEqual({ errMsg: 'readFile:fail value of position is out of range', errno: 1300022 })
    expect(thrown(() => fs.readFileSync(USR + '/abc', 'utf8', 2, 5)).message).toBe(
      'readFileSync:fail value of length is out of range',
    )
  })

  it('fails a missing file, a directory and a missing parent with WeChat messages', async () => {
    const { fs } = newHost()
    expect(await call(fs, 'readFile', { filePath: USR + '/x' })).toEqual([
      'fail',
      { errMsg: 'readFile:fail no such file or directory, open wxfile://usr/x', errno: 1300002 },
    ])
    const error = thrown(() => fs.readFileSync(USR + '/x'))
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toBe('readFileSync:fail no such file or directory, open wxfile://usr/x')
    expect(error.errMsg).toBe(error.message)
    expect(error.errno).toBe(1300002)
    fs.mkdirSync(USR + '/dir')
    expect((await call(fs, 'readFile', { filePath: USR + '/dir' }))[1].errMsg).toBe(
      'readFile:fail illegal operation on a directory, open wxfile://usr/dir',
    )
    expect((await call(fs, 'writeFile', { filePath: USR + '/no/such.txt', data: '' }))[1]).toEqual({
      errMsg: 'writeFile:fail no such file or directory, open wxfile://usr/no/such.txt',
      errno: 1300002,
    })
  })

  it('appends to an existing file only', async () => {
    const { fs } = newHost()
    fs.writeFileSync(USR + '/log', 'a')
    expect(await call(fs, 'appendFile', { filePath: USR + '/log', data: 'b' })).toEqual([
      'success',
      { errMsg: 'appendFile:ok' },
    ])
    fs.appendFileSync(USR + '/log', 'Yw==', 'base64')
    expect(fs.readFileSync(USR + '/log', 'utf8')).toBe('abc')
    expect((await call(fs, 'appendFile', { filePath: USR + '/none', data: 'b' }))[1].errMsg).toBe(
      'appendFile:fail no such file or directory, open wxfile://usr/none',
    )
    fs.mkdirSync(USR + '/d')
    expect(thrown(() => fs.appendFileSync(USR + '/d', 'x')).message).toBe(
      'appendFileSync:fail illegal operation on a directory, open "wxfile://usr/d"',
    )
  })

  it('keeps the last of many writes issued without waiting, and a read sees it', async () => {
    const { fs } = newHost()
    const done: Promise<unknown>[] = []
    for (let i = 0; i < 20; i++) {
      done.push(
        call(fs, 'writeFile', { filePath: USR + '/race', data: 'v' + i + '-'.repeat(i * 1000) }),
      )
    }
    const read = call(fs, 'readFile', { filePath: USR + '/race', encoding: 'utf8' })
    await Promise.all(done)
    const expected = 'v19' + '-'.repeat(19000)
    expect((await read)[1].data).toBe(expected)
    expect(fs.readFileSync(USR + '/race', 'utf8')).toBe(expected)
  })

  it('enforces the user-data limit and leaves nothing behind', async () => {
    const { fs, files, root } = newHost()
    expect(files.limits()).toEqual({ savedFiles: 10 * 1024 * 1024, userData: 200 * 1024 * 1024 })
    files.setLimits({ userData: 100 })
    fs.writeFileSync(USR + '/small', 'x'.repeat(60))
    expect(await call(fs, 'writeFile', { filePath: USR + '/big', data: 'y'.repeat(50) })).toEqual([
      'fail',
      {
        errMsg: 'writeFile:fail the maximum size of the file storage limit is exceeded',
        errno: 1300202,
      },
    ])
    expect(existsSync(join(root, 'usr', 'big'))).toBe(false)
    fs.writeFileSync(USR + '/small', 'x'.repeat(100)) // replacing counts only the growth
    expect(thrown(() => fs.appendFileSync(USR + '/small', 'z')).message).toBe(
      'appendFileSync:fail the maximum size of the file storage limit is exceeded',
    )
    expect(() => files.setLimits({ userData: -1 })).toThrow(TypeError)
  })
})

describe('the sandbox', () => {
  const escapes = [
    'wxfile://usr/../../../etc/passwd',
    'wxfile://usr/../tmp_x',
    '/etc/passwd',
    '../secret',
    'C:\\Windows\\win.ini',
    'http://example.com/a.txt',
    'file:///etc/passwd',
  ]

  it.each(escapes)('refuses %s with permission denied', async (path) => {
    const { fs } = newHost()
    expect(await call(fs, 'readFile', { filePath: path })).toEqual([
      'fail',
      { errMsg: 'readFile:fail permission denied, open ' + path, errno: 1300013 },
    ])
    expect(thrown(() => fs.writeFileSync(path, 'x')).message).toBe(
      'writeFileSync:fail permission denied, open ' + path,
    )
    expect(thrown(() => fs.statSync(path)).message).toBe(
      'statSync:fail permission denied, open ' + path,
    )
  })

  it('lets temp and saved files be read but only usr/ be written', async () => {
    const { fs, files } = newHost()
    const temp = files.addTempFile('temp data', 'txt')
    expect(fs.readFileSync(temp, 'utf8')).toBe('temp data')
    expect(thrown(() => fs.writeFileSync(temp, 'changed')).message).toBe(
      'writeFileSync:fail permission denied, open ' + temp,
    )
    const saved = fs.saveFileSync(files.addTempFile('s', 'txt'))
    expect(fs.readFileSync(saved, 'utf8')).toBe('s')
    expect(thrown(() => fs.unlinkSync(saved)).message).toBe(
      'unlinkSync:fail permission denied, open ' + saved,
    )
    expect((await call(fs, 'copyFile', { srcPath: USR + '/nope', destPath: temp }))[1].errMsg).toBe(
      'copyFile:fail permission denied, copyFile wxfile://usr/nope -> ' + temp,
    )
  })
})

describe('copyFile / rename / unlink', () => {
  it('copies a temp file into usr/', async () => {
    const { fs, files } = newHost()
    const temp = files.addTempFile('payload', 'bin')
    expect(await call(fs, 'copyFile', { srcPath: temp, destPath: USR + '/copy.bin' })).toEqual([
      'success',
      { errMsg: 'copyFile:ok' },
    ])
    expect(fs.readFileSync(USR + '/copy.bin', 'utf8')).toBe('payload')
    expect(fs.readFileSync(temp, 'utf8')).toBe('payload')
    fs.copyFileSync(USR + '/copy.bin', USR + '/copy2.bin')
    expect(fs.readdirSync(USR)).toEqual(['copy.bin', 'copy2.bin'])
  })

  it('fails a missing source, a missing target folder and a directory source', async () => {
    const { fs } = newHost()
    expect((await call(fs, 'copyFile', { srcPath: USR + '/a', destPath: USR + '/b' }))[1]).toEqual({
      errMsg: 'copyFile:fail no such file or directory, copyFile wxfile://usr/a -> wxfile://usr/b',
      errno: 1300002,
    })
    fs.writeFileSync(USR + '/a', '1')
    expect(thrown(() => fs.copyFileSync(USR + '/a', USR + '/no/b')).message).toBe(
      'copyFileSync:fail no such file or directory, copyFile wxfile://usr/a -> wxfile://usr/no/b',
    )
    fs.mkdirSync(USR + '/d')
    expect(thrown(() => fs.copyFileSync(USR + '/d', USR + '/e')).message).toBe(
      'copyFileSync:fail operation not permitted, copyFile wxfile://usr/d -> wxfile://usr/e',
    )
  })

  it('renames within usr/, moves a temp file in, and refuses moving out of usr/', async () => {
    const { fs, files } = newHost()
    fs.writeFileSync(USR + '/old.txt', 'x')
    expect(
      await call(fs, 'rename', { oldPath: USR + '/old.txt', newPath: USR + '/new.txt' }),
    ).toEqual(['success', { errMsg: 'rename:ok' }])
    expect(fs.readdirSync(USR)).toEqual(['new.txt'])
    const temp = files.addTempFile('t', 'txt')
    fs.renameSync(temp, USR + '/moved.txt')
    expect(thrown(() => fs.accessSync(temp)).message).toBe(
      'accessSync:fail no such file or directory ' + temp,
    )
    expect(thrown(() => fs.renameSync(USR + '/new.txt', 'wxfile://tmp_out.txt')).message).toBe(
      'renameSync:fail permission denied, rename wxfile://usr/new.txt -> wxfile://tmp_out.txt',
    )
    expect((await call(fs, 'rename', { oldPath: USR + '/gone', newPath: USR + '/x' }))[1]).toEqual({
      errMsg: 'rename:fail no such file or directory, rename wxfile://usr/gone -> wxfile://usr/x',
      errno: 1300002,
    })
    expect(thrown(() => fs.renameSync(USR, USR + '/inside')).message).toMatch(
      /^renameSync:fail permission denied, rename/,
    )
  })

  it('unlinks files, not directories', async () => {
    const { fs } = newHost()
    fs.writeFileSync(USR + '/f', '1')
    expect(await call(fs, 'unlink', { filePath: USR + '/f' })).toEqual([
      'success',
      { errMsg: 'unlink:ok' },
    ])
    expect((await call(fs, 'unlink', { filePath: USR + '/f' }))[1]).toEqual({
      errMsg: 'unlink:fail no such file or directory wxfile://usr/f',
      errno: 1300002,
    })
    fs.mkdirSync(USR + '/d')
    expect(thrown(() => fs.unlinkSync(USR + '/d')).message).toBe(
      'unlinkSync:fail operation not permitted, unlink wxfile://usr/d',
    )
  })
})

describe('mkdir / rmdir / readdir / access', () => {
  it('makes directories, recursively on request, and refuses an existing path', async () => {
    const { fs, root } = newHost()
    expect(await call(fs, 'mkdir', { dirPath: USR + '/a' })).toEqual([
      'success',
      { errMsg: 'mkdir:ok' },
    ])
    expect((await call(fs, 'mkdir', { dirPath: USR + '/x/y/z' }))[1]).toEqual({
      errMsg: 'mkdir:fail no such file or directory wxfile://usr/x/y/z',
      errno: 1300002,
    })
    fs.mkdirSync(USR + '/x/y/z', true)
    expect(statSync(join(root, 'usr/x/y/z')).isDirectory()).toBe(true)
    expect(thrown(() => fs.mkdirSync(USR + '/x/y/z', true)).message).toBe(
      'mkdirSync:fail file already exists wxfile://usr/x/y/z',
    )
    expect(thrown(() => fs.mkdirSync(USR + '/x/y/z', true)).errno).toBe(1301005)
  })

  it('removes empty directories, non-empty ones only recursively, never usr/ itself', async () => {
    const { fs } = newHost()
    fs.mkdirSync(USR + '/e')
    expect(await call(fs, 'rmdir', { dirPath: USR + '/e' })).toEqual([
      'success',
      { errMsg: 'rmdir:ok' },
    ])
    fs.mkdirSync(USR + '/full/sub', true)
    fs.writeFileSync(USR + '/full/sub/f', '1')
    expect((await call(fs, 'rmdir', { dirPath: USR + '/full' }))[1]).toEqual({
      errMsg: 'rmdir:fail directory not empty',
      errno: 1300066,
    })
    fs.rmdirSync(USR + '/full', true)
    expect(fs.readdirSync(USR)).toEqual([])
    expect(thrown(() => fs.rmdirSync(USR + '/full')).message).toBe(
      'rmdirSync:fail no such file or directory wxfile://usr/full',
    )
    fs.writeFileSync(USR + '/file', '1')
    expect(thrown(() => fs.rmdirSync(USR + '/file')).message).toBe(
      'rmdirSync:fail not a directory wxfile://usr/file',
    )
    expect(thrown(() => fs.rmdirSync(USR, true)).message).toBe(
      'rmdirSync:fail permission denied, open wxfile://usr',
    )
  })

  it('lists a directory, sorted, and tells files from folders', async () => {
    const { fs } = newHost()
    for (const name of ['b.txt', 'a.txt', 'c']) fs.writeFileSync(USR + '/' + name, '')
    expect(await call(fs, 'readdir', { dirPath: USR })).toEqual([
      'success',
      { files: ['a.txt', 'b.txt', 'c'], errMsg: 'readdir:ok' },
    ])
    expect((await call(fs, 'readdir', { dirPath: USR + '/none' }))[1].errMsg).toBe(
      'readdir:fail no such file or directory wxfile://usr/none',
    )
    expect(thrown(() => fs.readdirSync(USR + '/a.txt')).message).toBe(
      'readdirSync:fail not a directory wxfile://usr/a.txt',
    )
  })

  it('tells whether a path exists', async () => {
    const { fs } = newHost()
    expect(await call(fs, 'access', { path: USR })).toEqual(['success', { errMsg: 'access:ok' }])
    expect(await call(fs, 'access', { path: USR + '/nope' })).toEqual([
      'fail',
      { errMsg: 'access:fail no such file or directory wxfile://usr/nope', errno: 1300002 },
    ])
    expect(fs.accessSync(USR)).toBeUndefined()
  })
})

describe('stat / truncate', () => {
  it('gives Stats with isFile/isDirectory, size and times in seconds', async () => {
    const { fs, root } = newHost()
    fs.writeFileSync(USR + '/f.txt', '12345')
    const [, res] = await call(fs, 'stat', { path: USR + '/f.txt' })
    expect(res.errMsg).toBe('stat:ok')
    expect(res.stats.isFile()).toBe(true)
    expect(res.stats.isDirectory()).toBe(false)
    expect(res.stats.size).toBe(5)
    const real = statSync(join(root, 'usr/f.txt'))
    expect(res.stats.lastModifiedTime).toBe(Math.floor(real.mtimeMs / 1000))
    expect(res.stats.lastAccessedTime).toBe(Math.floor(real.atimeMs / 1000))
    expect(res.stats.mode).toBe(real.mode)
    expect(fs.statSync(USR).isDirectory()).toBe(true)
    expect((await call(fs, 'stat', { path: USR + '/none' }))[1].errMsg).toBe(
      'stat:fail no such file or directory wxfile://usr/none',
    )
  })

  it('walks a folder with recursive: true, the folder itself first as "/"', async () => {
    const { fs } = newHost()
    fs.mkdirSync(USR + '/d/sub', true)
    fs.writeFileSync(USR + '/d/a.txt', 'a')
    fs.writeFileSync(USR + '/d/sub/b.txt', 'bb')
    const [, res] = await call(fs, 'stat', { path: USR + '/d', recursive: true })
    expect(
      res.stats.map((e: any) => [
        e.path,
        e.stats.isDirectory(),
        e.stats.isDirectory() ? 0 : e.stats.size,
      ]),
    ).toEqual([
      ['/', true, 0],
      ['/a.txt', false, 1],
      ['/sub', true, 0],
      ['/sub/b.txt', false, 2],
    ])
    expect(fs.statSync(USR + '/d/a.txt', true).isFile()).toBe(true)
  })

  it('truncates and extends a file', async () => {
    const { fs } = newHost()
    fs.writeFileSync(USR + '/t', 'abcdef')
    expect(await call(fs, 'truncate', { filePath: USR + '/t', length: 2 })).toEqual([
      'success',
      { errMsg: 'truncate:ok' },
    ])
    expect(fs.readFileSync(USR + '/t', 'utf8')).toBe('ab')
    fs.truncateSync({ filePath: USR + '/t', length: 4 })
    expect([...new Uint8Array(fs.readFileSync(USR + '/t'))]).toEqual([97, 98, 0, 0])
    fs.truncateSync({ filePath: USR + '/t' })
    expect(fs.statSync(USR + '/t').size).toBe(0)
    expect(thrown(() => fs.truncateSync({ filePath: USR + '/none' })).message).toBe(
      'truncateSync:fail no such file or directory, open wxfile://usr/none',
    )
    expect((await call(fs, 'truncate', { filePath: USR + '/t', length: -1 }))[1].errMsg).toBe(
      'truncate:fail value of length is out of range',
    )
  })
})

describe('files made outside the host', () => {
  it('sees files a test puts into usr/ directly', () => {
    const { fs, root } = newHost()
    mkdirSync(join(root, 'usr', 'seed'))
    writeFileSync(join(root, 'usr', 'seed', 'x.json'), '{"a":1}')
    expect(JSON.parse(fs.readFileSync(USR + '/seed/x.json', 'utf8'))).toEqual({ a: 1 })
  })
})
