// The home page: renders every module entry and the live network badge.
const { setupDemo, until } = require('./helpers')

describe('home page', () => {
  let demo
  beforeAll(async () => {
    demo = await setupDemo()
  })
  afterAll(() => demo.teardown())

  it('lists every module and shows the live network type', async () => {
    const page = demo.render('index')
    await until(() => page.instance.data.networkType === 'wifi', 'the network type')
    expect(page.querySelectorAll('.module').length).toBe(10)
    expect(page.querySelector('.network-badge').dom.textContent).toBe('wifi')
    demo.host.setNetwork({ isConnected: false })
    await until(() => page.instance.data.online === false, 'offline')
    expect(page.querySelector('.network-badge').dom.textContent).toBe('offline')
    expect(page.instance.data.server).toBe(demo.serverUrl)
  })
})
