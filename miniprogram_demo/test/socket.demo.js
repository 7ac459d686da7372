// The socket page: an echo chat against a demo server this test owns, so it can stop the
// server while the page is open and start it again on the same port. The badge must go
// reconnecting -> connecting -> open, and what was sent while the server was down must arrive
// (echoed, in order) after the reconnect. The page's reconnectMs option keeps the wait short.
const path = require('node:path')
const { startDemoServer } = require('../server')
const { APP, setupDemo, tap, until, report, text } = require('./helpers')

describe('socket page', () => {
  let demo
  let server
  beforeAll(async () => {
    demo = await setupDemo()
    server = await startDemoServer({ port: 0, host: '127.0.0.1' })
  })
  afterAll(async () => {
    await demo.teardown()
    if (server) await server.close()
  })

  it('echoes messages and survives a server restart', async () => {
    const { host, simulate } = demo
    host.wx.setStorageSync('demo.server', server.url)
    // rendered here (not with demo.render) to pass the page option a query string would carry
    const id = simulate.load(path.join(APP, 'pages', 'socket', 'index'), { rootPath: APP })
    const page = simulate.render(id, { reconnectMs: 300 })
    page.attach(document.createElement('parent-wrapper'))
    const data = () => page.instance.data

    await until(() => data().state === 'open', 'the connection')
    expect(text(page, '.state-badge')).toBe('open')
    expect(page.querySelector('.state-badge').dom.className).toContain('ok')
    expect(server.stats().sockets).toBe(1)

    // six messages while connected: one typed, five from "Send 5"
    page.querySelector('.message-input').dispatchEvent('input', { detail: { value: 'ni hao' } })
    await until(() => data().text === 'ni hao', 'the typed text')
    tap(page, '.send-btn')
    tap(page, '.send-five-btn')
    await until(() => data().echoed === 6, 'six echoes')
    expect(data().lines.map((l) => l.status)).toEqual(Array(6).fill('echoed'))
    expect(data().lines[0].text).toBe('ni hao')

    // the server goes away: the badge shows it, and what is sent now waits in the buffer
    await server.close()
    await until(() => data().state === 'reconnecting', 'reconnecting')
    expect(text(page, '.state-badge')).toBe('reconnecting')
    expect(page.querySelector('.state-badge').dom.className).toContain('warn')
    expect(data().drops).toBe(1)
    tap(page, '.send-five-btn')
    tap(page, '.send-btn')
    await until(() => data().sent === 12, 'twelve sent')
    expect(data().buffered).toBe(6)
    expect(text(page, '.buffered-count')).toBe('6')
    expect(page.querySelectorAll('.bubble.waiting').length).toBe(6)

    // the server is back on the same port: the socket reconnects and the buffer goes out
    server = await startDemoServer({ port: server.port, host: '127.0.0.1' })
    await until(() => data().state === 'open', 'the reconnect')
    await until(() => data().echoed === 12, 'twelve echoes')
    expect(data().buffered).toBe(0)
    const states = data()
      .history.map((h) => h.state)
      .reverse()
    expect(states.slice(-3)).toEqual(['reconnecting', 'connecting', 'open'])
    expect(data().reconnects).toBe(1)
    const attempts = data().attempts
    expect(attempts).toBeGreaterThanOrEqual(1)
    expect(text(page, '.last-reconnect')).toMatch(/after \d+ attempts?$/)
    // every message came back once, in the order sent
    const echoedTexts = data().lines.map((l) => l.status + ':' + l.text)
    expect(echoedTexts.slice(6)).toEqual([
      'echoed:Message 7 (1 of 5)',
      'echoed:Message 8 (2 of 5)',
      'echoed:Message 9 (3 of 5)',
      'echoed:Message 10 (4 of 5)',
      'echoed:Message 11 (5 of 5)',
      'echoed:ni hao',
    ])
    expect(server.stats().sockets).toBe(1)

    // Disconnect closes cleanly (no reconnect); Connect opens again
    tap(page, '.disconnect-btn')
    await until(() => data().state === 'closed', 'the clean close')
    expect(page.querySelector('.state-badge').dom.className).toContain('error')
    await until(() => server.stats().sockets === 0, 'the server to see the close')
    tap(page, '.connect-btn')
    await until(() => data().state === 'open', 'the new connection')
    expect(data().drops).toBe(1)

    page.detach()
    await until(() => host.socket.openCount === 0, 'the socket to close on detach')
    expect(host.listenerCount('onNetworkStatusChange')).toBe(0)

    report(
      'socket',
      `${data().echoed} messages echoed (6 sent while the server was down), ` +
        `reconnected after server restart in ${attempts} attempt${attempts === 1 ? '' : 's'}, ` +
        `then a clean close and reconnect`,
    )
  })
})
