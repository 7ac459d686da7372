import { WxError } from '../core/errors'

/**
 * A `WxError` (or the subclass `Type`) of `api` whose errMsg is `"<api>:fail <reason>"`, with
 * an optional detail for the message and the error or result that caused it.
 */
export function failure(
  api: string,
  reason: string,
  detail?: string,
  cause?: unknown,
  Type: typeof WxError = WxError,
): WxError {
  return new Type({ api, errMsg: api + ':fail ' + reason, cause }, detail)
}
