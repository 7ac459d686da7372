import { argumentError, isPlainObject } from '../core/describe'
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
      {
        api: (init && init.api) || 'authorize',
        errMsg: (init && init.errMsg) || 'authorize:fail auth deny',
        errno: init && init.errno,
        cause: init && init.cause,
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

const LABELS: Record<string, string> = {
  'scope.writePhotosAlbum': '保存到相册',
  'scope.record': '麦克风',
  'scope.camera': '摄像头',
  'scope.userLocation': '位置信息',
  'scope.userFuzzyLocation': '模糊位置信息',
  'scope.bluetooth': '蓝牙',
  'scope.werun': '微信运动步数',
  'scope.addPhoneContact': '添加到联系人',
  'scope.addPhoneCalendar': '添加到日历',
}

// How clients word a refusal: "auth deny", "auth denied", "auth canceled", a system or privacy
// permission that is off. Other failures (an invalid scope) are passed on as they are.
const DENIAL = /den(y|ied)|cancel|refuse|privacy|permission/i

type Setting = { authSetting?: Record<string, boolean | undefined> }

function checkOptions(api: string, options: unknown): TypeError | null {
  if (options === undefined) return null
  if (!isPlainObject(options)) return argumentError(api, 'options', 'an object', options)
  const o = options as EnsureScopeOptions
  if (o.explain !== undefined && typeof o.explain !== 'boolean') {
    return argumentError(api, 'options.explain', 'a boolean', o.explain)
  }
  const texts: [keyof EnsureScopeOptions, number][] = [
    ['title', Infinity],
    ['content', Infinity],
    ['confirmText', 4],
    ['cancelText', 4],
  ]
  for (let i = 0; i < texts.length; i++) {
    const field = texts[i][0]
    const max = texts[i][1]
    const v = o[field]
    if (v !== undefined && (typeof v !== 'string' || v.length > max)) {
      const expected = max === Infinity ? 'a string' : 'a string of at most ' + max + ' characters'
      return argumentError(api, 'options.' + field, expected, v)
    }
  }
  return null
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
  if (typeof scope !== 'string' || !/^scope\.[A-Za-z]+$/.test(scope)) {
    return Promise.reject(argumentError(api, 'scope', "a scope such as 'scope.record'", scope))
  }
  const invalid = checkOptions(api, options)
  if (invalid) return Promise.reject(invalid)
  const running = inFlight[scope]
  if (running) return running
  const flow = run(scope, options || {})
  const clear = () => {
    if (inFlight[scope] === flow) inFlight[scope] = undefined
  }
  inFlight[scope] = flow
  flow.then(clear, clear)
  return flow
}

function run<S extends AuthScope>(scope: S, o: EnsureScopeOptions): Promise<void> {
  let refusedBefore = false
  return (invoke('getSetting') as Promise<Setting>)
    .then((setting) => {
      const granted = setting.authSetting ? setting.authSetting[scope] : undefined
      if (granted === true) return true
      refusedBefore = granted === false
      return (invoke('authorize', { scope }) as Promise<unknown>).then(
        () => true,
        (error: WxError) => {
          if (refusedBefore) return false
          throw DENIAL.test(error.errMsg)
            ? new PermissionDeniedError(scope, 'authorize', error)
            : error
        },
      )
    })
    .then((granted) => {
      if (granted) return undefined
      if (o.explain === false) throw new PermissionDeniedError(scope, 'authorize')
      const modal = {
        title: o.title !== undefined ? o.title : '需要你的授权',
        content:
          o.content !== undefined
            ? o.content
            : '请在设置中允许使用「' + (LABELS[scope] || scope) + '」',
        confirmText: o.confirmText !== undefined ? o.confirmText : '去设置',
        cancelText: o.cancelText !== undefined ? o.cancelText : '取消',
        showCancel: true,
      }
      return (invoke('showModal', modal) as Promise<{ confirm?: boolean }>).then((answer) => {
        if (!answer.confirm) {
          throw new PermissionDeniedError(scope, 'modal', {
            api: 'showModal',
            errMsg: 'showModal:fail cancel',
          })
        }
        return (invoke('openSetting') as Promise<Setting>).then((setting) => {
          if (!setting.authSetting || setting.authSetting[scope] !== true) {
            throw new PermissionDeniedError(scope, 'setting', {
              api: 'openSetting',
              errMsg: 'openSetting:fail auth deny',
            })
          }
          return undefined
        })
      })
    })
}
