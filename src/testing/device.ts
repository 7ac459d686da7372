// The device of the host: system/window/device/app info from a configurable profile (an
// iPhone 13 Pro by default), canIUse (true for what the host implements), makePhoneCall
// (recorded), scanCode (scripted), getSetting/authorize/openSetting over the user's scripted
// decisions (auth.ts, shared with media and location), and the UI calls of ui.ts.
import { authOf, type SystemAuthorization } from './auth'
import { HostFail, type HostContext } from './context'
import { APP_AUTHORIZE_KEYS, DEFAULT_DEVICE_PROFILE, type DeviceProfile } from './device-profile'
import { requireString } from './params'
import { installUi, type UiHostControls, type UiHostOptions } from './ui'

export { DEFAULT_DEVICE_PROFILE, type DeviceProfile }

/** Options of the device part of the host. */
export interface DeviceHostOptions extends UiHostOptions {
  /** Fields that differ from the default iPhone profile. */
  profile?: Partial<DeviceProfile>
  /** Scopes decided before the test starts (`{ 'scope.userLocation': false }`). */
  auth?: Record<string, boolean>
  /** How the user answers an authorization dialog nobody scripted. @default true */
  authorizeAnswer?: boolean
  /** canIUse answers that override the host's own (components, `button.open-type.x`, ...). */
  canIUse?: Record<string, boolean>
}

/** A scanCode answer: the text read, or the whole result. */
export type ScanAnswer = string | Partial<WechatMiniprogram.ScanCodeSuccessCallbackResult>

/** Test controls of the device part of the host. */
export interface DeviceHostControls extends UiHostControls {
  /** The profile now. */
  profile(): DeviceProfile
  /** Changes profile fields (the next info calls see them). */
  setProfile(changes: Partial<DeviceProfile>): void
  /** Sets a scope as allowed (true), refused (false) or never asked (undefined). */
  setAuth(scope: string, value: boolean | undefined): void
  /** The user's decisions, as getSetting reports them. */
  authSetting(): Record<string, boolean>
  /** Scripts the answer to the next authorization dialog. */
  answerNextAuthorize(granted: boolean): void
  /** Scripts what the user toggles in the next openSetting (only scopes asked before show). */
  answerOpenSetting(changes: Record<string, boolean>): void
  /** Every authorization dialog shown, in order. */
  prompts(): Array<{ scope: string; api: string; granted: boolean }>
  /** Queues the next scanCode result. */
  scanResult(answer: ScanAnswer): void
  /** The next scanCode fails `scanCode:fail cancel`. */
  cancelNextScan(): void
  /** The user cancels the next makePhoneCall dialog (`makePhoneCall:fail cancel`). */
  cancelNextCall(): void
  /** Every makePhoneCall that reached the dialog, in order. */
  phoneCalls(): Array<{ phoneNumber: string; answer: 'call' | 'cancel' }>
}

/** Adds the device members to `ctx.wx`. Install it after the other parts (canIUse reads them). */
export function installDevice(ctx: HostContext, options: DeviceHostOptions): DeviceHostControls {
  const auth = authOf(ctx)
  const profile: DeviceProfile = { ...DEFAULT_DEVICE_PROFILE, ...options.profile }
  const syncSystem = () => {
    const system: Record<string, SystemAuthorization | boolean> = {
      locationEnabled: profile.locationEnabled,
    }
    for (const key of APP_AUTHORIZE_KEYS) system[key] = profile[key]
    auth.system = system
  }
  syncSystem()
  for (const [scope, value] of Object.entries(options.auth ?? {})) auth.set(scope, value)
  if (options.authorizeAnswer !== undefined) auth.defaultAnswer = options.authorizeAnswer
  const settingAnswers: Array<Record<string, boolean>> = []
  const scans: Array<ScanAnswer | 'cancel'> = []
  const callAnswers: Array<'call' | 'cancel'> = []
  const phoneCalls: Array<{ phoneNumber: string; answer: 'call' | 'cancel' }> = []

  // ---- info ------------------------------------------------------------------------------
  const windowInfo = () => ({
    pixelRatio: profile.pixelRatio,
    screenWidth: profile.screenWidth,
    screenHeight: profile.screenHeight,
    windowWidth: profile.windowWidth,
    windowHeight: profile.windowHeight,
    statusBarHeight: profile.statusBarHeight,
    screenTop: profile.screenTop,
    safeArea: { ...profile.safeArea },
  })
  const deviceInfo = () => ({
    abi: profile.abi,
    deviceAbi: profile.deviceAbi,
    benchmarkLevel: profile.benchmarkLevel,
    brand: profile.brand,
    model: profile.model,
    system: profile.system,
    platform: profile.platform,
    cpuType: profile.cpuType,
    memorySize: profile.memorySize,
  })
  const appBaseInfo = () => ({
    SDKVersion: profile.SDKVersion,
    enableDebug: profile.enableDebug,
    host: { appId: '' },
    language: profile.language,
    version: profile.version,
    theme: profile.theme,
    fontSizeSetting: profile.fontSizeSetting,
    fontSizeScaleFactor: profile.fontSizeScaleFactor,
  })
  const systemSetting = () => ({
    bluetoothEnabled: profile.bluetoothEnabled,
    locationEnabled: profile.locationEnabled,
    wifiEnabled: profile.wifiEnabled,
    deviceOrientation: profile.deviceOrientation,
  })
  const appAuthorizeSetting = () => {
    const out: Record<string, unknown> = {
      locationReducedAccuracy: profile.locationReducedAccuracy,
    }
    for (const key of APP_AUTHORIZE_KEYS) out[key] = profile[key]
    return out
  }
  const systemInfo = () => {
    const out: Record<string, unknown> = {
      ...deviceInfo(),
      ...windowInfo(),
      ...appBaseInfo(),
      ...systemSetting(),
      locationReducedAccuracy: profile.locationReducedAccuracy,
    }
    // getSystemInfo reports the OS switches as booleans.
    for (const key of APP_AUTHORIZE_KEYS) out[key] = profile[key] === 'authorized'
    return out
  }
  const sync = (name: string, fn: (...args: any[]) => unknown) => {
    ctx.wx[name] = (...args: unknown[]) => {
      ctx.log(name, args)
      if (ctx.closed) throw new Error(name + ':fail host closed')
      return fn(...args)
    }
  }
  sync('getSystemInfoSync', systemInfo)
  sync('getWindowInfo', windowInfo)
  sync('getDeviceInfo', deviceInfo)
  sync('getAppBaseInfo', appBaseInfo)
  sync('getSystemSetting', systemSetting)
  sync('getAppAuthorizeSetting', appAuthorizeSetting)
  ctx.defineAsync('getSystemInfo', (_o, settle) => settle.ok(systemInfo()))
  ctx.defineAsync('getSystemInfoAsync', (_o, settle) => settle.ok(systemInfo()))

  // ---- phone and scan --------------------------------------------------------------------
  ctx.defineAsync('makePhoneCall', (o, settle) => {
    const phoneNumber = requireString(o, 'phoneNumber')
    if (phoneNumber === '') {
      throw new HostFail('parameter error: parameter.phoneNumber should not be empty String;', 1001)
    }
    if (!/[0-9]/.test(phoneNumber) || /[^0-9+\-*#(),;. ]/.test(phoneNumber)) {
      throw new HostFail('invalid phoneNumber ' + JSON.stringify(phoneNumber))
    }
    const answer = callAnswers.shift() ?? 'call'
    phoneCalls.push({ phoneNumber, answer })
    if (answer === 'cancel') throw new HostFail('cancel')
    settle.ok({})
  })
  ctx.defineAsync('scanCode', (_o, settle) => {
    const answer = scans.shift()
    // An unscripted scanner is one the user closed.
    if (answer === undefined || answer === 'cancel') throw new HostFail('cancel')
    const result = typeof answer === 'string' ? { result: answer } : answer
    const text = result.result ?? ''
    settle.ok({
      result: text,
      scanType: result.scanType ?? 'QR_CODE',
      charSet: result.charSet ?? 'UTF-8',
      path: result.path ?? '',
      rawData: result.rawData ?? Buffer.from(text, 'utf8').toString('base64'),
    })
  })

  // ---- settings and authorization --------------------------------------------------------
  ctx.defineAsync('getSetting', (o, settle) => {
    const result: Record<string, unknown> = { authSetting: auth.snapshot() }
    if (o.withSubscriptions === true)
      result.subscriptionsSetting = { mainSwitch: true, itemSettings: {} }
    settle.ok(result)
  })
  ctx.defineAsync('authorize', (o, settle) => {
    const scope = requireString(o, 'scope')
    if (!scope.startsWith('scope.')) throw new HostFail('invalid scope')
    auth.require(scope, 'authorize')
    settle.ok({})
  })
  ctx.defineAsync('openSetting', (o, settle) => {
    const changes = settingAnswers.shift() ?? {}
    // The settings page lists only the scopes the app asked for before.
    for (const [scope, value] of Object.entries(changes)) {
      if (auth.get(scope) !== undefined) auth.set(scope, value)
    }
    const result: Record<string, unknown> = { authSetting: auth.snapshot() }
    if (o.withSubscriptions === true)
      result.subscriptionsSetting = { mainSwitch: true, itemSettings: {} }
    settle.ok(result)
  })

  const ui = installUi(ctx, options)

  // canIUse answers for what exists now: every other part is installed before this one, and
  // what the host only stubs afterwards ("not supported") is left out.
  const implemented = new Set(Object.keys(ctx.wx))
  implemented.add('canIUse')
  sync('canIUse', (schema: unknown) => {
    if (typeof schema !== 'string' || schema === '') return false
    const override = options.canIUse?.[schema]
    if (override !== undefined) return override
    return implemented.has(schema.split('.')[0])
  })

  return {
    ...ui,
    profile: () => ({ ...profile, safeArea: { ...profile.safeArea } }),
    setProfile(changes) {
      Object.assign(profile, changes)
      syncSystem()
    },
    setAuth: (scope, value) => auth.set(scope, value),
    authSetting: () => auth.snapshot(),
    answerNextAuthorize(granted) {
      auth.answers.push(Boolean(granted))
    },
    answerOpenSetting(changes) {
      settingAnswers.push({ ...changes })
    },
    prompts: () => auth.prompts.map((p) => ({ ...p })),
    scanResult(answer) {
      scans.push(answer)
    },
    cancelNextScan() {
      scans.push('cancel')
    },
    cancelNextCall() {
      callAnswers.push('cancel')
    },
    phoneCalls: () => phoneCalls.map((c) => ({ ...c })),
  }
}
