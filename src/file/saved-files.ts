import { WxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { fileSystemManager } from './file-system'
import { FILE_PATH, callWithPath } from './path-options'

/** Options of `saveFile`: the temp file to keep and, optionally, where. */
export type SaveFileOptions = WechatMiniprogram.SaveFileOption
/** What `saveFile` resolves with: `savedFilePath`. */
export type SaveFileResult = WechatMiniprogram.SaveFileSuccessCallbackResult
/** What `getSavedFileList` resolves with: `fileList` of `{ filePath, size, createTime }`. */
export type SavedFileListResult = WechatMiniprogram.GetSavedFileListSuccessCallbackResult
/** One saved file: `filePath`, `size` in bytes, `createTime` in seconds since 1970. */
export type SavedFile = WechatMiniprogram.FileItem
/** What `getSavedFileInfo` resolves with: `size` in bytes and `createTime` in seconds. */
export type SavedFileInfoResult = WechatMiniprogram.GetSavedFileInfoSuccessCallbackResult

// The modern API (FileSystemManager.<name>, base library 1.9.9+) where the manager has the
// method, else the legacy wx.<name> (`invoke` with no owner).
function ownerOf(name: string): object | undefined {
  try {
    const manager = fileSystemManager() as unknown as Record<string, unknown>
    return typeof manager[name] === 'function' ? manager : undefined
  } catch {
    return undefined
  }
}

const LIST = 'getSavedFileList'

// A saved-file call on the manager where it has the method, else on wx.
const run = (api: string) => (options: object) => invoke(api, options, ownerOf(api))

/**
 * Moves a temp file (from `downloadFile`, `chooseMedia`, ...) into the saved-file area, where
 * it survives restarts (10 MB in total per mini program). Uses
 * `FileSystemManager.saveFile` where the base library has it, else the deprecated
 * `wx.saveFile`. Accepts the temp path or wx's options.
 *
 * Rejects with a `TypeError` for a missing `tempFilePath`, and with `WxError` when wx fails
 * (`saveFile:fail the maximum size of the file storage limit is exceeded`, ...).
 *
 * @example
 * const { savedFilePath } = await saveFile(tempFilePath)
 */
export function saveFile(tempFilePathOrOptions: string | SaveFileOptions): Promise<SaveFileResult> {
  return callWithPath(
    'saveFile',
    tempFilePathOrOptions,
    'tempFilePath',
    { filePath: FILE_PATH },
    run('saveFile'),
  )
}

/**
 * Lists the saved files (`FileSystemManager.getSavedFileList`, else the deprecated
 * `wx.getSavedFileList`).
 */
export function getSavedFileList(): Promise<SavedFileListResult> {
  return run(LIST)({}) as Promise<SavedFileListResult>
}

/**
 * The size and creation time of one saved file. `FileSystemManager` has no direct
 * equivalent of the deprecated `wx.getSavedFileInfo`, so where the manager lists saved files
 * the entry is looked up in `getSavedFileList` (same numbers); else `wx.getSavedFileInfo`.
 *
 * Rejects with `WxError('getSavedFileInfo:fail file not exist')` for a path that is not a
 * saved file, and with a `TypeError` for a missing `filePath`.
 */
export function getSavedFileInfo(
  filePathOrOptions: string | WechatMiniprogram.GetSavedFileInfoOption,
): Promise<SavedFileInfoResult> {
  const api = 'getSavedFileInfo'
  return callWithPath(api, filePathOrOptions, 'filePath', {}, (options) => {
    const path = options.filePath as string
    const owner = ownerOf(LIST)
    const fail = (reason: string, cause?: unknown) =>
      new WxError({ api, errMsg: api + ':fail ' + reason, cause }, path)
    if (!owner) return invoke(api, options)
    return invoke(LIST, {}, owner).then(
      (result) => {
        const file = ((result as SavedFileListResult).fileList || []).filter(
          (f) => f.filePath === path,
        )[0]
        if (!file) throw fail('file not exist')
        return { size: file.size, createTime: file.createTime, errMsg: api + ':ok' }
      },
      // The list's own failure, worded as this API's.
      (error: WxError) => {
        throw fail(error.errMsg.replace(/^.*?:fail ?/, ''), error)
      },
    )
  })
}

/**
 * Deletes a saved file (`FileSystemManager.removeSavedFile`, else the deprecated
 * `wx.removeSavedFile`). Accepts the saved path or wx's options.
 */
export function removeSavedFile(
  filePathOrOptions: string | WechatMiniprogram.RemoveSavedFileOption,
): Promise<WechatMiniprogram.GeneralCallbackResult> {
  return callWithPath('removeSavedFile', filePathOrOptions, 'filePath', {}, run('removeSavedFile'))
}
