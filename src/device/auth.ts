import { BOOLEAN, TEXT, isString, objectError, type Rule } from '../core/check-legacy'
import { argumentError } from '../core/describe'
import { WxError } from '../core/errors'
import type { WxErrorInit } from '../core/errors'
import { invoke } from '../core/promisify'

/** A permission scope of `wx.authorize`: `'scope.writePhotosAlbum'`, `'scope.record'`, ... */
export type AuthScope = keyof WechatMiniprogram.AuthSetting

/** Where the user said no: the system prompt, the explaining modal, or the settings page. */
export type PermissionDeniedStage = 'authorize' | 'modal' | 'setting'

/** Options of `ensureScope`: the modal shown when the user refused the scope earlier. */
export interface EnsureScopeOptions {
  /**
   * Explain and offer the settings page when the user refused earlier; with `false`, reject
   * at once instead.
   * @default true
   */
  explain?: boolean
  /** The modal's title. @default '需要你的授权' */
  title?: string
  /** The modal's text. @default '请在设置中允许使用「<what the scope covers>」' */
  content?: string
  /** The confirm button, at most 4 characters. @default '去设置' */
  confirmText?: string
  /** The cancel button, at most 4 characters. @default '取消' */
  cancelText?: string
}

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
      { api: 'authorize', errMsg: 'authorize:fail auth deny', ...init },
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

// What each scope covers, for the modal's default text (keys without `scope.`).
const LABELS: Record<string, string> = {
  writePhotosAlbum: '保存到相册',
  record: '麦克风',
  camera: '摄像头',
  userLocation: '位置信息',
  userFuzzyLocation: '模糊位置信息',
  bluetooth: '蓝牙',
  werun: '微信运动步数',
  addPhoneContact: '添加到联系人',
  addPhoneCalendar: '添加到日历',
}

// How clients word a refusal: "auth deny", "auth denied", "auth canceled", a system or privacy
// permission that is off. Other failures (an invalid scope) are passed on as they are.
const DENIAL = /den(y|ied)|cancel|refuse|privacy|permission/i

// WeChat cuts a modal button's text after 4 characters.
const BUTTON: Rule = [(v) => isString(v) && v.length <= 4, 'a string of at most 4 characters']
const OPTIONS = {
  explain: BOOLEAN,
  title: TEXT,
  content: TEXT,
  confirmText: BUTTON,
  cancelText: BUTTON,
}

// Two calls for one scope share the flow, so the user never sees two modals at once.
const inFlight: Record<string, Promise<void> | undefined> = {}

/**
 * Makes sure the user granted `scope`: `wx.getSetting` first; if not granted, `wx.authorize`
 * (the system prompt); if the user had refused earlier (the prompt no longer shows), a
 * `wx.showModal` explaining why, then `wx.openSetting` on confirm. Resolves once granted;
 * rejects with `PermissionDeniedError` when the user still says no, with `TypeError` for bad
 * input, and with the `WxError` of a failing call. `openSetting` is called from the modal's
 * confirm tap, which counts as the user gesture it requires (base library 2.3.0+).
 *
 * @example
 * try { await ensureScope('scope.record'); startRecording() }
 * catch (e) { if (isPermissionDeniedError(e)) showHint(e.scope) }
 */
export function ensureScope<S extends AuthScope>(
  scope: S,
  options?: EnsureScopeOptions,
): Promise<void> {
  const api = 'ensureScope'
  const invalid =
    typeof scope !== 'string' || !/^scope\.[A-Za-z]+$/.test(scope)
      ? argumentError(api, 'scope', "a scope such as 'scope.record'", scope)
      : objectError(api, options, OPTIONS)
  if (invalid) return Promise.reject(invalid)
  let flow = inFlight[scope]
  if (!flow) {
    const clear = () => {
      if (inFlight[scope] === flow) inFlight[scope] = undefined
    }
    flow = inFlight[scope] = run(scope, options || {})
    flow.then(clear, clear)
  }
  return flow
}

function run(scope: AuthScope, o: EnsureScopeOptions): Promise<void> {
  const denied = (stage: PermissionDeniedStage, api?: string, reason?: string) =>
    new PermissionDeniedError(
      scope,
      stage,
      api ? { api, errMsg: api + ':fail ' + reason } : undefined,
    )
  const granted = (setting: any) => setting.authSetting && setting.authSetting[scope]
  return invoke('getSetting')
    .then((setting) => {
      const answer = granted(setting)
      return (
        answer ||
        invoke('authorize', { scope }).then(
          () => true,
          (error: WxError) => {
            // The system no longer asks a user who refused before: explain instead.
            if (answer === false) return false
            throw DENIAL.test(error.errMsg)
              ? new PermissionDeniedError(scope, 'authorize', error)
              : error
          },
        )
      )
    })
    .then((ok) => {
      if (ok) return
      if (o.explain === false) throw denied('authorize')
      const modal: Record<string, string> = {
        title: '需要你的授权',
        content: '请在设置中允许使用「' + (LABELS[scope.slice(6)] || scope) + '」',
        confirmText: '去设置',
        cancelText: '取消',
      }
      for (const key in modal) {
        const text = o[key as 'title']
        if (text !== undefined) modal[key] = text
      }
      return invoke('showModal', modal).then((answer: any) => {
        if (!answer.confirm) throw denied('modal', 'showModal', 'cancel')
        return invoke('openSetting').then((setting) => {
          if (granted(setting) !== true) throw denied('setting', 'openSetting', 'auth deny')
        })
      })
    })
}
