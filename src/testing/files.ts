// The files part of the Node wx host: wx.env.USER_DATA_PATH, wx.getFileSystemManager(), the
// saved-file APIs (saveFile, getSavedFileList, getSavedFileInfo, removeSavedFile), getFileInfo
// and openDocument, over the real sandbox folder. The operations themselves live in
// file-system.ts; this file gives them WeChat's call forms and adds the test controls.
import { copyFileSync, writeFileSync } from 'node:fs'
import { extname } from 'node:path'
import { HostFail, type HostContext } from './context'
import { FILE_ERRNO, FileSandbox, type FileLimits } from './file-system'

const MB = 1024 * 1024
const NOT_SUPPORTED = 'not supported by miniprogram-rx host'
const DOCUMENT_TYPES = ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf']

/** Options of the files part of the host. */
export interface FilesHostOptions {
  /** Largest total size of saved files (`wx.saveFile`), in bytes. @default 10 MB */
  savedFileLimit?: number
  /** Largest total size of user files and saved files together, in bytes. @default 200 MB */
  userDataLimit?: number
}

/** A document opened with `wx.openDocument`. */
export interface OpenedDocument {
  /** The wx path it was opened with. */
  filePath: string
  /** `fileType` as given, or taken from the file's extension. */
  fileType: string
  /** Whether the top-right menu was asked for. */
  showMenu: boolean
  /** The real file behind `filePath`. */
  realPath: string
}

/** Test controls of the files part of the host. */
export interface FilesHostControls {
  /**
   * Writes `contents` to a new temp file and returns its `wxfile://` path, to hand to
   * `uploadFile`, `saveFile`, `previewImage`, ... as a picked or downloaded file would be.
   */
  addTempFile(contents: Buffer | Uint8Array | ArrayBuffer | string, ext?: string): string
  /** Copies a real file into the sandbox as a temp file and returns its `wxfile://` path. */
  importFile(realPath: string, ext?: string): string
  /** The real path behind a wx path (throws for a path outside the sandbox). */
  realPath(wxPath: string): string
  /** Documents opened with `wx.openDocument`, in order. */
  readonly openedDocuments: readonly OpenedDocument[]
  /** The size limits in force, in bytes. */
  limits(): FileLimits
  /** Changes the size limits (e.g. a small saved-file limit to test "storage full"). */
  setLimits(limits: Partial<FileLimits>): void
}

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value > 0) || !isFinite(value)) {
    throw new TypeError(
      'miniprogram-rx host: files.' + name + ' must be a positive number of bytes, got ' + value,
    )
  }
  return value
}

/** `<api>:fail <reason>` as an Error, the way WeChat's Sync APIs throw. */
function syncError(api: string, error: unknown): Error {
  const reason = error instanceof HostFail ? error.reason : String((error as Error)?.message)
  const result = new Error(api + ':fail ' + reason) as Error & { errMsg: string; errno?: number }
  result.errMsg = result.message
  if (error instanceof HostFail && error.errno !== undefined) result.errno = error.errno
  return result
}

/** Builds the FileSystemManager: callback methods (no Promise form, as WeChat) and Sync twins. */
function createFileSystemManager(ctx: HostContext, box: FileSandbox): Record<string, unknown> {
  const fsm: Record<string, unknown> = {}
  const method = (name: string, op: (o: Record<string, any>) => object | void) => {
    fsm[name] = (options?: unknown) => {
      ctx.log('FileSystemManager.' + name, [options])
      const o = (options && typeof options === 'object' ? options : {}) as Record<string, any>
      const settle = ctx.settle(name, o)
      if (ctx.closed) return settle.fail('host closed')
      try {
        settle.ok(op(o) ?? {})
      } catch (error) {
        if (error instanceof HostFail) settle.fail(error.reason, error.errno)
        else settle.fail(String((error as Error)?.message))
      }
    }
  }
  const sync = (name: string, op: (...args: any[]) => unknown) => {
    fsm[name] = (...args: unknown[]) => {
      ctx.log('FileSystemManager.' + name, args)
      if (ctx.closed) throw syncError(name, new HostFail('host closed'))
      try {
        return op(...args)
      } catch (error) {
        throw syncError(name, error)
      }
    }
  }

  method('access', (o) => box.access(o.path))
  sync('accessSync', (path) => box.access(path))
  method('readFile', (o) => box.readFile(o))
  sync('readFileSync', (filePath, encoding, position, length) => {
    return box.readFile({ filePath, encoding, position, length }).data
  })
  method('writeFile', (o) => box.writeFile(o))
  sync('writeFileSync', (filePath, data, encoding) => box.writeFile({ filePath, data, encoding }))
  method('appendFile', (o) => box.writeFile(o, true))
  sync('appendFileSync', (filePath, data, encoding) => {
    box.writeFile({ filePath, data, encoding }, true)
  })
  method('copyFile', (o) => box.copyFile(o))
  sync('copyFileSync', (srcPath, destPath) => box.copyFile({ srcPath, destPath }))
  method('rename', (o) => box.rename(o))
  sync('renameSync', (oldPath, newPath) => box.rename({ oldPath, newPath }))
  method('unlink', (o) => box.unlink(o.filePath))
  sync('unlinkSync', (filePath) => box.unlink(filePath))
  method('mkdir', (o) => box.mkdir(o.dirPath, o.recursive))
  sync('mkdirSync', (dirPath, recursive) => box.mkdir(dirPath, recursive))
  method('rmdir', (o) => box.rmdir(o.dirPath, o.recursive))
  sync('rmdirSync', (dirPath, recursive) => box.rmdir(dirPath, recursive))
  method('readdir', (o) => ({ files: box.readdir(o.dirPath) }))
  sync('readdirSync', (dirPath) => box.readdir(dirPath))
  method('stat', (o) => ({ stats: box.stat(o.path, o.recursive) }))
  sync('statSync', (path, recursive) => box.stat(path, recursive))
  method('truncate', (o) => box.truncate(o))
  sync('truncateSync', (o) => box.truncate(o && typeof o === 'object' ? o : {}))
  method('saveFile', (o) => box.saveFile(o))
  sync('saveFileSync', (tempFilePath, filePath) => {
    return box.saveFile({ tempFilePath, filePath }).savedFilePath
  })
  method('removeSavedFile', (o) => box.removeSavedFile(o.filePath))
  method('getSavedFileList', () => box.getSavedFileList())
  method('getFileInfo', (o) => box.getFileInfo(o))

  // The descriptor and archive methods are not simulated.
  const unsupported = () => {
    throw new HostFail(NOT_SUPPORTED)
  }
  for (const name of ['open', 'close', 'read', 'write', 'fstat', 'ftruncate']) {
    method(name, unsupported)
    sync(name + 'Sync', unsupported)
  }
  for (const name of ['readCompressedFile', 'readZipEntry', 'unzip']) method(name, unsupported)
  sync('readCompressedFileSync', unsupported)
  return fsm
}

/** Adds the files members to `ctx.wx` and returns the test controls. */
export function installFiles(ctx: HostContext, options: FilesHostOptions): FilesHostControls {
  const box = new FileSandbox(ctx, {
    savedFiles:
      options.savedFileLimit === undefined
        ? 10 * MB
        : positive(options.savedFileLimit, 'savedFileLimit'),
    userData:
      options.userDataLimit === undefined
        ? 200 * MB
        : positive(options.userDataLimit, 'userDataLimit'),
  })
  const openedDocuments: OpenedDocument[] = []
  const fsm = createFileSystemManager(ctx, box)

  ctx.wx.env = { USER_DATA_PATH: 'wxfile://usr' }
  ctx.wx.getFileSystemManager = () => {
    ctx.log('getFileSystemManager', [])
    return fsm
  }
  ctx.defineAsync('saveFile', (o, settle) => {
    settle.ok(box.saveFile({ tempFilePath: o.tempFilePath }))
  })
  ctx.defineAsync('getSavedFileList', (_o, settle) => settle.ok(box.getSavedFileList()))
  ctx.defineAsync('getSavedFileInfo', (o, settle) => {
    settle.ok(box.getSavedFileInfo(o.filePath))
  })
  ctx.defineAsync('removeSavedFile', (o, settle) => {
    box.removeSavedFile(o.filePath)
    settle.ok()
  })
  ctx.defineAsync('getFileInfo', (o, settle) => settle.ok(box.getFileInfo(o)))
  ctx.defineAsync('openDocument', (o, settle) => {
    const filePath = o.filePath as string
    const realPath = box.resolve(filePath, 'filePath', (p) => 'permission denied, open ' + p)
    if (!box.existingFile(filePath)) throw new HostFail('file not exist', FILE_ERRNO.noEntry)
    const fileType =
      o.fileType == null ? extname(realPath).slice(1).toLowerCase() : String(o.fileType)
    if (!DOCUMENT_TYPES.includes(fileType)) throw new HostFail('filetype not supported')
    openedDocuments.push({ filePath, fileType, showMenu: o.showMenu === true, realPath })
    settle.ok()
  })

  const newTemp = (ext: unknown) => {
    if (ctx.closed) throw new Error('miniprogram-rx host: the host is closed')
    if (typeof ext !== 'string') {
      throw new TypeError('miniprogram-rx host: files: ext must be a string, got ' + typeof ext)
    }
    return ctx.tempPath(ext)
  }

  return {
    addTempFile(contents, ext = '') {
      // Realm-neutral checks: jest gives each test file its own typed-array globals.
      const data =
        typeof contents === 'string'
          ? Buffer.from(contents)
          : ArrayBuffer.isView(contents)
            ? new Uint8Array(contents.buffer, contents.byteOffset, contents.byteLength)
            : Object.prototype.toString.call(contents) === '[object ArrayBuffer]'
              ? new Uint8Array(contents as ArrayBuffer)
              : undefined
      if (!data) {
        throw new TypeError(
          'miniprogram-rx host: files.addTempFile: contents must be a Buffer, Uint8Array, ' +
            'ArrayBuffer or string, got ' +
            Object.prototype.toString.call(contents),
        )
      }
      const temp = newTemp(ext)
      writeFileSync(temp.realPath, data)
      return temp.wxPath
    },
    importFile(realPath, ext = extname(realPath).slice(1)) {
      const temp = newTemp(ext)
      try {
        copyFileSync(realPath, temp.realPath)
      } catch (error) {
        const failure = new Error(
          'miniprogram-rx host: files.importFile: cannot copy ' +
            realPath +
            ': ' +
            (error as Error).message,
        )
        ;(failure as { cause?: unknown }).cause = error
        throw failure
      }
      return temp.wxPath
    },
    realPath: (wxPath) => ctx.resolvePath(wxPath),
    openedDocuments,
    limits: () => ({ ...box.limits }),
    setLimits(limits) {
      if (limits.savedFiles !== undefined) {
        box.limits.savedFiles = positive(limits.savedFiles, 'savedFiles')
      }
      if (limits.userData !== undefined) box.limits.userData = positive(limits.userData, 'userData')
    },
  }
}
