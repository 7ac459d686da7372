// A scripted wx for unit tests of the request pool: request/uploadFile/downloadFile return
// tasks that answer exactly when the test says so, getNetworkType answers at once (a
// microtask later, as wx does), and onNetworkStatusChange is a working registry.

type Callback = (result: any) => void

/** One scripted RequestTask/UploadTask/DownloadTask. */
export class FakeTransfer {
  aborted = false
  settled = false
  /** `Date.now()` when the test answered it. */
  endedAt = NaN
  readonly headerListeners: Callback[] = []
  readonly progressListeners: Callback[] = []
  /** `Date.now()` when the call was made (fake timers make it exact). */
  readonly at = Date.now()
  readonly task: Record<string, (...args: any[]) => void>

  constructor(
    readonly api: string,
    readonly options: Record<string, any>,
  ) {
    const remove = (list: Callback[]) => (fn: Callback) => {
      const i = list.indexOf(fn)
      if (i >= 0) list.splice(i, 1)
    }
    this.task = {
      abort: () => {
        this.aborted = true
        // wx reports an abort through `fail` later, like a real client.
        void Promise.resolve().then(() => this.fail(this.api + ':fail abort'))
      },
      onHeadersReceived: (fn: Callback) => this.headerListeners.push(fn),
      offHeadersReceived: remove(this.headerListeners),
      onProgressUpdate: (fn: Callback) => this.progressListeners.push(fn),
      offProgressUpdate: remove(this.progressListeners),
    }
  }

  /** Listeners still attached to the task. */
  get listenerCount(): number {
    return this.headerListeners.length + this.progressListeners.length
  }

  /** Answers `success` with this status (any status is a success for wx). */
  respond(statusCode = 200, data: unknown = 'ok', header: Record<string, string> = {}): void {
    if (this.settled) return
    this.settled = true
    this.endedAt = Date.now()
    const result: Record<string, unknown> = { errMsg: this.api + ':ok', statusCode }
    if (this.api === 'downloadFile') result.tempFilePath = 'wxfile://tmp_' + String(data)
    else result.data = data
    if (this.api === 'request') result.header = header
    else for (const fn of this.headerListeners.slice()) fn({ header, statusCode })
    this.options.success?.(result)
  }

  /** Answers `fail` with this errMsg. */
  fail(errMsg = this.api + ':fail -101:net::ERR_CONNECTION_RESET', errno?: number): void {
    if (this.settled) return
    this.settled = true
    this.endedAt = Date.now()
    this.options.fail?.(errno === undefined ? { errMsg } : { errMsg, errno })
  }

  progress(progress: number, total = 1000): void {
    const done = Math.round((progress * total) / 100)
    const event =
      this.api === 'uploadFile'
        ? { progress, totalBytesSent: done, totalBytesExpectedToSend: total }
        : { progress, totalBytesWritten: done, totalBytesExpectedToWrite: total }
    for (const fn of this.progressListeners.slice()) fn(event)
  }

  headers(header: Record<string, string>, statusCode = 200): void {
    for (const fn of this.headerListeners.slice()) fn({ header, statusCode })
  }
}

/** The scripted wx and what it saw. */
export interface PoolFakeWx {
  wx: Record<string, any>
  /** Every transfer started, in order. */
  transfers: FakeTransfer[]
  /** Transfers not yet answered or aborted. */
  open(): FakeTransfer[]
  /** Network listeners registered now. */
  networkListeners(): number
  /** Changes the network state and tells the listeners (unless `silent`: the event is lost). */
  setOnline(online: boolean, options?: { silent?: boolean }): void
  /** Called on each new transfer (e.g. to answer at once, synchronously). */
  onTransfer?: (t: FakeTransfer) => void
  install(): () => void
}

/** Makes the scripted wx; `online` is the state getNetworkType reports at first. */
export function createPoolFakeWx(online = true): PoolFakeWx {
  const transfers: FakeTransfer[] = []
  const listeners: Callback[] = []
  let connected = online
  const fake: PoolFakeWx = {
    wx: {},
    transfers,
    open: () => transfers.filter((t) => !t.settled && !t.aborted),
    networkListeners: () => listeners.length,
    setOnline(value, options) {
      connected = value
      if (options?.silent) return
      const event = { isConnected: value, networkType: value ? 'wifi' : 'none' }
      for (const fn of listeners.slice()) fn(event)
    },
    install() {
      const g = globalThis as { wx?: unknown }
      const previous = g.wx
      g.wx = fake.wx
      return () => {
        if (previous === undefined) delete g.wx
        else g.wx = previous
      }
    },
  }
  for (const api of ['request', 'uploadFile', 'downloadFile']) {
    fake.wx[api] = (options: Record<string, any>) => {
      const t = new FakeTransfer(api, options)
      transfers.push(t)
      fake.onTransfer?.(t)
      return t.task
    }
  }
  fake.wx.getNetworkType = (options: Record<string, any>) => {
    const networkType = connected ? 'wifi' : 'none'
    void Promise.resolve().then(() =>
      options.success?.({ errMsg: 'getNetworkType:ok', networkType }),
    )
  }
  fake.wx.onNetworkStatusChange = (fn: Callback) => listeners.push(fn)
  fake.wx.offNetworkStatusChange = (fn: Callback) => {
    const i = listeners.indexOf(fn)
    if (i >= 0) listeners.splice(i, 1)
  }
  return fake
}

/** Lets pending promise callbacks run (getNetworkType answers, wx's later fail). */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await Promise.resolve()
}
