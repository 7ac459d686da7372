// Chat: an answer streamed token by token from the demo server as Server-Sent Events (sse$
// over a chunked wx.request), with the time to the first token, and a Stop button that
// aborts the request so the server stops writing.
//
// Send and Stop are commands on one stream; each Send switches to a new answer (ending the one
// before), Stop switches to nothing. What the page shows is bound with bindData: tokens that
// arrive faster than the screen needs cost one setData per 50 ms, and the answer ends with the
// page, so there is no `detached` to write.
const {
  bindData,
  createRequestPool,
  dataBindings,
  sse$,
  isHttpError,
  isTimeoutError,
  isWxError,
} = require('miniprogram-rx')
const {
  Subject,
  catchError,
  endWith,
  filter,
  map,
  of,
  scan,
  share,
  startWith,
  switchMap,
} = require('miniprogram-rx/rxjs')
const config = require('../../config')

// What the page shows before the first question: the data keys the answer stream writes (and
// nothing else does).
const IDLE = { answer: '', tokens: 0, firstTokenMs: '', status: 'Ask something', streaming: false }

// What a failed stream shows, in words a user understands.
function describeError(error) {
  if (isHttpError(error)) return 'HTTP ' + error.statusCode + ': ' + error.data
  if (isTimeoutError(error)) return 'The server went silent: ' + error.message
  if (isWxError(error) && error.code === 'ERR_NOT_SUPPORTED')
    return 'Streaming needs base library 2.20.2 or later'
  return (error && error.message) || String(error)
}

const change = (shown, update) => Object.assign({}, shown, update)

// One answer, as changes to what the page shows: waiting, each token, then done or failed.
function answer$(pool, ask) {
  const started = Date.now()
  const waiting = change(IDLE, { streaming: true, status: 'Waiting for the first token' })
  return sse$(
    {
      url: '/chat',
      method: 'POST',
      data: { q: ask.question, ms: ask.tokenGapMs },
      reconnect: false, // an answer is complete when the server ends it
      idleTimeout: 15000,
    },
    { pool },
  ).pipe(
    filter((event) => event.type === 'token'),
    map(
      (event) => (shown) =>
        change(shown, {
          answer: shown.answer + event.data,
          tokens: shown.tokens + 1,
          firstTokenMs: shown.firstTokenMs || String(Date.now() - started),
          status: 'Streaming',
        }),
    ),
    startWith(() => waiting),
    endWith((shown) =>
      change(shown, { streaming: false, status: 'Done: ' + shown.tokens + ' tokens' }),
    ),
    catchError((error) =>
      of((shown) => change(shown, { streaming: false, status: 'Failed: ' + describeError(error) })),
    ),
  )
}

// Stop: the answer switched away from is unsubscribed, which aborts its request.
const stopped = (shown) =>
  shown.streaming
    ? change(shown, { streaming: false, status: 'Stopped after ' + shown.tokens + ' tokens' })
    : shown

Component({
  behaviors: [dataBindings()],
  data: Object.assign({ question: 'What is a mini program?', tokenGapMs: 40 }, IDLE),
  lifetimes: {
    attached() {
      const pool = createRequestPool({
        baseURL: config.serverUrl(),
        allowInsecure: true, // the demo server speaks http://
      })
      this.commands = new Subject()
      const shown$ = this.commands.pipe(
        switchMap((command) => (command.type === 'ask' ? answer$(pool, command) : of(stopped))),
        scan((shown, apply) => apply(shown), IDLE),
        share(),
      )
      const sources = {}
      for (const key of Object.keys(IDLE)) sources[key] = shown$.pipe(map((shown) => shown[key]))
      bindData(this, sources)
    },
  },
  methods: {
    onInput(event) {
      this.setData({ question: event.detail.value })
    },
    send() {
      this.commands.next({
        type: 'ask',
        question: this.data.question,
        tokenGapMs: this.data.tokenGapMs,
      })
    },
    stop() {
      this.commands.next({ type: 'stop' })
    },
  },
})
