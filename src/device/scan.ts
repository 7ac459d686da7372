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
  if (options !== undefined && !isPlainObject(options)) {
    return Promise.reject(argumentError('scanCode', 'options', 'an object', options))
  }
  const o = (options || {}) as ScanCodeOptions
  if (o.onlyFromCamera !== undefined && typeof o.onlyFromCamera !== 'boolean') {
    return Promise.reject(
      argumentError('scanCode', 'options.onlyFromCamera', 'a boolean', o.onlyFromCamera),
    )
  }
  const scanType: unknown = o.scanType
  if (
    scanType !== undefined &&
    (!Array.isArray(scanType) ||
      scanType.length === 0 ||
      scanType.some((t) => SCAN_TYPES.indexOf(t as string) < 0))
  ) {
    return Promise.reject(
      argumentError(
        'scanCode',
        'options.scanType',
        'a non-empty array of ' + SCAN_TYPES.join(', '),
        scanType,
      ),
    )
  }
  return invoke('scanCode', o) as Promise<ScanCodeResult>
}
