import { optionsError } from '../core/check'
import { invoke } from '../core/promisify'

/** Options of `scanCode`: wx's own. */
export type ScanCodeOptions = WechatMiniprogram.ScanCodeOption

/** What `scanCode` resolves with: the code's text, type, charset, raw bytes (base64) and path. */
export type ScanCodeResult = WechatMiniprogram.ScanCodeSuccessCallbackResult

const SCAN_TYPES = ['barCode', 'qrCode', 'wxCode', 'datamatrix', 'pdf417']
const RULES = {
  onlyFromCamera: { type: 'boolean' },
  scanType: { type: 'array', nonEmpty: true, items: { type: 'oneOf', values: SCAN_TYPES } },
} as const

/**
 * Opens the code scanner (`wx.scanCode`) and resolves with what was scanned. A user who
 * closes the scanner rejects the promise with `WxError('scanCode:fail cancel')`.
 *
 * Bad options reject (never throw) with a `TypeError` naming `scanCode` and the field:
 * `onlyFromCamera` must be a boolean, `scanType` a non-empty array of `'barCode'`,
 * `'qrCode'`, `'wxCode'`, `'datamatrix'`, `'pdf417'`.
 *
 * @example
 * const { result, scanType } = await scanCode({ scanType: ['qrCode'] })
 */
export function scanCode(options?: ScanCodeOptions): Promise<ScanCodeResult> {
  const invalid = optionsError('scanCode', options, RULES, { optional: true })
  if (invalid) return Promise.reject(invalid)
  return invoke('scanCode', options || {}) as Promise<ScanCodeResult>
}
