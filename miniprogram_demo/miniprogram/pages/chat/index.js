// Chat: an answer streamed token by token from the demo server as Server-Sent Events (sse$
// over a chunked wx.request), with the time to the first token, and a Stop button that
// aborts the request so the server stops writing. Plain Component() lifetimes: the stream is
// ended in `detached`.
const {
  createRequestPool,
  sse$,
  isHttpError,
  isTimeoutError,
  isWxError,
} = require('miniprogram-rx')
const config = require('../../config')

// What a failed stream shows, in words a user understands.
function describeError(error) {
  if (isHttpError(error)) return 'HTTP ' + error.statusCode + ': ' + error.data
  if (isTimeoutError(error)) return 'The server went silent: ' + error.message
  if (isWxError(error) && error.code === 'ERR_NOT_SUPPORTED')
    return 'Streaming needs base library 2.20.2 or later'
  return (error && error.message) || String(error)
}

Component({
  data: {
    question: 'What is a mini program?',
    answer: '',
    tokens: 0,
    status: 'Ask something',
    streaming: false,
    firstTokenMs: '',
    tokenGapMs: 40,
  },
  lifetimes: {
    attached() {
      this.pool = createRequestPool({
        baseURL: config.serverUrl(),
        allowInsecure: true, // the demo server speaks http://
      })
    },
    detached() {
      this.stop()
    },
  },
  methods: {
    onInput(event) {
      this.setData({ question: event.detail.value })
    },
    send() {
      this.stop()
      const started = Date.now()
      let answer = ''
      let tokens = 0
      this.setData({
        answer: '',
        tokens: 0,
        firstTokenMs: '',
        streaming: true,
        status: 'Waiting for the first token',
      })
      this.subscription = sse$(
        {
          url: '/chat',
          method: 'POST',
          data: { q: this.data.question, ms: this.data.tokenGapMs },
          reconnect: false, // an answer is complete when the server ends it
          idleTimeout: 15000,
        },
        { pool: this.pool },
      ).subscribe({
        next: (event) => {
          if (event.type !== 'token') return
          answer += event.data
          tokens += 1
          const update = { answer, tokens, status: 'Streaming' }
          if (tokens === 1) update.firstTokenMs = String(Date.now() - started)
          this.setData(update)
        },
        error: (error) => {
          this.subscription = undefined
          this.setData({ streaming: false, status: 'Failed: ' + describeError(error) })
        },
        complete: () => {
          this.subscription = undefined
          this.setData({ streaming: false, status: 'Done: ' + tokens + ' tokens' })
        },
      })
    },
    stop() {
      if (!this.subscription) return
      // Unsubscribing aborts the request: the server sees the connection close.
      this.subscription.unsubscribe()
      this.subscription = undefined
      this.setData({ streaming: false, status: 'Stopped after ' + this.data.tokens + ' tokens' })
    },
  },
})
