// Network: every call goes through one request pool (5 on the wire at once). A burst of slow
// requests shows the pool's queue and slots live (stats$), the flaky endpoint shows a retry
// that honours the server's Retry-After, and an upload and a download show their progress.
// Any of them can be cancelled.
const {
  createRequestPool,
  fs,
  chooseImages,
  isAbortError,
  isHttpError,
  isTimeoutError,
  isWxError,
  dataBindings,
  untilDetached,
} = require('miniprogram-rx')
const config = require('../../config')

const CONCURRENCY = 5
const BURST = 20
const MB = 1024 * 1024

const size = (bytes) =>
  bytes >= MB ? (bytes / MB).toFixed(1) + ' MB' : (bytes / 1024).toFixed(1) + ' KB'

// What a failed call shows, in words a user understands.
function describeError(error) {
  if (isAbortError(error)) return 'Cancelled'
  if (isHttpError(error)) return 'HTTP ' + error.statusCode + ' from ' + error.request.url
  if (isTimeoutError(error)) return 'Timed out: ' + error.message
  if (isWxError(error) && /interrupted|ERR_INTERNET_DISCONNECTED/.test(error.errMsg))
    return 'No network: ' + error.errMsg
  return (error && error.message) || String(error)
}

const EMPTY_STATS = {
  queued: 0,
  inFlight: 0,
  backoff: 0,
  done: 0,
  failed: 0,
  cancelled: 0,
  retried: 0,
}

const transfer = () => ({
  status: '',
  label: '',
  percent: 0,
  bytes: 0,
  total: 0,
  events: 0,
  result: '',
  received: 0,
  error: '',
})

Component({
  behaviors: [dataBindings()],
  data: {
    concurrency: CONCURRENCY,
    stats: EMPTY_STATS,
    slots: [],
    maxInFlight: 0,
    slowMs: 400,
    calls: [],
    burstStatus: '',
    serverMax: '',
    retryLog: [],
    retryStatus: '',
    retryError: '',
    upload: transfer(),
    download: transfer(),
  },
  lifetimes: {
    attached() {
      this.server = config.serverUrl()
      this.pending = {}
      this.pool = createRequestPool({
        baseURL: this.server,
        concurrency: CONCURRENCY,
        allowInsecure: true, // the demo server speaks http://
        timeout: 15000,
        retry: { limit: 2, delay: 500 },
        hooks: {
          // after the wait, just before the retry goes back to the queue
          beforeRetry: [(context) => this.noteRetry(context)],
        },
      })
      // subscriptions end with the page (untilDetached); promises are cancelled here
      this.pool.stats$.pipe(untilDetached(this)).subscribe((stats) => this.showStats(stats))
    },
    detached() {
      this.gone = true
      this.cancelAll()
      if (this.retryCall) this.retryCall.abort()
    },
  },
  methods: {
    showStats(stats) {
      const slots = []
      for (let i = 0; i < CONCURRENCY; i++) slots.push(i < stats.inFlight)
      // The pool starts equal-priority calls in call order, so of the burst's calls still
      // waiting for an answer, the first ones are those on the wire.
      let running = stats.inFlight
      const calls = this.data.calls.map((call) => {
        if (call.state !== 'queued' && call.state !== 'running') return call
        const state = running > 0 ? 'running' : 'queued'
        running -= 1
        return state === call.state ? call : Object.assign({}, call, { state })
      })
      this.setData({
        stats,
        slots,
        calls,
        maxInFlight: Math.max(this.data.maxInFlight, stats.inFlight),
      })
    },

    // ---- the burst: 20 slow requests through 5 slots -------------------------------------
    async burst() {
      if (this.bursting) return
      this.bursting = true
      const ms = this.data.slowMs
      const calls = []
      for (let n = 1; n <= BURST; n++) calls.push({ n, state: 'queued', ms: 0 })
      this.setData({ calls, burstStatus: 'Sending ' + BURST + ' requests…', serverMax: '' })
      try {
        // the server counts requests in flight; start this burst from a clean count
        await this.pool.request({ url: '/stats/reset', method: 'POST' })
        const started = Date.now()
        const settled = calls.map((call) => {
          const pending = this.pool.request({ url: '/slow', data: { ms, n: call.n } })
          this.pending[call.n] = pending
          return pending.then(
            () => this.settle(call.n, 'done', Date.now() - started),
            (error) => this.settle(call.n, isAbortError(error) ? 'cancelled' : 'failed'),
          )
        })
        await Promise.all(settled)
        if (this.gone) return
        const counts = { done: 0, cancelled: 0, failed: 0 }
        for (const call of this.data.calls) counts[call.state] += 1
        const { data } = await this.pool.request({ url: '/stats' })
        if (this.gone) return
        this.setData({
          burstStatus:
            counts.done +
            ' done, ' +
            counts.cancelled +
            ' cancelled, ' +
            counts.failed +
            ' failed in ' +
            (Date.now() - started) +
            ' ms',
          serverMax: String(data.maxInFlight),
        })
      } catch (error) {
        if (!this.gone) this.setData({ burstStatus: describeError(error) })
      } finally {
        this.bursting = false
      }
    },
    settle(n, state, ms) {
      delete this.pending[n]
      if (this.gone) return
      const index = n - 1
      this.setData({
        ['calls[' + index + '].state']: state,
        ['calls[' + index + '].ms']: ms || 0,
      })
    },
    // Cancels the newest call still waiting: a queued call leaves the queue without being sent.
    cancelNewest() {
      const numbers = Object.keys(this.pending).map(Number)
      if (!numbers.length) return
      this.pending[Math.max.apply(null, numbers)].abort()
    },
    cancelAll() {
      for (const n of Object.keys(this.pending)) this.pending[n].abort()
    },

    // ---- a retry: /flaky answers 503 with Retry-After once, then 200 -----------------------
    async retryFlaky() {
      if (this.retryCall) return
      const key = 'demo-' + Date.now() + '-' + Math.floor(Math.random() * 1e6)
      this.setData({
        retryLog: [{ n: 1, text: 'Attempt 1: GET /flaky', kind: '' }],
        retryStatus: 'Waiting…',
        retryError: '',
      })
      this.retryCall = this.pool.request({
        url: '/flaky',
        data: { key, fail: 1, retryAfter: 1 },
      })
      try {
        const { data, statusCode } = await this.retryCall
        if (this.gone) return
        this.log('Attempt ' + data.attempt + ': HTTP ' + statusCode + ' OK', 'ok')
        this.setData({
          retryStatus: 'OK after ' + data.attempt + ' attempts',
        })
      } catch (error) {
        if (!this.gone) this.setData({ retryStatus: '', retryError: describeError(error) })
      } finally {
        this.retryCall = null
      }
    },
    noteRetry(context) {
      if (this.gone) return
      const reason = isHttpError(context.error)
        ? 'HTTP ' + context.error.statusCode
        : describeError(context.error)
      const header = isHttpError(context.error) ? context.error.header : {}
      let retryAfter = ''
      for (const name in header) if (/^retry-after$/i.test(name)) retryAfter = header[name]
      this.log(
        reason +
          (retryAfter ? ', Retry-After: ' + retryAfter : '') +
          '; waited ' +
          context.delay +
          ' ms, retry ' +
          context.attempt,
        'warn',
      )
    },
    log(text, kind) {
      const retryLog = this.data.retryLog.concat({ n: this.data.retryLog.length + 1, text, kind })
      this.setData({ retryLog })
    },

    // ---- upload with progress --------------------------------------------------------------
    // A 1 MB file written with the file system API, so there is something to send.
    async uploadGenerated() {
      const filePath = wx.env.USER_DATA_PATH + '/demo-upload.bin'
      const bytes = new Uint8Array(MB)
      for (let i = 0; i < bytes.length; i++) bytes[i] = i & 0xff
      try {
        this.setData({ upload: Object.assign(transfer(), { status: 'Writing 1.0 MB…' }) })
        await fs.writeFile({ filePath, data: bytes.buffer })
        if (!this.gone) this.upload(filePath, 'generated ' + size(MB) + ' file')
      } catch (error) {
        if (!this.gone) this.setData({ 'upload.status': '', 'upload.error': describeError(error) })
      }
    },
    async uploadImage() {
      try {
        const [image] = await chooseImages({ count: 1 })
        if (!this.gone) this.upload(image.tempFilePath, 'image of ' + size(image.size))
      } catch (error) {
        if (!this.gone) this.setData({ 'upload.error': describeError(error) })
      }
    },
    upload(filePath, label) {
      if (this.uploadSub) this.uploadSub.unsubscribe()
      this.setData({ upload: Object.assign(transfer(), { status: 'Uploading…', label }) })
      let events = 0
      this.uploadSub = this.pool
        .upload$({ url: '/upload', filePath, name: 'file', formData: { from: 'demo' } })
        .pipe(untilDetached(this))
        .subscribe({
          next: (event) => {
            if (event.type === 'progress') {
              events += 1
              this.setData({
                'upload.percent': event.progress,
                'upload.bytes': event.totalBytesSent,
                'upload.total': event.totalBytesExpectedToSend,
                'upload.events': events,
              })
            } else if (event.type === 'result') {
              const body = JSON.parse(event.data)
              const file = body.files[0] || { bytes: 0 }
              this.setData({
                'upload.status': 'Done',
                'upload.result':
                  'The server received ' + size(file.bytes) + ' (' + file.bytes + ' bytes)',
                'upload.received': file.bytes,
              })
            }
          },
          error: (error) =>
            this.setData({ 'upload.status': '', 'upload.error': describeError(error) }),
        })
    },
    cancelUpload() {
      if (!this.uploadSub || this.uploadSub.closed) return
      this.uploadSub.unsubscribe() // cancels the task: the pool aborts it and frees its slot
      this.setData({ 'upload.status': 'Cancelled' })
    },

    // ---- download with progress ------------------------------------------------------------
    download() {
      if (this.downloadSub) this.downloadSub.unsubscribe()
      this.setData({ download: Object.assign(transfer(), { status: 'Downloading…' }) })
      let events = 0
      this.downloadSub = this.pool
        .download$({ url: '/files/blob?size=' + MB })
        .pipe(untilDetached(this))
        .subscribe({
          next: (event) => {
            if (event.type === 'progress') {
              events += 1
              this.setData({
                'download.percent': event.progress,
                'download.bytes': event.totalBytesWritten,
                'download.total': event.totalBytesExpectedToWrite,
                'download.events': events,
              })
            } else if (event.type === 'result') {
              this.showDownloaded(event.tempFilePath)
            }
          },
          error: (error) =>
            this.setData({ 'download.status': '', 'download.error': describeError(error) }),
        })
    },
    async showDownloaded(filePath) {
      try {
        const info = await fs.getFileInfo({ filePath })
        if (this.gone) return
        this.setData({
          'download.status': 'Done',
          'download.result': size(info.size) + ' saved to ' + filePath,
          'download.saved': info.size,
        })
      } catch (error) {
        if (!this.gone) this.setData({ 'download.error': describeError(error) })
      }
    },
    cancelDownload() {
      if (!this.downloadSub || this.downloadSub.closed) return
      this.downloadSub.unsubscribe()
      this.setData({ 'download.status': 'Cancelled' })
    },
  },
})
