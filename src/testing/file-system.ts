// The file operations of the Node wx host, on the real sandbox folder (`usr/`, `tmp/`, `store/`
// under ctx.root). Each operation is synchronous, throws `HostFail` with WeChat's reason text
// (and errno where WeChat documents one), and is shared by the FileSystemManager's async and
// Sync methods and by wx.saveFile & co. Async callers run it at call time and get their
// callback later, so operations take effect in call order, as on WeChat's single file thread.
//
// Permissions follow WeChat's sandbox: everything inside it can be read; only `usr/`
// (wx.env.USER_DATA_PATH) can be written; temp files may also be moved out or deleted; saved
// files (`store/`) change only through saveFile/removeSavedFile. Anything outside, including
// `../` climbs and absolute paths, is `permission denied`.
import { createHash } from 'node:crypto'
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  type Stats,
} from 'node:fs'
import { dirname, extname, join, relative, sep } from 'node:path'
import { HostFail, type HostContext } from './context'
import { parameterError } from './params'

/** errno values WeChat documents for file errors. */
export const FILE_ERRNO = {
  notPermitted: 1300001,
  noEntry: 1300002,
  permissionDenied: 1300013,
  notDirectory: 1300020,
  invalidArgument: 1300022,
  notEmpty: 1300066,
  storageFull: 1300202,
  base64: 1300203,
  lengthOutOfRange: 1301006,
  directoryOperation: 1301003,
  exists: 1301005,
} as const

/** The size limits the sandbox enforces, in bytes. */
export interface FileLimits {
  /** Saved files (`wx.saveFile`, `store/`) in total. */
  savedFiles: number
  /** User files and saved files together (`usr/` + `store/`). */
  userData: number
}

/** A file's `Stats`, as `FileSystemManager.stat` returns it (times in seconds). */
export interface WxStats {
  mode: number
  size: number
  lastAccessedTime: number
  lastModifiedTime: number
  isDirectory(): boolean
  isFile(): boolean
}

type Region = 'usr' | 'tmp' | 'store'

const ENCODINGS: Record<string, BufferEncoding> = {
  ascii: 'ascii',
  base64: 'base64',
  binary: 'binary',
  hex: 'hex',
  ucs2: 'ucs2',
  'ucs-2': 'ucs2',
  utf16le: 'utf16le',
  'utf-16le': 'utf16le',
  'utf-8': 'utf8',
  utf8: 'utf8',
  latin1: 'latin1',
}

const fail = (reason: string, errno?: number) => new HostFail(reason, errno)

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]'
}

/** A fresh ArrayBuffer of this realm (jest gives each test file its own globals). */
export function toArrayBuffer(buffer: Buffer): ArrayBuffer {
  const out = new ArrayBuffer(buffer.length)
  new Uint8Array(out).set(buffer)
  return out
}

/**
 * A folder's entries, sorted, in an array of this module's realm: `readdirSync` hands back an
 * array of Node's realm, which fails `instanceof Array` in a jest test (a vm context), and
 * page code (miniprogram-simulate's setData among it) checks exactly that.
 */
function listDir(real: string): string[] {
  return [...readdirSync(real)].sort()
}

function statOrUndefined(real: string): Stats | undefined {
  try {
    return statSync(real)
  } catch {
    return undefined
  }
}

function toWxStats(s: Stats): WxStats {
  const directory = s.isDirectory()
  const file = s.isFile()
  return {
    mode: s.mode,
    size: s.size,
    lastAccessedTime: Math.floor(s.atimeMs / 1000),
    lastModifiedTime: Math.floor(s.mtimeMs / 1000),
    isDirectory: () => directory,
    isFile: () => file,
  }
}

function sizeOf(real: string): number {
  const s = statOrUndefined(real)
  if (!s) return 0
  if (!s.isDirectory()) return s.size
  let total = 0
  for (const name of readdirSync(real)) total += sizeOf(join(real, name))
  return total
}

/** The wx path of the folder that holds `wxPath` (`wxfile://usr/a/b.txt` → `wxfile://usr/a`). */
function parentOf(wxPath: string): string {
  const i = wxPath.lastIndexOf('/')
  return i > 'wxfile://'.length ? wxPath.slice(0, i) : wxPath
}

/** The host's sandbox folder and every file operation on it. */
export class FileSandbox {
  private savedCounter = 0

  constructor(
    private readonly ctx: HostContext,
    readonly limits: FileLimits,
  ) {}

  // ---- paths -----------------------------------------------------------------------------

  /** Maps a wx path to a real path, or throws `parameter error` / `denied`. */
  resolve(path: unknown, field: string, denied: (path: string) => string): string {
    if (typeof path !== 'string' || path === '') throw parameterError(field, 'String', path)
    try {
      return this.ctx.resolvePath(path)
    } catch {
      throw fail(denied(path), FILE_ERRNO.permissionDenied)
    }
  }

  /** Like `resolve`, and also refuses a path outside the given regions. */
  resolveIn(
    path: unknown,
    field: string,
    regions: Region[],
    denied: (path: string) => string,
  ): string {
    const real = this.resolve(path, field, denied)
    const region = this.regionOf(real)
    if (!region || !regions.includes(region)) {
      throw fail(denied(path as string), FILE_ERRNO.permissionDenied)
    }
    return real
  }

  private regionOf(real: string): Region | undefined {
    const first = relative(this.ctx.root, real).split(sep)[0]
    return first === 'usr' || first === 'tmp' || first === 'store' ? first : undefined
  }

  private isRegionRoot(real: string): boolean {
    const region = this.regionOf(real)
    return !!region && real === join(this.ctx.root, region)
  }

  private checkUserData(growth: number): void {
    if (growth <= 0) return
    const used = sizeOf(join(this.ctx.root, 'usr')) + sizeOf(join(this.ctx.root, 'store'))
    if (used + growth > this.limits.userData) {
      throw fail('the maximum size of the file storage limit is exceeded', FILE_ERRNO.storageFull)
    }
  }

  private toData(data: unknown, encoding: unknown): Buffer {
    if (typeof data === 'string') {
      const enc = this.encoding(encoding ?? 'utf8')!
      // Buffer.from skips bad characters; WeChat refuses them (and Data URI prefixes).
      if (enc === 'base64' && !/^[A-Za-z0-9+/=\s]*$/.test(data)) {
        throw fail('base64 encode error', FILE_ERRNO.base64)
      }
      return Buffer.from(data, enc)
    }
    if (isArrayBuffer(data)) return Buffer.from(new Uint8Array(data))
    if (ArrayBuffer.isView(data)) {
      return Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    }
    throw parameterError('data', 'String/ArrayBuffer', data)
  }

  private encoding(value: unknown): BufferEncoding | undefined {
    if (value === undefined || value === null || value === '') return undefined
    const enc = typeof value === 'string' ? ENCODINGS[value.toLowerCase()] : undefined
    if (!enc) throw fail('invalid encoding: ' + String(value), FILE_ERRNO.invalidArgument)
    return enc
  }

  // ---- FileSystemManager operations --------------------------------------------------------

  access(path: unknown): void {
    const real = this.resolve(path, 'path', (p) => 'permission denied, open ' + p)
    if (!statOrUndefined(real)) {
      throw fail('no such file or directory ' + path, FILE_ERRNO.noEntry)
    }
  }

  readFile(o: { filePath?: unknown; encoding?: unknown; position?: unknown; length?: unknown }): {
    data: string | ArrayBuffer
  } {
    const p = o.filePath as string
    const real = this.resolve(o.filePath, 'filePath', () => 'permission denied, open ' + p)
    const encoding = this.encoding(o.encoding)
    const s = statOrUndefined(real)
    if (!s) throw fail('no such file or directory, open ' + p, FILE_ERRNO.noEntry)
    if (s.isDirectory()) {
      throw fail('illegal operation on a directory, open ' + p, FILE_ERRNO.directoryOperation)
    }
    let buffer = readFileSync(real)
    if (o.position != null || o.length != null) {
      const position = o.position == null ? 0 : o.position
      if (
        typeof position !== 'number' ||
        !Number.isInteger(position) ||
        position < 0 ||
        (position >= buffer.length && !(position === 0 && buffer.length === 0))
      ) {
        throw fail('value of position is out of range', FILE_ERRNO.invalidArgument)
      }
      const length = o.length == null ? buffer.length - position : o.length
      if (
        typeof length !== 'number' ||
        !Number.isInteger(length) ||
        length < 1 ||
        length > buffer.length - position
      ) {
        throw fail('value of length is out of range', FILE_ERRNO.lengthOutOfRange)
      }
      buffer = buffer.subarray(position, position + length)
    }
    return { data: encoding ? buffer.toString(encoding) : toArrayBuffer(buffer) }
  }

  writeFile(o: { filePath?: unknown; data?: unknown; encoding?: unknown }, append = false): void {
    const p = o.filePath as string
    const real = this.resolveIn(
      o.filePath,
      'filePath',
      ['usr'],
      () => 'permission denied, open ' + p,
    )
    const data = this.toData(o.data, o.encoding)
    const s = statOrUndefined(real)
    if (s?.isDirectory()) {
      throw fail(
        append
          ? 'illegal operation on a directory, open "' + p + '"'
          : 'illegal operation on a directory, open ' + p,
        FILE_ERRNO.directoryOperation,
      )
    }
    if (append ? !s : !statOrUndefined(dirname(real))?.isDirectory()) {
      throw fail('no such file or directory, open ' + p, FILE_ERRNO.noEntry)
    }
    this.checkUserData(append ? data.length : data.length - (s?.size ?? 0))
    if (append) appendFileSync(real, data)
    else writeFileSync(real, data)
  }

  copyFile(o: { srcPath?: unknown; destPath?: unknown }): void {
    const both = () => String(o.srcPath) + ' -> ' + String(o.destPath)
    const denied = () => 'permission denied, copyFile ' + both()
    const src = this.resolve(o.srcPath, 'srcPath', denied)
    const dest = this.resolveIn(o.destPath, 'destPath', ['usr'], denied)
    const s = statOrUndefined(src)
    if (!s || !statOrUndefined(dirname(dest))?.isDirectory()) {
      throw fail('no such file or directory, copyFile ' + both(), FILE_ERRNO.noEntry)
    }
    if (s.isDirectory()) {
      throw fail('operation not permitted, copyFile ' + both(), FILE_ERRNO.notPermitted)
    }
    const target = statOrUndefined(dest)
    if (target?.isDirectory()) {
      throw fail(
        'illegal operation on a directory, copyFile ' + both(),
        FILE_ERRNO.directoryOperation,
      )
    }
    this.checkUserData(s.size - (target?.size ?? 0))
    copyFileSync(src, dest)
  }

  rename(o: { oldPath?: unknown; newPath?: unknown }): void {
    const both = () => String(o.oldPath) + ' -> ' + String(o.newPath)
    const denied = () => 'permission denied, rename ' + both()
    const from = this.resolveIn(o.oldPath, 'oldPath', ['usr', 'tmp'], denied)
    const to = this.resolveIn(o.newPath, 'newPath', ['usr'], denied)
    if (this.isRegionRoot(from) || this.isRegionRoot(to)) {
      throw fail(denied(), FILE_ERRNO.permissionDenied)
    }
    const s = statOrUndefined(from)
    if (!s || !statOrUndefined(dirname(to))?.isDirectory()) {
      throw fail('no such file or directory, rename ' + both(), FILE_ERRNO.noEntry)
    }
    if (this.regionOf(from) === 'tmp') this.checkUserData(s.size)
    try {
      renameSync(from, to)
    } catch (error) {
      throw this.mapError(error, 'rename ' + both())
    }
  }

  unlink(path: unknown): void {
    const real = this.resolveIn(
      path,
      'filePath',
      ['usr', 'tmp'],
      (p) => 'permission denied, open ' + p,
    )
    const s = statOrUndefined(real)
    if (!s) throw fail('no such file or directory ' + path, FILE_ERRNO.noEntry)
    if (s.isDirectory() || this.isRegionRoot(real)) {
      throw fail('operation not permitted, unlink ' + path, FILE_ERRNO.notPermitted)
    }
    unlinkSync(real)
  }

  mkdir(dirPath: unknown, recursive: unknown): void {
    const real = this.resolveIn(dirPath, 'dirPath', ['usr'], (p) => 'permission denied, open ' + p)
    // WeChat refuses an existing path even with recursive: true.
    if (statOrUndefined(real)) {
      throw fail('file already exists ' + dirPath, FILE_ERRNO.exists)
    }
    if (recursive !== true && !statOrUndefined(dirname(real))?.isDirectory()) {
      throw fail('no such file or directory ' + dirPath, FILE_ERRNO.noEntry)
    }
    try {
      mkdirSync(real, { recursive: recursive === true })
    } catch {
      // a file where a folder of the path should be
      throw fail('not a directory ' + dirPath, FILE_ERRNO.notDirectory)
    }
  }

  rmdir(dirPath: unknown, recursive: unknown): void {
    const real = this.resolveIn(dirPath, 'dirPath', ['usr'], (p) => 'permission denied, open ' + p)
    if (this.isRegionRoot(real)) {
      throw fail('permission denied, open ' + dirPath, FILE_ERRNO.permissionDenied)
    }
    const s = statOrUndefined(real)
    if (!s) throw fail('no such file or directory ' + dirPath, FILE_ERRNO.noEntry)
    if (!s.isDirectory()) throw fail('not a directory ' + dirPath, FILE_ERRNO.notDirectory)
    if (recursive === true) rmSync(real, { recursive: true, force: true })
    else if (readdirSync(real).length > 0) {
      throw fail('directory not empty', FILE_ERRNO.notEmpty)
    } else rmdirSync(real)
  }

  readdir(dirPath: unknown): string[] {
    const real = this.resolve(dirPath, 'dirPath', (p) => 'permission denied, open ' + p)
    const s = statOrUndefined(real)
    if (!s) throw fail('no such file or directory ' + dirPath, FILE_ERRNO.noEntry)
    if (!s.isDirectory()) throw fail('not a directory ' + dirPath, FILE_ERRNO.notDirectory)
    return listDir(real)
  }

  stat(path: unknown, recursive: unknown): WxStats | Array<{ path: string; stats: WxStats }> {
    const real = this.resolve(path, 'path', (p) => 'permission denied, open ' + p)
    const s = statOrUndefined(real)
    if (!s) throw fail('no such file or directory ' + path, FILE_ERRNO.noEntry)
    if (recursive !== true || !s.isDirectory()) return toWxStats(s)
    // Paths relative to `path`, the folder itself first as '/'.
    const out: Array<{ path: string; stats: WxStats }> = [{ path: '/', stats: toWxStats(s) }]
    const walk = (dir: string, prefix: string) => {
      for (const name of listDir(dir)) {
        const child = join(dir, name)
        const cs = statSync(child)
        out.push({ path: prefix + name, stats: toWxStats(cs) })
        if (cs.isDirectory()) walk(child, prefix + name + '/')
      }
    }
    walk(real, '/')
    return out
  }

  truncate(o: { filePath?: unknown; length?: unknown }): void {
    const p = o.filePath as string
    const real = this.resolveIn(
      o.filePath,
      'filePath',
      ['usr'],
      () => 'permission denied, open ' + p,
    )
    const length = o.length == null ? 0 : o.length
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) {
      throw fail('value of length is out of range', FILE_ERRNO.lengthOutOfRange)
    }
    const s = statOrUndefined(real)
    if (!s) throw fail('no such file or directory, open ' + p, FILE_ERRNO.noEntry)
    if (s.isDirectory()) {
      throw fail('illegal operation on a directory, open ' + p, FILE_ERRNO.directoryOperation)
    }
    this.checkUserData(length - s.size)
    truncateSync(real, length)
  }

  // ---- saved files and file info -----------------------------------------------------------

  /** Moves a temp file to the saved files (or to `filePath` in usr/) and returns its wx path. */
  saveFile(o: { tempFilePath?: unknown; filePath?: unknown }): { savedFilePath: string } {
    const src = this.resolve(o.tempFilePath, 'tempFilePath', (p) => 'permission denied, open ' + p)
    const s = statOrUndefined(src)
    if (!s || !s.isFile()) throw fail('tempFilePath file not exist', FILE_ERRNO.noEntry)
    let dest: string
    if (o.filePath != null) {
      const p = o.filePath as string
      dest = this.resolveIn(
        o.filePath,
        'filePath',
        ['usr'],
        () => 'permission denied, open "' + p + '"',
      )
      if (!statOrUndefined(dirname(dest))?.isDirectory()) {
        throw fail('no such file or directory "' + parentOf(p) + '"', FILE_ERRNO.noEntry)
      }
      const target = statOrUndefined(dest)
      if (target?.isDirectory()) {
        throw fail(
          'illegal operation on a directory, open "' + p + '"',
          FILE_ERRNO.directoryOperation,
        )
      }
      if (this.regionOf(src) !== 'usr') this.checkUserData(s.size - (target?.size ?? 0))
    } else {
      const store = join(this.ctx.root, 'store')
      if (sizeOf(store) + s.size > this.limits.savedFiles) {
        throw fail('the maximum size of the file storage limit is exceeded', FILE_ERRNO.storageFull)
      }
      if (this.regionOf(src) !== 'usr') this.checkUserData(s.size)
      this.savedCounter += 1
      const name =
        'store_' +
        process.pid +
        '_' +
        Date.now().toString(36) +
        '_' +
        this.savedCounter +
        extname(src)
      dest = join(store, name)
    }
    try {
      renameSync(src, dest)
    } catch {
      copyFileSync(src, dest)
      unlinkSync(src)
    }
    // The creation time getSavedFileList reports is the time of saving.
    const now = new Date()
    utimesSync(dest, now, now)
    return { savedFilePath: this.ctx.toWxPath(dest) }
  }

  getSavedFileList(): {
    fileList: Array<{ filePath: string; size: number; createTime: number }>
  } {
    const store = join(this.ctx.root, 'store')
    const fileList = listDir(store)
      .map((name) => {
        const s = statSync(join(store, name))
        return {
          filePath: this.ctx.toWxPath(join(store, name)),
          size: s.size,
          createTime: Math.floor(s.mtimeMs / 1000),
        }
      })
      .sort((a, b) => a.createTime - b.createTime || (a.filePath < b.filePath ? -1 : 1))
    return { fileList }
  }

  private savedFile(filePath: unknown): { real: string; stats: Stats } {
    const real = this.resolve(filePath, 'filePath', (p) => 'permission denied, open ' + p)
    const s = statOrUndefined(real)
    if (this.regionOf(real) !== 'store' || !s || !s.isFile()) {
      throw fail('file not exist', FILE_ERRNO.noEntry)
    }
    return { real, stats: s }
  }

  getSavedFileInfo(filePath: unknown): { size: number; createTime: number } {
    const { stats } = this.savedFile(filePath)
    return { size: stats.size, createTime: Math.floor(stats.mtimeMs / 1000) }
  }

  removeSavedFile(filePath: unknown): void {
    unlinkSync(this.savedFile(filePath).real)
  }

  getFileInfo(o: { filePath?: unknown; digestAlgorithm?: unknown }): {
    size: number
    digest: string
  } {
    const real = this.resolve(o.filePath, 'filePath', (p) => 'permission denied, open ' + p)
    const algorithm = o.digestAlgorithm == null ? 'md5' : o.digestAlgorithm
    if (algorithm !== 'md5' && algorithm !== 'sha1' && algorithm !== 'sha256') {
      throw fail('invalid digestAlgorithm ' + String(algorithm), FILE_ERRNO.invalidArgument)
    }
    const s = statOrUndefined(real)
    if (!s || !s.isFile()) throw fail('file not exist', FILE_ERRNO.noEntry)
    const digest = createHash(algorithm).update(readFileSync(real)).digest('hex')
    return { size: s.size, digest }
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** The real path of an existing regular file, or `undefined`. */
  existingFile(wxPath: string): string | undefined {
    try {
      const real = this.ctx.resolvePath(wxPath)
      return statOrUndefined(real)?.isFile() ? real : undefined
    } catch {
      return undefined
    }
  }

  // Races (something changed between the checks and the call) still get WeChat's words.
  private mapError(error: unknown, subject: string): HostFail {
    const code = (error as NodeJS.ErrnoException)?.code
    switch (code) {
      case 'ENOENT':
        return fail('no such file or directory, ' + subject, FILE_ERRNO.noEntry)
      case 'ENOTDIR':
        return fail('not a directory, ' + subject, FILE_ERRNO.notDirectory)
      case 'EISDIR':
        return fail('illegal operation on a directory, ' + subject, FILE_ERRNO.directoryOperation)
      case 'ENOTEMPTY':
      case 'EEXIST':
        return fail('directory not empty', FILE_ERRNO.notEmpty)
      default:
        return fail('system error: ' + String((error as Error)?.message), 1300201)
    }
  }
}
