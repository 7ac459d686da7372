import { isWxError, WxError } from '../core/errors'

/**
 * The token refresh that a call was waiting for failed, so the call was not sent again. Every
 * call waiting for that refresh rejects with this one error (code `ERR_AUTH_REFRESH`); what
 * `refresh()` threw or rejected with is its `cause`. Nothing retries by itself: the next call
 * that needs a refresh starts a new one.
 *
 * @example
 * try { await api.request({ url: '/me' }) }
 * catch (e) { if (isAuthRefreshError(e)) wx.reLaunch({ url: '/pages/login/login' }) }
 */
export class AuthRefreshError extends WxError {
  constructor(cause: unknown) {
    super(
      {
        api: 'withAuth',
        errMsg: 'withAuth:fail token refresh failed',
        cause,
        code: 'ERR_AUTH_REFRESH',
      },
      cause instanceof Error ? cause.message : undefined,
    )
    this.name = 'AuthRefreshError'
  }
}

/** True for an `AuthRefreshError`, from this or another copy of the package. */
export function isAuthRefreshError(error: unknown): error is AuthRefreshError {
  return isWxError(error) && error.name === 'AuthRefreshError'
}
