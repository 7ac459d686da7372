import { argumentError, isPlainObject } from '../core/describe'
import { invoke } from '../core/promisify'

/** Options of `scanCode`: wx's own. */
export type ScanCodeOptions = WechatMiniprogram.ScanCodeOption

/** What `scanCode` resolves with: the code's text, type, charset, raw bytes (base64) and path. */
export type ScanCodeResult = WechatMiniprogram.ScanCodeSuccessCallbackResult

const SCAN_TYPES = ['barCode', 'qrCode', 'wxCode', 'datamatrix', 'pdf417']

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
  const o = options === undefined ? {} : options
  const fail = (field: string, expected: string, value: unknown) =>
    Promise.reject(argumentError('scanCode', field, expected, value))
  if (!isPlainObject(o)) return fail('options', 'an object', o)
  const camera = o.onlyFromCamera
  if (camera !== undefined && typeof camera !== 'boolean') {
    return fail('options.onlyFromCamera', 'a boolean', camera)
  }
  const types = o.scanType
  if (
    types !== undefined &&
    !(Array.isArray(types) && types.length && types.every((t) => SCAN_TYPES.indexOf(t) >= 0))
  ) {
    return fail('options.scanType', 'a non-empty array of ' + SCAN_TYPES, types)
  }
  return invoke('scanCode', o) as Promise<ScanCodeResult>
}
