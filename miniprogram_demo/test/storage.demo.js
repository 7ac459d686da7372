// The storage page: typed items shown through value$ (a counter tapped quickly, settings as an
// object), a note with a 10 s ttl that expires on jest's fake clock, a 2 MB write refused by the
// 1 MB per-key quota (the old value stays), and storage filled until the total quota refuses.
const { setupDemo, tap, until, report, text } = require('./helpers')

const KB = 1024
const MB = 1024 * KB

describe('storage page', () => {
  let demo
  beforeAll(async () => {
    demo = await setupDemo()
  })
  afterAll(() => demo.teardown())

  it('keeps typed items, expires a note, and refuses writes over the quotas', async () => {
    const { host } = demo
    const stored = () => host.storage.snapshot()
    const page = demo.render('storage')
    const data = () => page.instance.data
    await until(() => data().usage.text !== '', 'the storage usage')

    // the counter: three quick taps, none lost
    expect(text(page, '.counter-value')).toBe('0')
    tap(page, '.increment-btn')
    tap(page, '.increment-btn')
    tap(page, '.increment-btn')
    await until(() => data().counter === 3, 'three counts')
    expect(text(page, '.counter-value')).toBe('3')
    expect(stored()['demo.counter']).toBe(3)

    // settings: an object, stored as one
    tap(page, '.theme-btn')
    await until(() => data().settings.theme === 'dark', 'the dark theme')
    expect(page.querySelector('.page').dom.className).toContain('dark')
    tap(page, '.font-btn')
    await until(() => data().settings.fontSize === 18, 'the bigger text')
    expect(text(page, '.settings-value')).toBe('dark, 18 px')
    expect(stored()['demo.settings']).toEqual({ theme: 'dark', fontSize: 18 })

    // the note: saved with a 10 s ttl, gone when the (fake) clock passes it
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
    tap(page, '.save-note-btn')
    await until(() => data().note === 'Buy oolong tea', 'the saved note')
    expect(text(page, '.note-left')).toBe('expires in 10 s')
    expect(stored()['demo.note']).toMatchObject({ __mprx: 1, value: 'Buy oolong tea' })
    expect(text(page, '.note-stored')).toContain('"__mprx":1')
    jest.advanceTimersByTime(4000)
    await until(() => data().noteLeft === 'expires in 6 s', 'the countdown')
    jest.advanceTimersByTime(6000)
    await until(() => data().note === '', 'the expiry')
    expect(text(page, '.note-left')).toBe('no note (or it expired)')
    await until(() => !('demo.note' in stored()), 'the expired note to be removed')
    jest.useRealTimers()

    // a value over 1 MB for one key: refused, the old value kept
    tap(page, '.write-small-btn')
    await until(() => data().blobSize === 512 * KB, 'the 512 KB value')
    tap(page, '.write-big-btn')
    await until(() => data().quotaError !== '', 'the refused write')
    expect(text(page, '.quota-text')).toBe(
      'Too big for one key: 2.0 MB, and a key holds at most 1.0 MB. Nothing was written; ' +
        '"demo.blob" keeps its old value.',
    )
    expect(stored()['demo.blob'].length).toBe(512 * KB)
    expect(text(page, '.blob-size')).toBe('512.0 KB')

    // filling storage: 1000 KB keys until the total refuses one. The host's total quota is
    // set to 3 MB (a phone's is 10 MB) to keep the test short; the page reads the limit
    // from the error, which the SDK takes from getStorageInfo.
    const TOTAL = 3 * MB
    host.storage.setQuota({ maxTotalSize: TOTAL })
    tap(page, '.fill-btn')
    await until(() => /^Full after/.test(data().fillStatus), 'full storage')
    const fills = data().fills
    const fillKeys = Object.keys(stored()).filter((k) => k.startsWith('demo.fill.'))
    expect(fillKeys.length).toBe(fills)
    expect(fills).toBe(2) // 512 KB + 2 x 1000 KB fit in 3 MB; a third does not
    expect(host.storage.bytesUsed()).toBeLessThanOrEqual(TOTAL)
    expect(host.storage.bytesUsed() + 1000 * KB).toBeGreaterThan(TOTAL)
    expect(text(page, '.quota-text')).toMatch(
      /^Storage is full: 1000\.0 KB more would take it past 3\.0 MB\. Nothing was written/,
    )
    expect(stored()['demo.blob'].length).toBe(512 * KB) // other keys untouched
    const usedWhenFull = data().usage
    expect(usedWhenFull.text).toMatch(/^\d+ KB of 3072 KB, \d+ keys$/)
    expect(usedWhenFull.percent).toBeGreaterThan(75)
    tap(page, '.clear-fill-btn')
    await until(() => data().fillStatus === 'Removed', 'the removed fill keys')
    expect(Object.keys(stored()).filter((k) => k.startsWith('demo.fill.'))).toEqual([])
    expect(data().error).toBe('')
    host.storage.setQuota({ maxTotalSize: 10 * MB })

    page.detach()
    expect(host.listenerCount()).toBe(0)

    report(
      'storage',
      `counter 0 -> 3 in 3 quick taps via value$, settings object saved, note expired after ` +
        `its 10 s ttl (fake clock), 2.0 MB write refused by the 1.0 MB key quota with 512 KB kept, ` +
        `storage full after ${fills} x 1000 KB keys (${usedWhenFull.text.replace(/, .*/, '')}, ` +
        `host quota set to 3 MB), ` +
        `${fills} keys removed`,
    )
  })
})
