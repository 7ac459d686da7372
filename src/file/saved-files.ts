import { argumentError, isPlainObject } from '../core/describe'
import { WxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { fileSystemManagerOrUndefined } from './file-system'

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

type Owner = object | undefined

// The modern API (FileSystemManager.<name>, base library 1.9.9+) where the manager has the
// method, else the legacy wx.<name>.
function ownerOf(name: string): Owner {
  const manager = fileSystemManagerOrUndefined() as unknown as Record<string, unknown> | undefined
  return manager && typeof manager[name] === 'function' ? manager : undefined
}

function checkPath(
  api: string,
  options: unknown,
  field: string,
  optional = false,
): TypeError | undefined {
  if (!isPlainObject(options)) return argumentError(api, 'options', 'an object', options)
  const value = options[field]
  if (optional && value === undefined) return undefined
  if (typeof value !== 'string' || value === '') {
    return argumentError(api, 'options.' + field, 'a non-empty file path', value)
  }
  return undefined
}

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
  const options =
    typeof tempFilePathOrOptions === 'string'
      ? { tempFilePath: tempFilePathOrOptions }
      : tempFilePathOrOptions
  const bad =
    checkPath('saveFile', options, 'tempFilePath') ||
    checkPath('saveFile', options, 'filePath', true)
  if (bad) return Promise.reject(bad)
  return invoke('saveFile', options, ownerOf('saveFile')) as Promise<SaveFileResult>
}

/**
 * Lists the saved files (`FileSystemManager.getSavedFileList`, else the deprecated
 * `wx.getSavedFileList`).
 */
export function getSavedFileList(): Promise<SavedFileListResult> {
  return invoke('getSavedFileList', {}, ownerOf('getSavedFileList')) as Promise<SavedFileListResult>
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
  const options =
    typeof filePathOrOptions === 'string' ? { filePath: filePathOrOptions } : filePathOrOptions
  const bad = checkPath('getSavedFileInfo', options, 'filePath')
  if (bad) return Promise.reject(bad)
  const owner = ownerOf('getSavedFileList')
  if (!owner) return invoke('getSavedFileInfo', options) as Promise<SavedFileInfoResult>
  const filePath = options.filePath
  return (invoke('getSavedFileList', {}, owner) as Promise<SavedFileListResult>).then(
    (result) => {
      const list = result.fileList || []
      for (let i = 0; i < list.length; i++) {
        if (list[i].filePath === filePath) {
          return {
            size: list[i].size,
            createTime: list[i].createTime,
            errMsg: 'getSavedFileInfo:ok',
          }
        }
      }
      throw new WxError(
        { api: 'getSavedFileInfo', errMsg: 'getSavedFileInfo:fail file not exist' },
        filePath,
      )
    },
    (error: WxError) => {
      const at = error.errMsg.indexOf(':fail')
      const reason = at < 0 ? error.errMsg : error.errMsg.slice(at + 6)
      throw new WxError(
        { api: 'getSavedFileInfo', errMsg: 'getSavedFileInfo:fail ' + reason, cause: error },
        filePath,
      )
    },
  )
}

/**
 * Deletes a saved file (`FileSystemManager.removeSavedFile`, else the deprecated
 * `wx.removeSavedFile`). Accepts the saved path or wx's options.
 */
export function removeSavedFile(
  filePathOrOptions: string | WechatMiniprogram.RemoveSavedFileOption,
): Promise<WechatMiniprogram.GeneralCallbackResult> {
  const options =
    typeof filePathOrOptions === 'string' ? { filePath: filePathOrOptions } : filePathOrOptions
  const bad = checkPath('removeSavedFile', options, 'filePath')
  if (bad) return Promise.reject(bad)
  return invoke(
    'removeSavedFile',
    options,
    ownerOf('removeSavedFile'),
  ) as Promise<WechatMiniprogram.GeneralCallbackResult>
}
