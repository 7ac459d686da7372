// The device the host pretends to be: one flat profile behind getSystemInfo, getWindowInfo,
// getDeviceInfo, getAppBaseInfo, getSystemSetting and getAppAuthorizeSetting.
import type { SystemAuthorization } from './auth'

/** The device and WeChat the host pretends to be; every field of the info APIs. */
export interface DeviceProfile {
  brand: string
  model: string
  system: string
  platform: string
  /** WeChat's version. */
  version: string
  SDKVersion: string
  language: string
  fontSizeSetting: number
  fontSizeScaleFactor: number
  pixelRatio: number
  screenWidth: number
  screenHeight: number
  windowWidth: number
  windowHeight: number
  statusBarHeight: number
  screenTop: number
  safeArea: WechatMiniprogram.SafeArea
  benchmarkLevel: number
  abi: string
  deviceAbi: string
  cpuType: string
  memorySize: string
  theme: 'light' | 'dark'
  enableDebug: boolean
  deviceOrientation: 'portrait' | 'landscape'
  bluetoothEnabled: boolean
  locationEnabled: boolean
  wifiEnabled: boolean
  albumAuthorized: SystemAuthorization
  bluetoothAuthorized: SystemAuthorization
  cameraAuthorized: SystemAuthorization
  locationAuthorized: SystemAuthorization
  locationReducedAccuracy: boolean
  microphoneAuthorized: SystemAuthorization
  notificationAuthorized: SystemAuthorization
  notificationAlertAuthorized: SystemAuthorization
  notificationBadgeAuthorized: SystemAuthorization
  notificationSoundAuthorized: SystemAuthorization
  phoneCalendarAuthorized: SystemAuthorization
}

/** The default profile: an iPhone 13 Pro on a recent WeChat, Chinese locale. */
export const DEFAULT_DEVICE_PROFILE: Readonly<DeviceProfile> = Object.freeze({
  brand: 'iPhone',
  model: 'iPhone 13 Pro<iPhone14,2>',
  system: 'iOS 17.0',
  platform: 'ios',
  version: '8.0.47',
  SDKVersion: '3.4.10',
  language: 'zh_CN',
  fontSizeSetting: 17,
  fontSizeScaleFactor: 1,
  pixelRatio: 3,
  screenWidth: 390,
  screenHeight: 844,
  windowWidth: 390,
  windowHeight: 753,
  statusBarHeight: 47,
  screenTop: 91,
  safeArea: { left: 0, right: 390, top: 47, bottom: 810, width: 390, height: 763 },
  benchmarkLevel: -1,
  abi: 'arm64',
  deviceAbi: 'arm64',
  cpuType: 'unknown',
  memorySize: '6144',
  theme: 'light',
  enableDebug: false,
  deviceOrientation: 'portrait',
  bluetoothEnabled: true,
  locationEnabled: true,
  wifiEnabled: true,
  albumAuthorized: 'authorized',
  bluetoothAuthorized: 'authorized',
  cameraAuthorized: 'authorized',
  locationAuthorized: 'authorized',
  locationReducedAccuracy: false,
  microphoneAuthorized: 'authorized',
  notificationAuthorized: 'authorized',
  notificationAlertAuthorized: 'authorized',
  notificationBadgeAuthorized: 'authorized',
  notificationSoundAuthorized: 'authorized',
  phoneCalendarAuthorized: 'authorized',
})

/** The WeChat OS-permission switches of `getAppAuthorizeSetting`. */
export const APP_AUTHORIZE_KEYS = [
  'albumAuthorized',
  'bluetoothAuthorized',
  'cameraAuthorized',
  'locationAuthorized',
  'microphoneAuthorized',
  'notificationAuthorized',
  'notificationAlertAuthorized',
  'notificationBadgeAuthorized',
  'notificationSoundAuthorized',
  'phoneCalendarAuthorized',
] as const
