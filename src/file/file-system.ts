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

// Every callback-style method of FileSystemManager in miniprogram-api-typings 5.2.3, as one
// string (shorter in the bundle than an array literal). test/file/file-system.test.ts re-reads
// the typings with the compiler and fails when this list and the typings disagree; the types
// below fail to compile on a misspelt, missing or extra name.
const NAMES =
  'access appendFile close copyFile fstat ftruncate getFileInfo getSavedFileList mkdir open read readCompressedFile readFile readZipEntry readdir removeSavedFile rename rmdir saveFile stat truncate unlink unzip write writeFile'

// Compile-time completeness check: `true` only when NAMES lists exactly the async methods.
type Words<S extends string> = S extends `${infer A} ${infer B}` ? A | Words<B> : S
type Listed = Words<typeof NAMES>
type Async = CallbackMethodName<Manager>
type Mismatch = Exclude<Async, Listed> | Exclude<Listed, Async>
const exact: [Mismatch] extends [never] ? true : Mismatch = true
void exact

const GET = 'getFileSystemManager'
let cachedHost: unknown
let cachedManager: Manager | undefined

/**
 * The `FileSystemManager` of the current `wx`, fetched with `wx.getFileSystemManager()` on
 * first use (never at import) and fetched again when the global `wx` changes.
 *
 * @throws WxError `getFileSystemManager:fail not supported` when the base library has none.
 */
export function fileSystemManager(): Manager {
  const host = getWx() as unknown as Record<string, unknown> | undefined
  if (!cachedManager || cachedHost !== host) {
    const get = host && host[GET]
    let manager: Manager | undefined
    try {
      manager = (get as () => Manager | undefined).call(host)
    } catch (error) {
      // Only a real getFileSystemManager that threw is a failure of its own; a missing one
      // (the call threw because it is not a function) is "not supported" below.
      if (typeof get === 'function') throw toWxError(GET, error)
    }
    // So is a base library that hands out no manager.
    if (!manager) throw notSupported(GET)
    cachedHost = host
    cachedManager = manager
  }
  return cachedManager
}

function createFileSystem(): FileSystem {
  const fs: Record<string, unknown> = {}
  NAMES.split(' ').forEach((name) => {
    // A missing manager throws inside the executor, so it rejects instead.
    fs[name] = (options?: unknown) =>
      new Promise((resolve) => {
        resolve(invoke(name, options, fileSystemManager()))
      })
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
