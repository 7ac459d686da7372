import { existsSync, readFileSync } from 'node:fs'
import { WxError } from '../../src/core/errors'
import { fs } from '../../src/file/file-system'
import { openDocument } from '../../src/file/open-document'
import {
  getSavedFileInfo,
  getSavedFileList,
  removeSavedFile,
  saveFile,
} from '../../src/file/saved-files'
import { createWxHost, type WxHost } from '../../src/testing'
import { useInstalledHost } from '../helpers/installed-host'

describe('fs through the wx host', () => {
  const host = useInstalledHost()

  it('writes, reads, lists, stats and removes real files in the sandbox', async () => {
    const dir = host().wx.env.USER_DATA_PATH + '/notes'
    await fs.mkdir({ dirPath: dir, recursive: true })
    await fs.writeFile({ filePath: dir + '/a.txt', data: '你好', encoding: 'utf8' })
    await fs.appendFile({ filePath: dir + '/a.txt', data: '!', encoding: 'utf8' })
    expect(readFileSync(host().files.realPath(dir + '/a.txt'), 'utf8')).toBe('你好!')
    await expect(
      fs.readFile({ filePath: dir + '/a.txt', encoding: 'utf8' }),
    ).resolves.toMatchObject({
      data: '你好!',
    })
    await expect(fs.readdir({ dirPath: dir })).resolves.toMatchObject({ files: ['a.txt'] })
    const { stats } = (await fs.stat({ path: dir + '/a.txt' })) as {
      stats: WechatMiniprogram.Stats
    }
    expect(stats.size).toBe(7)
    await fs.copyFile({ srcPath: dir + '/a.txt', destPath: dir + '/b.txt' })
    await fs.unlink({ filePath: dir + '/a.txt' })
    expect(existsSync(host().files.realPath(dir + '/a.txt'))).toBe(false)
    await fs.rmdir({ dirPath: dir, recursive: true })
    expect(host().calls.filter((c) => c.api === 'getFileSystemManager')).toHaveLength(1)
  })

  it('rejects with the WxError wx reports, errno included', async () => {
    const error = await fs
      .readFile({ filePath: host().wx.env.USER_DATA_PATH + '/missing.txt' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WxError)
    expect((error as WxError).api).toBe('readFile')
    expect((error as WxError).errMsg).toMatch(/^readFile:fail no such file or directory/)
    expect((error as WxError).errno).toBe(1300002)
  })

  it('opens a document', async () => {
    const pdf = host().files.addTempFile('%PDF-1.4', 'pdf')
    await openDocument({ filePath: pdf, showMenu: true })
    expect(host().files.openedDocuments).toMatchObject([
      { filePath: pdf, fileType: 'pdf', showMenu: true },
    ])
    await expect(openDocument(host().files.addTempFile('x', 'txt'))).rejects.toMatchObject({
      errMsg: 'openDocument:fail filetype not supported',
    })
  })
})

describe.each([
  ['FileSystemManager (modern)', false],
  ['the legacy wx.saveFile family', true],
])('saved files through the wx host, via %s', (_label, legacy) => {
  let host: WxHost
  let restore: () => void
  beforeEach(() => {
    host = createWxHost()
    if (legacy) {
      // A base library before FileSystemManager (1.9.9).
      delete (host.wx as unknown as Record<string, unknown>).getFileSystemManager
    }
    restore = host.install()
  })
  afterEach(async () => {
    restore()
    await host.close()
  })

  const apis = () => host.calls.map((c) => c.api).filter((a) => /saveFile|SavedFile/.test(a))

  it('saves a temp file, lists it, reads its info and removes it', async () => {
    const temp = host.files.addTempFile('hello world', 'txt')
    const { savedFilePath } = await saveFile(temp)
    expect(readFileSync(host.files.realPath(savedFilePath), 'utf8')).toBe('hello world')
    const { fileList } = await getSavedFileList()
    expect(fileList).toEqual([
      { filePath: savedFilePath, size: 11, createTime: expect.any(Number) },
    ])
    const info = await getSavedFileInfo(savedFilePath)
    expect(info).toMatchObject({ size: 11, createTime: fileList[0].createTime })
    await removeSavedFile(savedFilePath)
    await expect(getSavedFileList()).resolves.toMatchObject({ fileList: [] })
    const prefix = legacy ? '' : 'FileSystemManager.'
    expect(apis()).toEqual([
      prefix + 'saveFile',
      prefix + 'getSavedFileList',
      legacy ? 'getSavedFileInfo' : 'FileSystemManager.getSavedFileList',
      prefix + 'removeSavedFile',
      prefix + 'getSavedFileList',
    ])
  })

  it('reports a missing temp file, an unknown saved file and a full store as WxErrors', async () => {
    await expect(saveFile('wxfile://tmp_missing.txt')).rejects.toMatchObject({
      name: 'WxError',
      api: 'saveFile',
      errMsg: 'saveFile:fail tempFilePath file not exist',
    })
    await expect(getSavedFileInfo('wxfile://store_nope.txt')).rejects.toMatchObject({
      api: 'getSavedFileInfo',
      errMsg: 'getSavedFileInfo:fail file not exist',
    })
    await expect(removeSavedFile('wxfile://store_nope.txt')).rejects.toMatchObject({
      api: 'removeSavedFile',
    })
    host.files.setLimits({ savedFiles: 10 })
    await expect(saveFile(host.files.addTempFile('more than ten bytes'))).rejects.toMatchObject({
      errMsg: 'saveFile:fail the maximum size of the file storage limit is exceeded',
    })
  })
})
