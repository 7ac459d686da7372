// The user's authorization decisions, shared by the parts of the host that need a scope
// (media: scope.record, scope.writePhotosAlbum; location: scope.userLocation; device:
// getSetting/authorize/openSetting). One AuthState per HostContext, made on first use, so
// the parts can be installed in any order.
import { HostFail, type HostContext } from './context'

/** The OS-level switches of WeChat itself (`wx.getAppAuthorizeSetting`). */
export type SystemAuthorization = 'authorized' | 'denied' | 'not determined'

/** One authorization dialog the simulated user answered. */
export interface AuthPrompt {
  /** The scope asked for (`scope.userLocation`). */
  scope: string
  /** The API that asked (`authorize`, `getLocation`, ...). */
  api: string
  /** What the user answered. */
  granted: boolean
}

/** Scopes, scripted answers and the record of prompts of one host. */
export class AuthState {
  /** Decisions so far: true allowed, false refused; absent means never asked. */
  readonly scopes = new Map<string, boolean>()
  /** Answers for the next dialogs, first first. */
  readonly answers: boolean[] = []
  /** The answer when no scripted answer is queued. */
  defaultAnswer = true
  /** Every dialog shown, in order. */
  readonly prompts: AuthPrompt[] = []
  /** WeChat's own OS permissions (`locationAuthorized`, `microphoneAuthorized`, ...). */
  system: Record<string, SystemAuthorization | boolean> = {}

  /** The decision for `scope`: true, false, or undefined when never asked. */
  get(scope: string): boolean | undefined {
    return this.scopes.get(scope)
  }

  /** Sets (true/false) or forgets (undefined) the decision for `scope`. */
  set(scope: string, value: boolean | undefined): void {
    if (value === undefined) this.scopes.delete(scope)
    else this.scopes.set(scope, value)
  }

  /** Shows the authorization dialog for `scope` and records the scripted answer. */
  prompt(scope: string, api: string): boolean {
    const granted = this.answers.length > 0 ? this.answers.shift()! : this.defaultAnswer
    this.prompts.push({ scope, api, granted })
    this.scopes.set(scope, granted)
    return granted
  }

  /**
   * What an API guarded by `scope` does before running, as WeChat does: allowed runs,
   * refused fails `auth deny` without asking again, never asked shows the dialog first.
   * `systemKeys` name the OS switches (`locationAuthorized`, `locationEnabled`) that must
   * not be `denied`/false. Throws `HostFail('auth deny')` or
   * `HostFail('system permission denied')`.
   */
  require(scope: string, api: string, ...systemKeys: string[]): void {
    for (const key of systemKeys) {
      const sys = this.system[key]
      if (sys === 'denied' || sys === false) throw new HostFail('system permission denied')
    }
    const decided = this.scopes.get(scope)
    if (decided === true) return
    if (decided === false) throw new HostFail('auth deny')
    if (!this.prompt(scope, api)) throw new HostFail('auth deny')
  }

  /** The decisions as WeChat's `authSetting` object. */
  snapshot(): Record<string, boolean> {
    const out: Record<string, boolean> = {}
    for (const [scope, value] of this.scopes) out[scope] = value
    return out
  }
}

const states = new WeakMap<HostContext, AuthState>()

/** The AuthState of `ctx`, made on first use. */
export function authOf(ctx: HostContext): AuthState {
  let state = states.get(ctx)
  if (!state) {
    state = new AuthState()
    states.set(ctx, state)
  }
  return state
}
