// A scripted wx for unit tests of the socket and the network status: every SocketTask event
// and every network answer happens exactly when the test says so.

type Listener = (payload: any) => void

/** One scripted SocketTask. */
export class FakeTask {
  readonly listeners: Record<'open' | 'message' | 'error' | 'close', Listener[]> = {
    open: [],
    message: [],
    error: [],
    close: [],
  }
  /** Data handed to `send`, in order. */
  readonly sent: (string | ArrayBuffer)[] = []
  /** Options of each `close` call. */
  readonly closeCalls: { code?: number; reason?: string }[] = []
  /** When set, `send` calls `fail` (later) with this errMsg instead of recording. */
  failSends: string | undefined
  /** Send fail callbacks held back until `deliverSendFailures()`. */
  private readonly pendingFails: (() => void)[] = []

  readonly task: WechatMiniprogram.SocketTask

  constructor(readonly options: Record<string, any>) {
    const on = (name: keyof FakeTask['listeners']) => (fn: Listener) => {
      this.listeners[name].push(fn)
    }
    this.task = {
      onOpen: on('open'),
      onMessage: on('message'),
      onError: on('error'),
      onClose: on('close'),
      send: (option: { data: string | ArrayBuffer; fail?: Listener }) => {
        if (this.failSends !== undefined) {
          const errMsg = 'sendSocketMessage:fail ' + this.failSends
          this.pendingFails.push(() => option.fail?.({ errMsg }))
          return
        }
        this.sent.push(option.data)
      },
      close: (option: { code?: number; reason?: string }) => {
        this.closeCalls.push({ code: option.code, reason: option.reason })
      },
    } as unknown as WechatMiniprogram.SocketTask
  }

  /** Listeners attached so far, all events together. */
  get listenerCount(): number {
    const l = this.listeners
    return l.open.length + l.message.length + l.error.length + l.close.length
  }

  open(): void {
    for (const fn of this.listeners.open) fn({ header: {}, profile: {} })
  }
  message(data: string | ArrayBuffer): void {
    for (const fn of this.listeners.message) fn({ data })
  }
  error(errMsg = 'abnormal closure'): void {
    for (const fn of this.listeners.error) fn({ errMsg })
  }
  close(code = 1000, reason = ''): void {
    for (const fn of this.listeners.close) fn({ code, reason })
  }
  /** Calls the `fail` callbacks of the sends made while `failSends` was set. */
  deliverSendFailures(): void {
    for (const fn of this.pendingFails.splice(0)) fn()
  }
}

/** The scripted wx and its controls. */
export interface FakeWx {
  wx: Record<string, any>
  tasks: FakeTask[]
  /** The newest task. */
  readonly last: FakeTask
  /** Pending `getNetworkType` calls; answer them with `answerNetworkType`. */
  readonly networkTypeCalls: number
  /** Answers every pending getNetworkType: with a type, or a failure when `fail` is set. */
  answerNetworkType(networkType?: string, fail?: boolean): void
  /** Fires onNetworkStatusChange listeners. */
  changeNetwork(isConnected: boolean, networkType?: string): void
  /** onNetworkStatusChange listeners registered now. */
  readonly networkListeners: Listener[]
  /** Handlers passed to offNetworkStatusChange, in order. */
  readonly offCalls: unknown[]
  /** What connectSocket does: return a task (default), or call `fail` later with errMsg. */
  connectFails: string | undefined
  install(): () => void
}

/** Makes a scripted wx. `getNetworkType` waits for `answerNetworkType` unless `autoNetwork`. */
export function createFakeWx(autoNetwork: string | false = 'wifi'): FakeWx {
  const tasks: FakeTask[] = []
  const networkListeners: Listener[] = []
  const offCalls: unknown[] = []
  let pending: { success?: Listener; fail?: Listener }[] = []
  let networkTypeCalls = 0
  const fake: FakeWx = {
    wx: {
      connectSocket(options: Record<string, any>) {
        if (fake.connectFails !== undefined) {
          const errMsg = 'connectSocket:fail ' + fake.connectFails
          void Promise.resolve().then(() => options.fail?.({ errMsg }))
          return undefined
        }
        const task = new FakeTask(options)
        tasks.push(task)
        void Promise.resolve().then(() => options.success?.({ errMsg: 'connectSocket:ok' }))
        return task.task
      },
      getNetworkType(options: { success?: Listener; fail?: Listener }) {
        networkTypeCalls += 1
        if (autoNetwork) {
          void Promise.resolve().then(() =>
            options.success?.({ networkType: autoNetwork, errMsg: 'getNetworkType:ok' }),
          )
        } else pending.push(options)
      },
      onNetworkStatusChange(fn: Listener) {
        networkListeners.push(fn)
      },
      offNetworkStatusChange(fn: Listener) {
        offCalls.push(fn)
        const i = networkListeners.indexOf(fn)
        if (i >= 0) networkListeners.splice(i, 1)
      },
    },
    tasks,
    get last() {
      return tasks[tasks.length - 1]
    },
    get networkTypeCalls() {
      return networkTypeCalls
    },
    answerNetworkType(networkType = 'wifi', fail = false) {
      const calls = pending
      pending = []
      for (const o of calls) {
        if (fail) o.fail?.({ errMsg: 'getNetworkType:fail system error' })
        else o.success?.({ networkType, errMsg: 'getNetworkType:ok' })
      }
    },
    changeNetwork(isConnected, networkType = isConnected ? 'wifi' : 'none') {
      for (const fn of networkListeners.slice()) fn({ isConnected, networkType })
    },
    networkListeners,
    offCalls,
    connectFails: undefined,
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
  return fake
}

/** Lets promise callbacks (wx's "later") run. */
export async function flush(times = 3): Promise<void> {
  for (let i = 0; i < times; i += 1) await Promise.resolve()
}
