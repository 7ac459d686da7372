// The device page: system info from the host's profile, the live network badge, a phone call
// the host records (and a bad number refused before wx is called), and a scripted scan.
const { setupDemo, tap, until, report, text } = require('./helpers')

describe('device page', () => {
  let demo
  beforeAll(async () => {
    demo = await setupDemo()
  })
  afterAll(() => demo.teardown())

  it('shows system info, follows the network, calls and scans', async () => {
    const { host } = demo
    const page = demo.render('device')

    // system info: the host's default profile (an iPhone 13 Pro, 390 x 844 @3x)
    await until(() => page.instance.data.infoRows.length > 0, 'system info')
    const rows = page.querySelectorAll('.info-row').map((row) => row.dom.textContent)
    const profile = host.device.profile()
    const info = page.instance.data.info
    expect(info.model).toBe(profile.model)
    expect(info.SDKVersion).toBe(profile.SDKVersion)
    expect(rows.join('\n')).toContain(profile.windowWidth + ' x ' + profile.windowHeight + ' @3x')
    expect(rows.join('\n')).toContain(profile.model)

    // the network badge follows networkStatus$
    await until(() => page.instance.data.networkType === 'wifi', 'the network type')
    expect(text(page, '.network-badge')).toBe('wifi')
    const seen = ['wifi']
    for (const status of [{ networkType: '4g' }, { isConnected: false }, { networkType: '5g' }]) {
      host.setNetwork(status)
      const expected = status.isConnected === false ? 'offline' : status.networkType
      await until(() => text(page, '.network-badge') === expected, 'badge ' + expected)
      seen.push(expected)
    }
    expect(page.instance.data.networkChanges).toBe(3)
    expect(text(page, '.network-changes')).toBe('3')

    // a phone call: recorded by the host, shown on the page
    tap(page, '.call-btn')
    await until(() => page.instance.data.calls === 1, 'the call')
    expect(text(page, '.call-status')).toBe('Called 400-820-8820')
    // a number with letters is refused by the SDK; wx is never called
    page.querySelector('.phone-input').dispatchEvent('input', { detail: { value: 'call me' } })
    await until(() => page.instance.data.phoneNumber === 'call me', 'the typed number')
    tap(page, '.call-btn')
    await until(() => page.instance.data.callError !== '', 'the refused number')
    expect(text(page, '.call-error')).toMatch(/makePhoneCall.*phoneNumber/)
    // the user backs out of the call sheet
    page
      .querySelector('.phone-input')
      .dispatchEvent('input', { detail: { value: '+86 10 1234 5678' } })
    await until(() => page.instance.data.phoneNumber === '+86 10 1234 5678', 'the second number')
    host.device.cancelNextCall()
    tap(page, '.call-btn')
    await until(() => page.instance.data.callError === 'Cancelled', 'the cancelled call')
    expect(host.device.phoneCalls()).toEqual([
      { phoneNumber: '400-820-8820', answer: 'call' },
      { phoneNumber: '+86 10 1234 5678', answer: 'cancel' },
    ])

    // scanning: a scripted QR code, then a closed scanner
    const code = 'https://github.com/miniprogram-rx?from=demo'
    host.device.scanResult(code)
    tap(page, '.scan-btn')
    await until(() => page.instance.data.scan !== null, 'the scan result')
    expect(text(page, '.scan-text')).toBe(code)
    expect(text(page, '.scan-type')).toBe('QR_CODE')
    host.device.cancelNextScan()
    tap(page, '.scan-btn')
    await until(() => page.instance.data.scanError === 'Cancelled', 'the closed scanner')
    expect(text(page, '.scan-text')).toBe(code) // the last result stays

    page.detach()
    expect(host.listenerCount('onNetworkStatusChange')).toBe(0)

    report(
      'device',
      `${info.model.replace(/<.*>/, '')} ${info.windowWidth}x${info.windowHeight}@${info.pixelRatio}x ` +
        `base ${info.SDKVersion}, network ${seen.join(' -> ')} (${seen.length - 1} changes), ` +
        `1 call placed + 1 cancelled + 1 bad number refused, scanned ${code.length}-char QR_CODE + 1 cancel`,
    )
  })
})
