import { argumentError, isPlainObject } from '../core/describe'
import { invoke } from '../core/promisify'

/** Options of `openDocument`: wx's own (`filePath`, `fileType`, `showMenu`). */
export type OpenDocumentOptions = WechatMiniprogram.OpenDocumentOption

const FILE_TYPES = ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf']

/**
 * Opens a local document (from `downloadFile` or a saved file) in WeChat's viewer
 * (`wx.openDocument`). Accepts the path or wx's options.
 *
 * Rejects with a `TypeError` naming `openDocument` and the field for a missing `filePath` or
 * a `fileType` other than `doc`, `docx`, `xls`, `xlsx`, `ppt`, `pptx`, `pdf`; with
 * `WxError` when wx cannot open it.
 *
 * @example
 * const { tempFilePath } = await wxp.downloadFile({ url })
 * await openDocument({ filePath: tempFilePath, fileType: 'pdf', showMenu: true })
 */
export function openDocument(
  filePathOrOptions: string | OpenDocumentOptions,
): Promise<WechatMiniprogram.GeneralCallbackResult> {
  const options =
    typeof filePathOrOptions === 'string' ? { filePath: filePathOrOptions } : filePathOrOptions
  if (!isPlainObject(options)) {
    return Promise.reject(argumentError('openDocument', 'options', 'an object', options))
  }
  if (typeof options.filePath !== 'string' || options.filePath === '') {
    return Promise.reject(
      argumentError('openDocument', 'options.filePath', 'a non-empty file path', options.filePath),
    )
  }
  if (options.fileType !== undefined && FILE_TYPES.indexOf(options.fileType) < 0) {
    return Promise.reject(
      argumentError(
        'openDocument',
        'options.fileType',
        'one of ' + FILE_TYPES.join(', '),
        options.fileType,
      ),
    )
  }
  return invoke('openDocument', options) as Promise<WechatMiniprogram.GeneralCallbackResult>
}
