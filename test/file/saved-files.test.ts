import { WxError } from '../../src/core/errors'
import {
  getSavedFileInfo,
  getSavedFileList,
  removeSavedFile,
  saveFile,
} from '../../src/file/saved-files'
import { openDocument } from '../../src/file/open-document'
import { createFakeWx, type FakeWx } from '../helpers/fake-wx'

type Options = Record<string, any>

// A tiny saved-file area shared by the modern manager and the legacy wx.* functions, so one
// set of expectations serves both paths.
function savedArea() {
  const files = new Map<string, { size: number; createTime: number }>()
  let n = 0
  const later = (fn: () => void) => void Promise.resolve().then(fn)
  return {
    files,
    saveFile(api: string, o: Options) {
      later(() => {
        if (!String(o.tempFilePath).startsWith('wxfile://tmp_')) {
          o.fail?.({ errMsg: api + ':fail no such file or directory ' + o.tempFilePath })
          return
        }
        const path = o.filePath || 'wxfile://store_' + ++n + '.png'
        files.set(path, { size: 100 + n, createTime: 1_700_000_000 + n })
        o.success?.({ errMsg: api + ':ok', savedFilePath: path })
      })
    },
    list(api: string, o: Options) {
      later(() =>
        o.success?.({
          errMsg: api + ':ok',
          fileList: [...files].map(([filePath, f]) => ({ filePath, ...f })),
        }),
      )
    },
    info(o: Options) {
      later(() => {
        const f = files.get(o.filePath)
        if (f) o.success?.({ errMsg: 'getSavedFileInfo:ok', ...f })
        else o.fail?.({ errMsg: 'getSavedFileInfo:fail file not exist' })
      })
    },
    remove(api: string, o: Options) {
      later(() => {
        if (files.delete(o.filePath)) o.success?.({ errMsg: api + ':ok' })
        else o.fail?.({ errMsg: api + ':fail file not exist' })
      })
    },
  }
}

function modernWx(area = savedArea()): FakeWx {
  const manager = {
    saveFile: (o: Options) => area.saveFile('saveFile', o),
    getSavedFileList: (o: Options) => area.list('getSavedFileList', o),
    removeSavedFile: (o: Options) => area.remove('removeSavedFile', o),
  }
  const fake = createFakeWx({ getFileSystemManager: () => manager })
  for (const name of ['saveFile', 'getSavedFileList', 'getSavedFileInfo', 'removeSavedFile']) {
    fake.wx[name] = () => {
      throw new Error('the legacy wx.' + name + ' was called')
    }
  }
  return fake
}

function legacyWx(area = savedArea()): FakeWx {
  const fake = createFakeWx({
    saveFile: (o) => area.saveFile('saveFile', o),
    getSavedFileList: (o) => area.list('getSavedFileList', o),
    getSavedFileInfo: (o) => area.info(o),
    removeSavedFile: (o) => area.remove('removeSavedFile', o),
  })
  delete fake.wx.getFileSystemManager
  return fake
}

describe.each([
  ['FileSystemManager (modern)', modernWx],
  ['wx.saveFile family (legacy)', legacyWx],
])('saved files through %s', (_label, make) => {
  let restore: (() => void) | undefined
  afterEach(() => restore?.())

  it('saves a temp file, lists it, reads its info and removes it', async () => {
    restore = make().install()
    const { savedFilePath } = await saveFile('wxfile://tmp_a.png')
    expect(savedFilePath).toMatch(/^wxfile:\/\/store_/)
    const { fileList } = await getSavedFileList()
    expect(fileList).toEqual([{ filePath: savedFilePath, size: 101, createTime: 1_700_000_001 }])
    await expect(getSavedFileInfo(savedFilePath)).resolves.toMatchObject({
      size: 101,
      createTime: 1_700_000_001,
      errMsg: 'getSavedFileInfo:ok',
    })
    await removeSavedFile({ filePath: savedFilePath })
    await expect(getSavedFileList()).resolves.toMatchObject({ fileList: [] })
  })

  it('passes filePath through and keeps the caller options untouched', async () => {
    restore = make().install()
    const options = Object.freeze({
      tempFilePath: 'wxfile://tmp_b.png',
      filePath: 'wxfile://store_mine.png',
    })
    await expect(saveFile(options)).resolves.toMatchObject({
      savedFilePath: 'wxfile://store_mine.png',
    })
  })

  it('rejects getSavedFileInfo of an unknown path with getSavedFileInfo:fail file not exist', async () => {
    restore = make().install()
    const error = await getSavedFileInfo('wxfile://store_nope.png').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WxError)
    expect(error).toMatchObject({
      api: 'getSavedFileInfo',
      errMsg: 'getSavedFileInfo:fail file not exist',
    })
  })

  it('passes wx failures through as WxError naming the API', async () => {
    restore = make().install()
    await expect(saveFile('wxfile://usr/not-temp.png')).rejects.toMatchObject({
      name: 'WxError',
      api: 'saveFile',
      errMsg: 'saveFile:fail no such file or directory wxfile://usr/not-temp.png',
    })
    await expect(removeSavedFile('wxfile://store_nope.png')).rejects.toMatchObject({
      errMsg: 'removeSavedFile:fail file not exist',
    })
  })

  it.each([
    [
      'saveFile',
      () => saveFile(''),
      /^saveFile: `options.tempFilePath` must be a non-empty file path/,
    ],
    ['saveFile', () => saveFile({} as never), /saveFile: `options.tempFilePath`/],
    [
      'saveFile',
      () => saveFile({ tempFilePath: 'wxfile://tmp_a', filePath: 3 } as never),
      /`options.filePath`/,
    ],
    ['saveFile', () => saveFile(null as never), /^saveFile: `options` must be an object/],
    ['getSavedFileInfo', () => getSavedFileInfo(''), /^getSavedFileInfo: `options.filePath`/],
    ['removeSavedFile', () => removeSavedFile(undefined as never), /^removeSavedFile: `options`/],
  ])('rejects bad input to %s with a TypeError, calling nothing', async (_api, call, message) => {
    const fake = make()
    restore = fake.install()
    let promise: Promise<unknown> | undefined
    expect(() => {
      promise = call()
    }).not.toThrow()
    const error = await promise!.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(message)
    expect(fake.calls).toHaveLength(0)
  })
})

describe('the modern path', () => {
  let restore: (() => void) | undefined
  afterEach(() => restore?.())

  it('is used only where the manager has the method', async () => {
    const area = savedArea()
    const fake = legacyWx(area)
    // A manager without the saved-file methods (an old base library).
    fake.wx.getFileSystemManager = () => ({ readFile: () => undefined })
    restore = fake.install()
    await expect(saveFile('wxfile://tmp_c.png')).resolves.toMatchObject({ errMsg: 'saveFile:ok' })
    expect(fake.calls.map((c) => c.api)).toEqual(['saveFile'])
  })

  it('reports a failing getSavedFileList as a getSavedFileInfo failure', async () => {
    const manager = {
      getSavedFileList: (o: Options) => o.fail?.({ errMsg: 'getSavedFileList:fail io error' }),
    }
    restore = createFakeWx({ getFileSystemManager: () => manager }).install()
    const error = await getSavedFileInfo('wxfile://store_1.png').catch((e: unknown) => e)
    expect(error).toMatchObject({
      api: 'getSavedFileInfo',
      errMsg: 'getSavedFileInfo:fail io error',
    })
    expect((error as WxError).cause).toBeInstanceOf(WxError)
  })
})

describe('openDocument', () => {
  let restore: (() => void) | undefined
  afterEach(() => restore?.())

  it('opens a path or wx options', async () => {
    const fake = createFakeWx()
    restore = fake.install()
    await expect(openDocument('wxfile://tmp_a.pdf')).resolves.toMatchObject({
      errMsg: 'openDocument:ok',
    })
    await openDocument({ filePath: 'wxfile://tmp_b.docx', fileType: 'docx', showMenu: true })
    expect(fake.calls.map((c) => [c.options.filePath, c.options.fileType])).toEqual([
      ['wxfile://tmp_a.pdf', undefined],
      ['wxfile://tmp_b.docx', 'docx'],
    ])
  })

  it.each([
    ['an empty path', '', /^openDocument: `options.filePath`/],
    ['no options', undefined, /^openDocument: `options` must be an object/],
    [
      'an unknown fileType',
      { filePath: 'wxfile://tmp_a', fileType: 'txt' },
      /`options.fileType` must be one of doc, docx/,
    ],
  ])('rejects %s with a TypeError', async (_label, bad, message) => {
    const fake = createFakeWx()
    restore = fake.install()
    await expect(openDocument(bad as never)).rejects.toThrow(message)
    expect(fake.calls).toHaveLength(0)
  })

  it('passes a wx failure through', async () => {
    restore = createFakeWx({
      openDocument: (o) => o.fail?.({ errMsg: 'openDocument:fail filetype not supported' }),
    }).install()
    await expect(openDocument('wxfile://tmp_a.xyz')).rejects.toMatchObject({
      name: 'WxError',
      errMsg: 'openDocument:fail filetype not supported',
    })
  })
})
