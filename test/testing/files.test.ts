import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HostContext } from '../../src/testing/context'
import {
  installFiles,
  type FilesHostControls,
  type FilesHostOptions,
} from '../../src/testing/files'

type AnyWx = Record<string, any>

interface TestHost {
  wx: AnyWx
  fs: AnyWx
  root: string
  files: FilesHostControls
  close(): Promise<void>
}

const MB = 1024 * 1024
const hosts: TestHost[] = []
const dirs: string[] = []

// The files part on its own context, closed the way createWxHost closes a host (a given root
// is kept, like createWxHost({ root })); the wiring into createWxHost is checked at the end.
function newHost(options: FilesHostOptions = {}, root?: string): TestHost {
  const ctx = new HostContext(root)
  const files = installFiles(ctx, options)
  const host: TestHost = {
    wx: ctx.wx,
    fs: ctx.wx.getFileSystemManager(),
    root: ctx.root,
    files,
    async close() {
      ctx.closed = true
      await ctx.closeResources()
      if (!root) rmSync(ctx.root, { recursive: true, force: true })
    },
  }
  hosts.push(host)
  return host
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wx-files-test-'))
  dirs.push(dir)
  return dir
}

function call(wx: AnyWx, api: string, options: Record<string, unknown> = {}) {
  return new Promise<[string, any]>((resolve) => {
    let outcome: [string, any] | undefined
    wx[api]({
      ...options,
      success: (res: unknown) => (outcome = ['success', res]),
      fail: (res: unknown) => (outcome = ['fail', res]),
      complete: () => resolve(outcome!),
    })
  })
}

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()))
})

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('test controls', () => {
  it('adds temp files from a string, Buffer, typed array or ArrayBuffer', () => {
    const { files, fs } = newHost()
    const a = files.addTempFile('text', 'txt')
    expect(a).toMatch(/^wxfile:\/\/tmp_.+\.txt$/)
    expect(readFileSync(files.realPath(a), 'utf8')).toBe('text')
    const b = files.addTempFile(Buffer.from([1, 2, 3]), '.bin')
    expect(b).toMatch(/\.bin$/)
    expect([...new Uint8Array(fs.readFileSync(b))]).toEqual([1, 2, 3])
    const c = files.addTempFile(new Uint8Array([9, 8, 7, 6]).subarray(1, 3))
    expect([...readFileSync(files.realPath(c))]).toEqual([8, 7])
    const d = files.addTempFile(new Uint8Array([5]).buffer, 'raw')
    expect([...readFileSync(files.realPath(d))]).toEqual([5])
    expect(new Set([a, b, c, d]).size).toBe(4)
    expect(() => files.addTempFile(42 as unknown as string)).toThrow(TypeError)
  })

  it('imports a real file as a temp file, keeping its extension', () => {
    const { files } = newHost()
    const source = join(tempDir(), 'photo.jpg')
    writeFileSync(source, 'jpeg bytes')
    const wxPath = files.importFile(source)
    expect(wxPath).toMatch(/^wxfile:\/\/tmp_.+\.jpg$/)
    expect(readFileSync(files.realPath(wxPath), 'utf8')).toBe('jpeg bytes')
    expect(files.importFile(source, 'png')).toMatch(/\.png$/)
    expect(() => files.importFile(join(tempDir(), 'missing.png'))).toThrow(
      /files\.importFile: cannot copy .*missing\.png/,
    )
  })

  it('maps wx paths to real paths and refuses escapes', () => {
    const { files, root } = newHost()
    expect(files.realPath('wxfile://usr/a/b.txt')).toBe(join(root, 'usr', 'a', 'b.txt'))
    expect(() => files.realPath('wxfile://usr/../../x')).toThrow(/permission denied/)
  })
})

describe('saveFile and the saved-file list', () => {
  it('moves a temp file to the saved files and lists it', async () => {
    const { wx, files } = newHost()
    const temp = files.addTempFile('saved!', 'png')
    const before = Math.floor(Date.now() / 1000)
    const [kind, res] = await call(wx, 'saveFile', { tempFilePath: temp })
    expect(kind).toBe('success')
    expect(res.errMsg).toBe('saveFile:ok')
    expect(res.savedFilePath).toMatch(/^wxfile:\/\/store_.+\.png$/)
    expect(existsSync(files.realPath(temp))).toBe(false)
    expect(readFileSync(files.realPath(res.savedFilePath), 'utf8')).toBe('saved!')

    const [, list] = await call(wx, 'getSavedFileList')
    expect(list.errMsg).toBe('getSavedFileList:ok')
    expect(list.fileList).toHaveLength(1)
    expect(list.fileList[0]).toEqual({
      filePath: res.savedFilePath,
      size: 6,
      createTime: expect.any(Number),
    })
    expect(list.fileList[0].createTime).toBeGreaterThanOrEqual(before)
    expect(list.fileList[0].createTime).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))

    const [, info] = await call(wx, 'getSavedFileInfo', { filePath: res.savedFilePath })
    expect(info).toEqual({
      size: 6,
      createTime: list.fileList[0].createTime,
      errMsg: 'getSavedFileInfo:ok',
    })
  })

  it('removes a saved file; a removed or unknown file is "file not exist"', async () => {
    const { wx, files } = newHost()
    const { savedFilePath } = await wx.saveFile({ tempFilePath: files.addTempFile('x', 'txt') })
    expect(await call(wx, 'removeSavedFile', { filePath: savedFilePath })).toEqual([
      'success',
      { errMsg: 'removeSavedFile:ok' },
    ])
    expect((await wx.getSavedFileList()).fileList).toEqual([])
    expect(await call(wx, 'removeSavedFile', { filePath: savedFilePath })).toEqual([
      'fail',
      { errMsg: 'removeSavedFile:fail file not exist', errno: 1300002 },
    ])
    expect((await call(wx, 'getSavedFileInfo', { filePath: savedFilePath }))[1].errMsg).toBe(
      'getSavedFileInfo:fail file not exist',
    )
    // a temp file is not a saved file
    const temp = files.addTempFile('t')
    expect((await call(wx, 'getSavedFileInfo', { filePath: temp }))[1].errMsg).toBe(
      'getSavedFileInfo:fail file not exist',
    )
  })

  it('fails a missing temp file and a path outside the sandbox', async () => {
    const { wx } = newHost()
    expect(await call(wx, 'saveFile', { tempFilePath: 'wxfile://tmp_none.png' })).toEqual([
      'fail',
      { errMsg: 'saveFile:fail tempFilePath file not exist', errno: 1300002 },
    ])
    expect((await call(wx, 'saveFile', { tempFilePath: '/etc/hosts' }))[1]).toEqual({
      errMsg: 'saveFile:fail permission denied, open /etc/hosts',
      errno: 1300013,
    })
    await expect(wx.saveFile({})).rejects.toEqual({
      errMsg:
        'saveFile:fail parameter error: parameter.tempFilePath should be String instead of Undefined;',
      errno: 1001,
    })
  })

  it('enforces the 10 MB saved-file limit, keeping the temp file', async () => {
    const { wx, files } = newHost()
    await wx.saveFile({ tempFilePath: files.addTempFile(Buffer.alloc(6 * MB), 'bin') })
    const second = files.addTempFile(Buffer.alloc(5 * MB), 'bin')
    expect(await call(wx, 'saveFile', { tempFilePath: second })).toEqual([
      'fail',
      {
        errMsg: 'saveFile:fail the maximum size of the file storage limit is exceeded',
        errno: 1300202,
      },
    ])
    expect(existsSync(files.realPath(second))).toBe(true)
    const fits = files.addTempFile(Buffer.alloc(4 * MB), 'bin')
    expect((await call(wx, 'saveFile', { tempFilePath: fits }))[0]).toBe('success')
    expect((await wx.getSavedFileList()).fileList.map((f: any) => f.size)).toEqual([6 * MB, 4 * MB])
  })

  it('takes a smaller limit from the options', async () => {
    const { wx, files } = newHost({ savedFileLimit: 10 })
    expect(
      (await call(wx, 'saveFile', { tempFilePath: files.addTempFile('x'.repeat(11)) }))[1].errMsg,
    ).toBe('saveFile:fail the maximum size of the file storage limit is exceeded')
    expect(() => newHost({ savedFileLimit: 0 })).toThrow(/files\.savedFileLimit must be a positive/)
  })

  it('is reachable through the FileSystemManager too, with filePath and a Sync form', async () => {
    const { fs, files } = newHost()
    fs.mkdirSync('wxfile://usr/keep')
    expect(
      await call(fs, 'saveFile', {
        tempFilePath: files.addTempFile('one', 'txt'),
        filePath: 'wxfile://usr/keep/one.txt',
      }),
    ).toEqual(['success', { savedFilePath: 'wxfile://usr/keep/one.txt', errMsg: 'saveFile:ok' }])
    expect(fs.readFileSync('wxfile://usr/keep/one.txt', 'utf8')).toBe('one')
    const saved = fs.saveFileSync(files.addTempFile('two', 'txt'))
    expect(saved).toMatch(/^wxfile:\/\/store_.+\.txt$/)
    const [, list] = await call(fs, 'getSavedFileList')
    expect(list.fileList.map((f: any) => f.filePath)).toEqual([saved])
    expect((await call(fs, 'removeSavedFile', { filePath: saved }))[1]).toEqual({
      errMsg: 'removeSavedFile:ok',
    })
    expect(
      (
        await call(fs, 'saveFile', {
          tempFilePath: files.addTempFile('3'),
          filePath: 'wxfile://usr/none/3.txt',
        })
      )[1].errMsg,
    ).toBe('saveFile:fail no such file or directory "wxfile://usr/none"')
    expect(() => fs.saveFileSync(files.addTempFile('4'), 'wxfile://tmp_4')).toThrow(
      'saveFileSync:fail permission denied, open "wxfile://tmp_4"',
    )
  })

  it('keeps saved files across a restart on the same root', async () => {
    const root = tempDir()
    const first = newHost({}, root)
    const { savedFilePath } = await first.wx.saveFile({
      tempFilePath: first.files.addTempFile('persist', 'txt'),
    })
    await first.close()
    const second = newHost({}, root)
    expect((await second.wx.getSavedFileList()).fileList.map((f: any) => f.filePath)).toEqual([
      savedFilePath,
    ])
    expect(second.fs.readFileSync(savedFilePath, 'utf8')).toBe('persist')
  })
})

describe('getFileInfo', () => {
  it('gives size and md5 (default), sha1 or sha256 digest', async () => {
    const { wx, fs, files } = newHost()
    const temp = files.addTempFile('digest me', 'txt')
    const hash = (alg: string) => createHash(alg).update('digest me').digest('hex')
    expect(await call(wx, 'getFileInfo', { filePath: temp })).toEqual([
      'success',
      { size: 9, digest: hash('md5'), errMsg: 'getFileInfo:ok' },
    ])
    expect((await wx.getFileInfo({ filePath: temp, digestAlgorithm: 'sha1' })).digest).toBe(
      hash('sha1'),
    )
    const [, viaFs] = await call(fs, 'getFileInfo', { filePath: temp, digestAlgorithm: 'sha256' })
    expect(viaFs).toEqual({ size: 9, digest: hash('sha256'), errMsg: 'getFileInfo:ok' })
  })

  it('fails a missing file, a bad algorithm and a path outside the sandbox', async () => {
    const { wx, files } = newHost()
    expect((await call(wx, 'getFileInfo', { filePath: 'wxfile://usr/none' }))[1]).toEqual({
      errMsg: 'getFileInfo:fail file not exist',
      errno: 1300002,
    })
    const temp = files.addTempFile('x')
    expect(
      (await call(wx, 'getFileInfo', { filePath: temp, digestAlgorithm: 'crc' }))[1].errMsg,
    ).toBe('getFileInfo:fail invalid digestAlgorithm crc')
    expect((await call(wx, 'getFileInfo', { filePath: '../x' }))[1].errMsg).toBe(
      'getFileInfo:fail permission denied, open ../x',
    )
  })
})

describe('openDocument', () => {
  it('records the document, its type (given or from the extension) and showMenu', async () => {
    const { wx, files } = newHost()
    const pdf = files.addTempFile('%PDF-1.4', 'pdf')
    expect(await call(wx, 'openDocument', { filePath: pdf, showMenu: true })).toEqual([
      'success',
      { errMsg: 'openDocument:ok' },
    ])
    const noExt = files.addTempFile('xls bytes')
    await wx.openDocument({ filePath: noExt, fileType: 'xlsx' })
    expect(files.openedDocuments).toEqual([
      { filePath: pdf, fileType: 'pdf', showMenu: true, realPath: files.realPath(pdf) },
      { filePath: noExt, fileType: 'xlsx', showMenu: false, realPath: files.realPath(noExt) },
    ])
  })

  it('fails a missing file and a type WeChat cannot open, recording nothing', async () => {
    const { wx, files } = newHost()
    expect((await call(wx, 'openDocument', { filePath: 'wxfile://tmp_gone.pdf' }))[1]).toEqual({
      errMsg: 'openDocument:fail file not exist',
      errno: 1300002,
    })
    const txt = files.addTempFile('plain', 'txt')
    expect((await call(wx, 'openDocument', { filePath: txt }))[1]).toEqual({
      errMsg: 'openDocument:fail filetype not supported',
    })
    const pdf = files.addTempFile('%PDF', 'pdf')
    expect((await call(wx, 'openDocument', { filePath: pdf, fileType: 'zip' }))[1].errMsg).toBe(
      'openDocument:fail filetype not supported',
    )
    expect(files.openedDocuments).toEqual([])
  })
})

describe('createWxHost', () => {
  it('wires files into the host: wx.env, the manager and host.files', async () => {
    const { createWxHost } =
      require('miniprogram-rx/testing') as typeof import('miniprogram-rx/testing')
    const host = createWxHost()
    try {
      expect(host.wx.env.USER_DATA_PATH).toBe('wxfile://usr')
      const temp = host.files.addTempFile('wired', 'txt')
      const fs = host.wx.getFileSystemManager()
      fs.copyFileSync(temp, host.wx.env.USER_DATA_PATH + '/wired.txt')
      expect(readFileSync(join(host.root, 'usr', 'wired.txt'), 'utf8')).toBe('wired')
      const { savedFilePath } = await (host.wx as any).saveFile({ tempFilePath: temp })
      expect(host.files.realPath(savedFilePath)).toMatch(/store/)
    } finally {
      await host.close()
    }
    expect(existsSync(host.root)).toBe(false)
  })
})
