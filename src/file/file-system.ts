import { notSupported, toWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import type { CallbackMethodName, PromisifiedMethods } from '../core/wxp-types'

type Manager = WechatMiniprogram.FileSystemManager

/**
 * The promise form of `wx.getFileSystemManager()`: every async method of
 * `FileSystemManager` (`readFile`, `writeFile`, `stat`, `mkdir`, `unzip`, ...) returning a
 * Promise of its success result, typed from miniprogram-api-typings.
 */
export type FileSystem = PromisifiedMethods<Manager>

// Every callback-style method of FileSystemManager in miniprogram-api-typings 5.2.3.
// test/file/file-system.test.ts re-reads the typings with the compiler and fails when this
// list and the typings disagree; the types below fail to compile on a misspelt or missing name.
const NAMES = [
  'access',
  'appendFile',
  'close',
  'copyFile',
  'fstat',
  'ftruncate',
  'getFileInfo',
  'getSavedFileList',
  'mkdir',
  'open',
  'read',
  'readCompressedFile',
  'readFile',
  'readZipEntry',
  'readdir',
  'removeSavedFile',
  'rename',
  'rmdir',
  'saveFile',
  'stat',
  'truncate',
  'unlink',
  'unzip',
  'write',
  'writeFile',
] as const satisfies readonly CallbackMethodName<Manager>[]

// Compile-time completeness check: `true` only when NAMES covers every async method.
type Missing = Exclude<CallbackMethodName<Manager>, (typeof NAMES)[number]>
const complete: [Missing] extends [never] ? true : Missing = true
void complete

let cached: { host: object; manager: Manager } | undefined

/**
 * The `FileSystemManager` of the current `wx`, fetched with `wx.getFileSystemManager()` on
 * first use (never at import) and fetched again when the global `wx` changes.
 *
 * @throws WxError `getFileSystemManager:fail not supported` when the base library has none.
 */
export function fileSystemManager(): Manager {
  const host = getWx() as unknown as Record<string, unknown> | undefined
  if (cached && cached.host === host) return cached.manager
  const get = host && host.getFileSystemManager
  if (typeof get !== 'function') {
    throw notSupported('getFileSystemManager')
  }
  let manager: Manager
  try {
    manager = get.call(host) as Manager
  } catch (error) {
    throw toWxError('getFileSystemManager', error)
  }
  if (!manager || typeof manager !== 'object') {
    throw toWxError('getFileSystemManager', 'no manager returned')
  }
  cached = { host: host as object, manager }
  return manager
}

/** The manager if the base library has one, else `undefined` (never throws). */
export function fileSystemManagerOrUndefined(): Manager | undefined {
  try {
    return fileSystemManager()
  } catch {
    return undefined
  }
}

function createFileSystem(): FileSystem {
  const fs: Record<string, unknown> = {}
  NAMES.forEach((name) => {
    fs[name] = (options?: unknown) => {
      let manager: Manager
      try {
        manager = fileSystemManager()
      } catch (error) {
        return Promise.reject(error)
      }
      return invoke(name, options, manager)
    }
  })
  return fs as unknown as FileSystem
}

/**
 * Every async method of `FileSystemManager` as a promise. The manager is fetched with
 * `wx.getFileSystemManager()` at the first call, not at import. Failures reject with
 * `WxError` (`readFile:fail no such file or directory ...`), bad options with a `TypeError`,
 * a method the base library lacks with `WxError('<method>:fail not supported')`.
 *
 * @example
 * await fs.writeFile({ filePath: `${wx.env.USER_DATA_PATH}/a.txt`, data: 'hi', encoding: 'utf8' })
 * const { data } = await fs.readFile({ filePath: `${wx.env.USER_DATA_PATH}/a.txt`, encoding: 'utf8' })
 */
export const fs: FileSystem = /*#__PURE__*/ createFileSystem()
