// The error of a permission the user refused, shared by every domain that asks for one.
import { WxError } from '../core/errors'
import type { WxErrorInit } from '../core/errors'

/** A permission scope of `wx.authorize`: `'scope.writePhotosAlbum'`, `'scope.record'`, ... */
export type AuthScope = keyof WechatMiniprogram.AuthSetting

/** Where the user said no: the system prompt, the explaining modal, or the settings page. */
export type PermissionDeniedStage = 'authorize' | 'modal' | 'setting'

/**
 * The user refused a permission scope (and, if they had refused before, did not turn it on
 * in the settings page). `scope` names it; `stage` says where they said no.
 */
export class PermissionDeniedError<S extends AuthScope = AuthScope> extends WxError {
  /** The refused scope. */
  readonly scope: S
  /** Where the user said no. */
  readonly stage: PermissionDeniedStage

  constructor(scope: S, stage: PermissionDeniedStage, init?: Partial<WxErrorInit>) {
    super(
      {
        api: 'authorize',
        errMsg: 'authorize:fail auth deny',
        ...init,
        code: 'ERR_PERMISSION_DENIED',
      },
      scope + ' refused at ' + stage,
    )
    this.name = 'PermissionDeniedError'
    this.scope = scope
    this.stage = stage
  }
}

/** True for a `PermissionDeniedError`, from this or another copy of the package. */
export function isPermissionDeniedError(error: unknown): error is PermissionDeniedError {
  if (error instanceof PermissionDeniedError) return true
  const e = error as { name?: unknown; scope?: unknown } | null
  return (
    error instanceof Error && e!.name === 'PermissionDeniedError' && typeof e!.scope === 'string'
  )
}
