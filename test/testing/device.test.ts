// The host's device: the profile behind the info APIs, canIUse, makePhoneCall, scanCode,
// getSetting/authorize/openSetting with scripted decisions, and the UI a page shows.
import { closeAndExpectClean, hostOnFakeTimers } from './clean-host'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { DEFAULT_DEVICE_PROFILE } from '../../src/testing/device'
import { encodeJpeg } from '../../src/testing/fixtures'

describe('the wx host: device info and settings', () => {
  let host: WxHost
  let wx: any

  beforeEach(() => {
    host = createWxHost()
    wx = host.wx
  })
  afterEach(async () => {
    await host.close()
    expect(host.listenerCount()).toBe(0)
  })

  it('reports an iPhone-like profile through every info API', async () => {
    const info = wx.getSystemInfoSync()
    expect(info).toMatchObject({
      brand: 'iPhone',
      platform: 'ios',
      screenWidth: 390,
      windowHeight: 753,
      pixelRatio: 3,
      language: 'zh_CN',
      locationAuthorized: true,
      safeArea: { top: 47, bottom: 810 },
    })
    await expect(wx.getSystemInfo()).resolves.toEqual({ ...info, errMsg: 'getSystemInfo:ok' })
    await expect(wx.getSystemInfoAsync()).resolves.toEqual({
      ...info,
      errMsg: 'getSystemInfoAsync:ok',
    })
    expect(wx.getWindowInfo()).toEqual({
      pixelRatio: 3,
      screenWidth: 390,
      screenHeight: 844,
      windowWidth: 390,
      windowHeight: 753,
      statusBarHeight: 47,
      screenTop: 91,
      safeArea: DEFAULT_DEVICE_PROFILE.safeArea,
    })
    expect(wx.getDeviceInfo()).toMatchObject({
      brand: 'iPhone',
      model: 'iPhone 13 Pro<iPhone14,2>',
      system: 'iOS 17.0',
    })
    expect(wx.getAppBaseInfo()).toMatchObject({
      SDKVersion: '3.4.10',
      language: 'zh_CN',
      theme: 'light',
    })
    expect(wx.getSystemSetting()).toEqual({
      bluetoothEnabled: true,
      locationEnabled: true,
      wifiEnabled: true,
      deviceOrientation: 'portrait',
    })
    expect(wx.getAppAuthorizeSetting()).toMatchObject({
      cameraAuthorized: 'authorized',
      locationReducedAccuracy: false,
    })
  })

  it('takes a profile from the options and changes it later', async () => {
    const android = createWxHost({
      device: {
        profile: {
          brand: 'HUAWEI',
          model: 'P40',
          platform: 'android',
          windowWidth: 360,
          cameraAuthorized: 'denied',
        },
      },
    })
    const awx: any = android.wx
    expect(awx.getSystemInfoSync()).toMatchObject({
      brand: 'HUAWEI',
      platform: 'android',
      windowWidth: 360,
      cameraAuthorized: false,
    })
    expect(awx.getAppAuthorizeSetting().cameraAuthorized).toBe('denied')
    android.device.setProfile({ theme: 'dark' })
    expect(awx.getAppBaseInfo().theme).toBe('dark')
    expect(android.device.profile().theme).toBe('dark')
    await android.close()
  })

  it('answers canIUse for what the host implements', () => {
    expect(wx.canIUse('getLocation')).toBe(true)
    expect(wx.canIUse('getLocation.object.type')).toBe(true)
    expect(wx.canIUse('getRecorderManager')).toBe(true)
    expect(wx.canIUse('canIUse')).toBe(true)
    expect(wx.canIUse('openBluetoothAdapter')).toBe(false) // only stubbed: "not supported"
    expect(wx.canIUse('createCameraContext')).toBe(false)
    expect(wx.canIUse('noSuchApi')).toBe(false)
    expect(wx.canIUse(42)).toBe(false)
    const custom = createWxHost({
      device: { canIUse: { 'button.open-type.getPhoneNumber': true, getLocation: false } },
    })
    const cwx: any = custom.wx
    expect(cwx.canIUse('button.open-type.getPhoneNumber')).toBe(true)
    expect(cwx.canIUse('getLocation')).toBe(false)
    return custom.close()
  })

  it('records makePhoneCall and fails an empty, missing or invalid number as WeChat does', async () => {
    await expect(wx.makePhoneCall({ phoneNumber: '+86 10-1234 5678' })).resolves.toEqual({
      errMsg: 'makePhoneCall:ok',
    })
    await expect(wx.makePhoneCall({ phoneNumber: '' })).rejects.toEqual({
      errMsg:
        'makePhoneCall:fail parameter error: parameter.phoneNumber should not be empty String;',
      errno: 1001,
    })
    await expect(wx.makePhoneCall({})).rejects.toEqual({
      errMsg:
        'makePhoneCall:fail parameter error: parameter.phoneNumber should be String instead of Undefined;',
      errno: 1001,
    })
    await expect(wx.makePhoneCall({ phoneNumber: 'call me' })).rejects.toEqual({
      errMsg: 'makePhoneCall:fail invalid phoneNumber "call me"',
    })
    host.device.cancelNextCall()
    await expect(wx.makePhoneCall({ phoneNumber: '10086' })).rejects.toEqual({
      errMsg: 'makePhoneCall:fail cancel',
    })
    expect(host.device.phoneCalls()).toEqual([
      { phoneNumber: '+86 10-1234 5678', answer: 'call' },
      { phoneNumber: '10086', answer: 'cancel' },
    ])
  })

  it('answers scanCode from the script, and fails `scanCode:fail cancel` otherwise', async () => {
    host.device.scanResult('https://x.test/item/1')
    host.device.scanResult({ result: '6901234567892', scanType: 'EAN_13' })
    host.device.cancelNextScan()
    await expect(wx.scanCode({ onlyFromCamera: true })).resolves.toEqual({
      result: 'https://x.test/item/1',
      scanType: 'QR_CODE',
      charSet: 'UTF-8',
      path: '',
      rawData: Buffer.from('https://x.test/item/1').toString('base64'),
      errMsg: 'scanCode:ok',
    })
    await expect(wx.scanCode({})).resolves.toMatchObject({
      result: '6901234567892',
      scanType: 'EAN_13',
    })
    await expect(wx.scanCode({})).rejects.toEqual({ errMsg: 'scanCode:fail cancel' })
    await expect(wx.scanCode({})).rejects.toEqual({ errMsg: 'scanCode:fail cancel' })
  })

  it('runs authorize through the scripted user and reports it in getSetting', async () => {
    await expect(wx.getSetting()).resolves.toEqual({ authSetting: {}, errMsg: 'getSetting:ok' })
    await expect(wx.authorize({ scope: 'scope.record' })).resolves.toEqual({
      errMsg: 'authorize:ok',
    })
    host.device.answerNextAuthorize(false)
    await expect(wx.authorize({ scope: 'scope.camera' })).rejects.toEqual({
      errMsg: 'authorize:fail auth deny',
    })
    await expect(wx.authorize({ scope: 'scope.camera' })).rejects.toEqual({
      errMsg: 'authorize:fail auth deny',
    })
    await expect(wx.authorize({ scope: 'scope.record' })).resolves.toEqual({
      errMsg: 'authorize:ok',
    })
    expect(host.device.prompts()).toEqual([
      { scope: 'scope.record', api: 'authorize', granted: true },
      { scope: 'scope.camera', api: 'authorize', granted: false },
    ])
    await expect(wx.getSetting({ withSubscriptions: true })).resolves.toEqual({
      authSetting: { 'scope.record': true, 'scope.camera': false },
      subscriptionsSetting: { mainSwitch: true, itemSettings: {} },
      errMsg: 'getSetting:ok',
    })
    await expect(wx.authorize({ scope: 'camera' })).rejects.toEqual({
      errMsg: 'authorize:fail invalid scope',
    })
    await expect(wx.authorize({})).rejects.toMatchObject({
      errMsg:
        'authorize:fail parameter error: parameter.scope should be String instead of Undefined;',
    })
  })

  it('lets openSetting toggle only the scopes asked for before', async () => {
    host.device.setAuth('scope.camera', false)
    host.device.answerOpenSetting({ 'scope.camera': true, 'scope.werun': true })
    const changed = await wx.openSetting()
    expect(changed.authSetting).toEqual({ 'scope.camera': true })
    const unchanged = await wx.openSetting() // the user looks and goes back
    expect(unchanged.authSetting).toEqual({ 'scope.camera': true })
  })

  it('starts from the scopes and default answer given in the options', async () => {
    const strict = createWxHost({
      device: { auth: { 'scope.userLocation': true }, authorizeAnswer: false },
    })
    const swx: any = strict.wx
    await expect(swx.getLocation({})).resolves.toMatchObject({ errMsg: 'getLocation:ok' })
    await expect(swx.authorize({ scope: 'scope.record' })).rejects.toEqual({
      errMsg: 'authorize:fail auth deny',
    })
    expect(strict.device.authSetting()).toEqual({
      'scope.userLocation': true,
      'scope.record': false,
    })
    await strict.close()
  })
})

describe('the wx host: what the page shows', () => {
  let host: WxHost
  let wx: any

  beforeEach(
    () =>
      ({ host, wx } = hostOnFakeTimers({
        device: { pages: ['pages/index/index', 'pages/detail/detail', 'pages/cart/cart'] },
      })),
  )
  afterEach(() => closeAndExpectClean(host))

  it('confirms modals by default and follows scripted answers', async () => {
    host.device.answerNextModal('cancel')
    host.device.answerNextModal({ confirm: true, content: 'Alice' })
    host.device.answerNextModal(false)
    await expect(wx.showModal({ title: 'Delete?', content: 'Sure?' })).resolves.toEqual({
      confirm: false,
      cancel: true,
      errMsg: 'showModal:ok',
    })
    await expect(wx.showModal({ title: 'Name', editable: true })).resolves.toEqual({
      confirm: true,
      cancel: false,
      content: 'Alice',
      errMsg: 'showModal:ok',
    })
    // without a cancel button the user can only confirm
    await expect(wx.showModal({ content: 'Done', showCancel: false })).resolves.toMatchObject({
      confirm: true,
    })
    await expect(wx.showModal({ content: 'Default' })).resolves.toMatchObject({ confirm: true })
    expect(host.device.modals().map((m) => [m.title, m.content, m.answer])).toEqual([
      ['Delete?', 'Sure?', 'cancel'],
      ['Name', '', 'confirm'],
      ['', 'Done', 'confirm'],
      ['', 'Default', 'confirm'],
    ])
    expect(host.device.modals()[1].typed).toBe('Alice')
  })

  it('shows a toast for its duration, and a loading until hidden', async () => {
    await wx.showToast({ title: 'Saved', icon: 'success', duration: 2000 })
    expect(host.device.toast()).toMatchObject({ kind: 'toast', title: 'Saved', duration: 2000 })
    jest.advanceTimersByTime(1999)
    expect(host.device.toast()).toBeDefined()
    jest.advanceTimersByTime(1)
    expect(host.device.toast()).toBeUndefined()

    await wx.showLoading({ title: 'Loading', mask: true })
    jest.advanceTimersByTime(60000)
    expect(host.device.toast()).toMatchObject({ kind: 'loading', title: 'Loading', mask: true })
    await wx.hideToast() // a loading is not a toast
    expect(host.device.toast()).toBeDefined()
    await wx.hideLoading()
    expect(host.device.toast()).toBeUndefined()

    await wx.showToast({ title: 'Bye' })
    await wx.hideToast()
    expect(host.device.toast()).toBeUndefined()
    expect(host.device.toasts().map((t) => t.title)).toEqual(['Saved', 'Loading', 'Bye'])
    await expect(wx.showToast({})).rejects.toMatchObject({
      errMsg:
        'showToast:fail parameter error: parameter.title should be String instead of Undefined;',
    })
  })

  it('answers action sheets from the script and fails `showActionSheet:fail cancel` otherwise', async () => {
    host.device.answerNextActionSheet(1)
    await expect(wx.showActionSheet({ itemList: ['A', 'B', 'C'] })).resolves.toEqual({
      tapIndex: 1,
      errMsg: 'showActionSheet:ok',
    })
    await expect(wx.showActionSheet({ itemList: ['A'] })).rejects.toEqual({
      errMsg: 'showActionSheet:fail cancel',
    })
    await expect(wx.showActionSheet({ itemList: [] })).rejects.toEqual({
      errMsg:
        'showActionSheet:fail parameter error: parameter.itemList should have at least 1 item;',
      errno: 1001,
    })
    await expect(
      wx.showActionSheet({ itemList: ['1', '2', '3', '4', '5', '6', '7'] }),
    ).rejects.toMatchObject({
      errMsg: 'showActionSheet:fail parameter error: itemList should not be large than 6',
    })
    host.device.answerNextActionSheet(5)
    await expect(wx.showActionSheet({ itemList: ['A', 'B'] })).rejects.toMatchObject({
      errMsg: expect.stringContaining('scripted tapIndex 5'),
    })
    expect(host.device.actionSheets().map((s) => s.answer)).toEqual([1, 'cancel'])
  })

  it('keeps a clipboard, records vibrations and the navigation bar title', async () => {
    await wx.setClipboardData({ data: 'copied' })
    expect(host.device.clipboard()).toBe('copied')
    host.device.setClipboard('from elsewhere')
    await expect(wx.getClipboardData()).resolves.toEqual({
      data: 'from elsewhere',
      errMsg: 'getClipboardData:ok',
    })
    await wx.vibrateShort({ type: 'light' })
    await wx.vibrateLong()
    await expect(wx.vibrateShort({ type: 'huge' })).rejects.toEqual({
      errMsg: 'vibrateShort:fail style is not support',
    })
    expect(host.device.vibrations()).toEqual([{ kind: 'short', type: 'light' }, { kind: 'long' }])
    await wx.setNavigationBarTitle({ title: 'Cart' })
    expect(host.device.navigationBarTitle()).toBe('Cart')
    await expect(wx.setNavigationBarTitle({})).rejects.toMatchObject({
      errMsg:
        'setNavigationBarTitle:fail parameter error: parameter.title should be String instead of Undefined;',
    })
  })

  it('keeps the page stack through navigateTo, redirectTo, navigateBack and reLaunch', async () => {
    expect(host.device.pages()).toEqual(['pages/index/index'])
    await wx.navigateTo({ url: '/pages/detail/detail?id=1' })
    await wx.navigateTo({ url: '../cart/cart' }) // relative to pages/detail/
    expect(host.device.pages()).toEqual([
      'pages/index/index',
      'pages/detail/detail',
      'pages/cart/cart',
    ])
    await expect(wx.navigateTo({ url: '/pages/nope/nope' })).rejects.toEqual({
      errMsg: 'navigateTo:fail page "pages/nope/nope" is not found',
    })
    await wx.redirectTo({ url: '/pages/detail/detail?id=2' })
    await wx.navigateBack({ delta: 5 })
    expect(host.device.pages()).toEqual(['pages/index/index'])
    await expect(wx.navigateBack()).rejects.toEqual({
      errMsg: 'navigateBack:fail cannot navigate back at first page.',
    })
    await wx.reLaunch({ url: '/pages/cart/cart' })
    expect(host.device.pages()).toEqual(['pages/cart/cart'])
    expect(host.device.navigations()).toEqual([
      { api: 'navigateTo', url: '/pages/detail/detail?id=1' },
      { api: 'navigateTo', url: '../cart/cart' },
      { api: 'redirectTo', url: '/pages/detail/detail?id=2' },
      { api: 'navigateBack', delta: 2 },
      { api: 'reLaunch', url: '/pages/cart/cart' },
    ])
    await expect(wx.navigateTo({})).rejects.toMatchObject({
      errMsg:
        'navigateTo:fail parameter error: parameter.url should be String instead of Undefined;',
    })
  })

  it('refuses an eleventh page', async () => {
    for (let i = 0; i < 9; i++) await wx.navigateTo({ url: '/pages/detail/detail' })
    await expect(wx.navigateTo({ url: '/pages/detail/detail' })).rejects.toEqual({
      errMsg: 'navigateTo:fail webview count limit exceed',
    })
    expect(host.device.pages()).toHaveLength(10)
  })

  it('clears a toast timer on close', async () => {
    await wx.showToast({ title: 'Still showing', duration: 10000 })
    expect(jest.getTimerCount()).toBe(1)
  })
})

describe('the example of docs/testing-devices.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doc-example-'))
  const photoPath = join(dir, 'photo.jpg')
  writeFileSync(photoPath, encodeJpeg({ width: 64, height: 48 }))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  // Page code under test: pick a photo, measure it, tag it with where the user is.
  async function tagPhoto(wx: WechatMiniprogram.Wx) {
    const { tempFilePaths } = await wx.chooseImage({ count: 1 })
    const { width, height } = await wx.getImageInfo({ src: tempFilePaths[0] })
    const { latitude, longitude } = await wx.getLocation({ type: 'gcj02' })
    await wx.showToast({
      title: `${width}x${height} @ ${latitude.toFixed(3)},${longitude.toFixed(3)}`,
    })
  }

  test('tags a photo, or explains a refused location', async () => {
    const host = createWxHost({ location: { position: { latitude: 39.915, longitude: 116.404 } } })
    host.media.pickImages([photoPath]) // any real image file on disk, or its bytes
    await tagPhoto(host.wx)
    expect(host.device.toast()?.title).toBe('64x48 @ 39.916,116.410')

    host.media.pickImages([photoPath])
    host.device.setAuth('scope.userLocation', false) // the user refused before
    await expect(tagPhoto(host.wx)).rejects.toEqual({ errMsg: 'getLocation:fail auth deny' })
    await host.close()
  })
})
