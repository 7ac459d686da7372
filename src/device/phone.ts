import { ruleError } from '../core/check'
import { isPlainObject } from '../core/guards'
import { invoke } from '../core/promisify'

/** Options of `makePhoneCall`: wx's own, with `phoneNumber` required. */
export type MakePhoneCallOptions = WechatMiniprogram.MakePhoneCallOption

// Digits with the usual separators, an optional leading + (after blanks), and the
// dial-string extras (`,` `;` pause/wait, `*` `#`). At least one digit (the lookahead).
const PHONE_NUMBER = /^\s*\+?(?=\D*\d)[\d\s().,;*#-]*$/
const PHONE_NUMBER_RULE = {
  type: 'custom',
  required: true,
  test: (value: unknown) => typeof value === 'string' && PHONE_NUMBER.test(value),
  expected: 'a non-empty phone number',
} as const

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
  // Anything but an options object is taken as the number, so one check covers both forms.
  const options = (
    isPlainObject(phoneNumberOrOptions)
      ? phoneNumberOrOptions
      : { phoneNumber: phoneNumberOrOptions }
  ) as MakePhoneCallOptions
  const invalid = ruleError('makePhoneCall', 'phoneNumber', options.phoneNumber, PHONE_NUMBER_RULE)
  if (invalid) return Promise.reject(invalid)
  return invoke('makePhoneCall', options) as Promise<WechatMiniprogram.GeneralCallbackResult>
}
