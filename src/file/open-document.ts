import { invoke } from '../core/promisify'
import { callWithPath } from './path-options'

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
  return callWithPath(
    'openDocument',
    filePathOrOptions,
    'filePath',
    { fileType: { type: 'oneOf', values: FILE_TYPES } },
    (options) => invoke('openDocument', options),
  )
}
