// The request toolkit page: the news list fetched through withDedupe(withAuth(pool)) and kept
// in storage by the query client; the server expires the token, three calls at once get 401,
// one refresh follows and all three are replayed; then a cold start (a new page and client on
// the same storage) shows the stored list while the server holds its answer.
const path = require('node:path')
const { APP, setupDemo, tap, until, report, text, serverJson } = require('./helpers')

/** Calls the demo server directly (what a test does, not the app): its JSON answer. */
describe('toolkit page', () => {
  let demo
  beforeAll(async () => {
    demo = await setupDemo()
  })
  afterAll(() => demo.teardown())

  it('refreshes once after concurrent 401s and renders the stored list on a cold start', async () => {
    const { host, serverUrl, simulate } = demo
    // Loaded once and rendered twice (the second time is the cold start), so not demo.render.
    const id = simulate.load(path.join(APP, 'pages', 'toolkit', 'index'), { rootPath: APP })
    const open = () => {
      const rendered = simulate.render(id)
      rendered.attach(document.createElement('parent-wrapper'))
      return rendered
    }
    const page = open()
    const data = () => page.instance.data
    await until(() => data().news.status === 'success', 'the news list')
    expect(page.querySelectorAll('.news-item').length).toBe(5)
    expect(text(page, '.news-status')).toBe('success')

    // The server forgets the token; three calls at once: 401s, one refresh, three replays.
    const before = await serverJson(serverUrl, '/toolkit/stats')
    tap(page, '.expire-btn')
    await until(() => /no longer accepts/.test(data().burst), 'the expired token')
    tap(page, '.burst-btn')
    await until(() => /answers/.test(data().burst), 'the three answers')
    const after = await serverJson(serverUrl, '/toolkit/stats')
    expect(after.refreshes - before.refreshes).toBe(1)
    expect(after.unauthorized - before.unauthorized).toBe(3)
    expect(text(page, '.refreshes')).toBe('1')
    expect(text(page, '.burst')).toMatch(/^3 answers with edition \d+ after 1 refresh/)
    expect(host.storage.snapshot()['demo.toolkit.token']).toBe(after.token)
    await until(
      () => Object.keys(host.storage.snapshot()).some((k) => k.startsWith('demo.query:')),
      'the stored list',
    )
    // The burst invalidated the list: it refetched the new edition, which is what is stored.
    const edition = Number(/edition (\d+)/.exec(data().burst)[1])
    await until(() => data().news.edition === edition && !data().news.fetching, 'the new edition')
    const stored = () =>
      Object.keys(host.storage.snapshot())
        .filter((key) => key.startsWith('demo.query:') && key !== 'demo.query:index')
        .map((key) => host.storage.snapshot()[key].data.edition)
    await until(() => stored()[0] === edition, 'the new edition stored')
    const storedEdition = edition
    page.detach()

    // Cold start: a new page and query client on the same storage; the network is held back.
    await serverJson(serverUrl, '/toolkit/hold?on=1')
    const cold = open()
    const coldData = () => cold.instance.data
    await until(() => coldData().news.items.length === 5, 'the stored list on the cold start')
    expect(coldData().news).toMatchObject({ status: 'success', stale: true, fetching: true })
    expect(coldData().news.edition).toBe(storedEdition)
    expect(text(cold, '.news-status')).toBe('success, stale, fetching')
    await serverJson(serverUrl, '/toolkit/hold?on=0')
    await until(() => !coldData().news.fetching, 'the fresh list')
    expect(text(cold, '.news-status')).toBe('success')
    cold.detach()
    expect(host.listenerCount()).toBe(0)

    report(
      'toolkit',
      '3 calls after a 401: 1 refresh, 3 replays; cold start showed the stored list (edition ' +
        storedEdition +
        ') before the network answered',
    )
  })
})
