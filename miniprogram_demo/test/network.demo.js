// The network page: a burst of 20 slow requests through the pool of 5 (the demo server counts
// what it has in flight), the newest one cancelled while queued, a retry after the flaky
// endpoint's 503 + Retry-After, a 1 MB upload (a host temp file, then the page's own file
// written with fs) and a 1 MB download, each with its progress events counted.
const fs = require('node:fs')
const { setupDemo, tap, until, report, text, serverJson } = require('./helpers')

const MB = 1024 * 1024

// The demo server's counters, asked directly (not through the page or the host).
const serverStats = (base) => serverJson(base, '/stats')

describe('network page', () => {
  let demo
  beforeAll(async () => {
    demo = await setupDemo()
  })
  afterAll(() => demo.teardown())

  it('runs a burst through 5 slots, retries a 503, uploads and downloads with progress', async () => {
    const { host } = demo
    const page = demo.render('network')
    const data = () => page.instance.data
    expect(page.querySelectorAll('.slot').length).toBe(5)
    host.http.resetStats()

    // the burst: 20 requests at once; the newest is cancelled while it is still queued
    page.instance.setData({ slowMs: 200 })
    tap(page, '.burst-btn')
    await until(() => data().stats.queued >= 10, 'a full queue')
    expect(data().stats.inFlight).toBe(5)
    expect(page.querySelectorAll('.slot.busy').length).toBe(5)
    expect(page.querySelectorAll('.chip.running').length).toBe(5)
    tap(page, '.cancel-newest-btn')
    await until(() => data().serverMax !== '', 'the end of the burst')
    const states = data().calls.map((c) => c.state)
    expect(states.filter((s) => s === 'done').length).toBe(19)
    expect(states[19]).toBe('cancelled')
    expect(text(page, '.burst-status')).toMatch(/^19 done, 1 cancelled, 0 failed in \d+ ms$/)
    expect(text(page, '.server-max')).toBe('5 at once')
    const afterBurst = await serverStats(demo.serverUrl)
    expect(afterBurst.maxInFlight).toBe(5)
    // /stats/reset, 19 x /slow and /stats: the cancelled call never reached the network
    expect(host.http.started).toBe(21)
    expect(host.calls.filter((c) => c.api === 'request').length).toBe(21)
    expect(data().maxInFlight).toBe(5)
    expect(host.http.maxInFlight).toBeLessThanOrEqual(5)

    // the retry: 503 with Retry-After: 1, then 200
    const flakyBefore = afterBurst.flakyFailures
    tap(page, '.retry-btn')
    await until(() => data().retryStatus.startsWith('OK'), 'the retried call')
    expect(text(page, '.retry-status')).toBe('OK after 2 attempts')
    const lines = page.querySelectorAll('.retry-text').map((e) => e.dom.textContent.trim())
    expect(lines).toEqual([
      'Attempt 1: GET /flaky',
      'HTTP 503, Retry-After: 1; waited 1000 ms, retry 1',
      'Attempt 2: HTTP 200 OK',
    ])
    expect((await serverStats(demo.serverUrl)).flakyFailures).toBe(flakyBefore + 1)
    expect(data().stats.retried).toBe(1)

    // upload: a 1 MB temp file from the host, then the page's own file written with fs
    const file = host.files.addTempFile(Buffer.alloc(MB, 7), 'bin')
    page.instance.upload(file, 'test file')
    await until(() => data().upload.status === 'Done', 'the upload')
    const upload = data().upload
    expect(upload.received).toBe(MB)
    expect(upload.percent).toBe(100)
    expect(upload.bytes).toBeGreaterThanOrEqual(MB)
    expect(upload.events).toBeGreaterThan(1)
    expect(text(page, '.upload-events')).toBe(upload.events + ' progress events')
    expect(text(page, '.upload-result')).toBe('The server received 1.0 MB (1048576 bytes)')
    tap(page, '.upload-generated-btn')
    await until(
      () => data().upload.label.startsWith('generated') && data().upload.status === 'Done',
      'the generated upload',
    )
    expect(data().upload.received).toBe(MB)
    // the page wrote its file with fs into the user data folder
    expect(fs.statSync(host.files.realPath('wxfile://usr/demo-upload.bin')).size).toBe(MB)

    // download with progress
    tap(page, '.download-btn')
    await until(() => data().download.status === 'Done', 'the download')
    const download = data().download
    expect(download.saved).toBe(MB)
    expect(download.percent).toBe(100)
    expect(download.total).toBe(MB)
    expect(download.events).toBeGreaterThan(1)
    expect(text(page, '.download-result')).toMatch(/^1\.0 MB saved to wxfile:\/\/tmp_/)

    const stats = data().stats
    expect(stats).toMatchObject({ queued: 0, inFlight: 0, backoff: 0, failed: 0, cancelled: 1 })
    page.detach()
    expect(host.listenerCount('onNetworkStatusChange')).toBe(0)

    report(
      'network',
      `20 requests, max ${afterBurst.maxInFlight} in flight, ${stats.retried} retry after 503, ` +
        `${(upload.received / MB).toFixed(1)} MB upload with ${upload.events} progress events, ` +
        `${(download.saved / MB).toFixed(1)} MB download with ${download.events} progress events, ` +
        `${stats.cancelled} cancelled`,
    )
  })
})
