import { argumentError, isPlainObject } from '../core/describe'
import { invoke } from '../core/promisify'

/** Options of `makePhoneCall`: wx's own, with `phoneNumber` required. */
export type MakePhoneCallOptions = WechatMiniprogram.MakePhoneCallOption

// Digits with the usual separators, an optional leading +, and the dial-string extras
// (`,` `;` pause/wait, `*` `#`). At least one digit.
const PHONE_NUMBER = /^\+?[\d\s\-().,;*#]*\d[\d\s\-().,;*#]*$/

/**
 * Opens the system dialler with `phoneNumber` (`wx.makePhoneCall`). Resolves when the dialler
 * was shown; the user may still not call.
 *
 * Accepts the number itself or wx's options object. Bad input rejects (never throws) with a
 * `TypeError` naming `makePhoneCall` and `phoneNumber`: an empty or blank number, or one with
 * characters other than digits, spaces, `+ - ( ) . , ; * #`.
 *
 * @example
 * await makePhoneCall('+86 10 8888 8888')
 */
export function makePhoneCall(
  phoneNumberOrOptions: string | MakePhoneCallOptions,
): Promise<WechatMiniprogram.GeneralCallbackResult> {
  const isString = typeof phoneNumberOrOptions === 'string'
  if (!isString && !isPlainObject(phoneNumberOrOptions)) {
    return Promise.reject(
      argumentError(
        'makePhoneCall',
        'phoneNumber',
        'a phone number string or { phoneNumber }',
        phoneNumberOrOptions,
      ),
    )
  }
  const options = (
    isString ? { phoneNumber: phoneNumberOrOptions } : phoneNumberOrOptions
  ) as MakePhoneCallOptions
  const phoneNumber: unknown = options.phoneNumber
  if (typeof phoneNumber !== 'string' || !PHONE_NUMBER.test(phoneNumber.trim())) {
    return Promise.reject(
      argumentError(
        'makePhoneCall',
        'phoneNumber',
        'a non-empty phone number (digits, spaces, + - ( ) . , ; * #)',
        phoneNumber,
      ),
    )
  }
  return invoke('makePhoneCall', options) as Promise<WechatMiniprogram.GeneralCallbackResult>
}
