// ensureScope: makes sure the user granted a permission scope, asking, explaining and
// offering the settings page as WeChat requires. Used by media (saving to the album) and
// device code alike; no domain imports another for it.
import { optionsError, ruleError, type CustomRule } from '../core/check'
import type { WxError } from '../core/errors'
import { invoke } from '../core/promisify'
import {
  PermissionDeniedError,
  type AuthScope,
  type PermissionDeniedStage,
} from './permission-denied-error'

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
const BUTTON = {
  type: 'custom',
  test: (value: unknown) => typeof value === 'string' && value.length <= 4,
  expected: 'a string of at most 4 characters',
} as const
const OPTIONS = {
  explain: { type: 'boolean' },
  title: { type: 'string' },
  content: { type: 'string' },
  confirmText: BUTTON,
  cancelText: BUTTON,
} as const

const SCOPE_RULE: CustomRule = {
  type: 'custom',
  required: true,
  test: (value) => typeof value === 'string' && /^scope\.[A-Za-z]+$/.test(value),
  expected: "a scope such as 'scope.record'",
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
    ruleError(api, 'scope', scope, SCOPE_RULE) ||
    optionsError(api, options, OPTIONS, { optional: true })
  if (invalid) return Promise.reject(invalid)
  let flow = inFlight[scope]
  if (!flow) {
    const clear = () => {
      if (inFlight[scope] === flow) inFlight[scope] = undefined
    }
    flow = inFlight[scope] = askForScope(scope, options || {})
    flow.then(clear, clear)
  }
  return flow
}

function askForScope(scope: AuthScope, options: EnsureScopeOptions): Promise<void> {
  const denied = (stage: PermissionDeniedStage, api?: string, reason?: string) =>
    new PermissionDeniedError(
      scope,
      stage,
      api ? { api, errMsg: api + ':fail ' + reason } : undefined,
    )
  const granted = (setting: unknown) => {
    const authSetting = (setting as { authSetting?: Record<string, boolean | undefined> })
      .authSetting
    return authSetting && authSetting[scope]
  }
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
      if (options.explain === false) throw denied('authorize')
      const modal: Record<string, string> = {
        title: '需要你的授权',
        content: '请在设置中允许使用「' + (LABELS[scope.slice(6)] || scope) + '」',
        confirmText: '去设置',
        cancelText: '取消',
      }
      for (const key in modal) {
        const text = options[key as 'title']
        if (text !== undefined) modal[key] = text
      }
      return invoke('showModal', modal).then((answer) => {
        if (!(answer as { confirm?: boolean }).confirm) throw denied('modal', 'showModal', 'cancel')
        return invoke('openSetting').then((setting) => {
          if (granted(setting) !== true) throw denied('setting', 'openSetting', 'auth deny')
        })
      })
    })
}
