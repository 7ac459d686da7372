// The chat page: an answer streamed token by token as Server-Sent Events from the demo
// server (every token arrives, in order, and the time to the first token is shown), then a
// second question stopped mid-answer: the server sees its stream cut short and writes no more.
const { answerTokens } = require('../server')
const { setupDemo, tap, until, report, text, serverJson } = require('./helpers')

// The demo server's counters, asked directly (not through the page or the host).
const serverStats = (base) => serverJson(base, '/stats')

// Asks the server for its chat counters until `check` holds (every 10 ms, at most 5 s).
async function waitForServer(base, check, what) {
  for (let i = 0; i < 500; i++) {
    const { chat } = await serverStats(base)
    if (check(chat)) return chat
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('gave up waiting for ' + what)
}

describe('chat page', () => {
  let demo
  beforeAll(async () => {
    // Chunks re-split at random bytes, as a phone's network stack cuts them.
    demo = await setupDemo({ http: { chunked: { split: { seed: 13, maxSize: 7 } } } })
  })
  afterAll(() => demo.teardown())

  it('streams an answer token by token, and Stop aborts the server stream', async () => {
    const { host } = demo
    const page = demo.render('chat')
    const data = () => page.instance.data
    const before = (await serverStats(demo.serverUrl)).chat

    // a full answer
    page.querySelector('.question').dispatchEvent('input', { detail: { value: 'Why stream?' } })
    await until(() => data().question === 'Why stream?', 'the typed question')
    tap(page, '.send-btn')
    await until(() => data().status.startsWith('Done'), 'the whole answer', 10000)
    const expected = answerTokens('Why stream?')
    expect(data().tokens).toBe(expected.length)
    expect(data().answer).toBe(expected.join(''))
    expect(text(page, '.answer')).toBe(expected.join('').trim())
    const firstTokenMs = Number(data().firstTokenMs)
    expect(firstTokenMs).toBeGreaterThan(0)
    expect(text(page, '.first-token')).toBe('First token after ' + firstTokenMs + ' ms')
    const afterFirst = (await serverStats(demo.serverUrl)).chat
    expect(afterFirst.completed - before.completed).toBe(1)

    // a second answer, stopped after a few tokens
    page.instance.setData({ tokenGapMs: 100 })
    tap(page, '.send-btn')
    await until(() => data().streaming && data().tokens >= 3, 'three tokens')
    tap(page, '.stop-btn')
    await until(() => !data().streaming, 'the stop')
    const stoppedAt = data().tokens
    expect(data().status).toBe('Stopped after ' + stoppedAt + ' tokens')
    expect(stoppedAt).toBeLessThan(expected.length)
    const afterStop = await waitForServer(
      demo.serverUrl,
      (chat) => chat.aborted > afterFirst.aborted,
      'the server to see the stream cut short',
    )
    expect(afterStop.aborted - afterFirst.aborted).toBe(1)
    expect(afterStop.completed).toBe(afterFirst.completed)
    const written = afterStop.tokens - afterFirst.tokens
    expect(written).toBeLessThan(expected.length)
    expect(host.calls.some((c) => c.api === 'RequestTask.abort')).toBe(true)

    page.detach()
    expect(host.listenerCount()).toBe(0)
    expect(host.http.chunked.listenerCount).toBe(0)

    report(
      'chat',
      `${expected.length} tokens received in order, first after ${firstTokenMs} ms; ` +
        `Stop after ${stoppedAt} tokens aborted the server's stream ` +
        `(it wrote ${written} of ${expected.length})`,
    )
  })
})
