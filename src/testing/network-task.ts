// The life of one request/upload/download task in the host: a slot among the concurrent
// tasks, a timeout timer, the HTTP exchange (with redirects), and exactly one outcome.
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { HostFail, type HostContext, type Settle } from './context'

/** errno of WeChat's network errors (the `06xxxxx` family). */
export const ERRNO = {
  /** A network-stack error, `-<code>:net::ERR_<NAME>` (Chromium's net errors). */
  cronet: 600001,
  /** The app went to the background and the task did not finish within 5 s. */
  interrupted: 600003,
  /** More tasks than the concurrent limit. */
  exceedMaxTaskCount: 600007,
  /** Too many redirects. */
  maxRedirects: 600008,
  /** The URL is not a valid http(s) URL. */
  invalidUrl: 600009,
} as const

/** The fail reason of every HTTP task started while the device is offline. */
export const OFFLINE_REASON = '-106:net::ERR_INTERNET_DISCONNECTED'

// Node's socket error codes as the Chromium net errors WeChat's Android client reports.
const NET_ERRORS: Record<string, string> = {
  ECONNREFUSED: '-102:net::ERR_CONNECTION_REFUSED',
  ECONNRESET: '-101:net::ERR_CONNECTION_RESET',
  EPIPE: '-101:net::ERR_CONNECTION_RESET',
  ENOTFOUND: '-105:net::ERR_NAME_NOT_RESOLVED',
  EAI_AGAIN: '-105:net::ERR_NAME_NOT_RESOLVED',
  ETIMEDOUT: '-118:net::ERR_CONNECTION_TIMED_OUT',
  EHOSTUNREACH: '-109:net::ERR_ADDRESS_UNREACHABLE',
  ENETUNREACH: '-109:net::ERR_ADDRESS_UNREACHABLE',
  ECONNABORTED: '-100:net::ERR_CONNECTION_CLOSED',
}

/** The WeChat fail reason for a Node network error. */
export function netErrorReason(error: unknown): string {
  const code = (error as { code?: string } | null)?.code
  if (code && NET_ERRORS[code]) return NET_ERRORS[code]
  if (error instanceof Error && /socket hang up|aborted/i.test(error.message)) {
    return '-100:net::ERR_CONNECTION_CLOSED'
  }
  return '-2:net::ERR_FAILED'
}

/** Listeners of one task event (`onProgressUpdate`, ...): `off(fn)` removes one, `off()` all. */
export class TaskEvent<T> {
  private readonly listeners: ((payload: T) => void)[] = []

  /** Adds `listener` (anything but a function is ignored, as WeChat does). */
  on(listener: unknown): void {
    if (typeof listener === 'function') this.listeners.push(listener as (payload: T) => void)
  }

  /** Removes `listener`, or every listener when called without one. */
  off(listener?: unknown): void {
    if (listener === undefined) this.listeners.length = 0
    else {
      const i = this.listeners.indexOf(listener as (payload: T) => void)
      if (i >= 0) this.listeners.splice(i, 1)
    }
  }

  /** How many listeners are attached. */
  get size(): number {
    return this.listeners.length
  }

  /** Calls every listener with `payload`, in the order they were added. */
  emit(payload: T): void {
    for (const listener of this.listeners.slice()) listener(payload)
  }
}

/** The counters and limits shared by every HTTP task of one host. */
export class HttpTaskPool {
  readonly running = new Set<HttpTask>()
  /** Tasks that reached the network since start or `resetStats()`. */
  started = 0
  /** The largest number of tasks in flight at once since start or `resetStats()`. */
  maxInFlight = 0
  /** True once the app has been in the background longer than the grace period. */
  suspended = false
  // WeChat clients keep connections alive between requests; so does the host (close()
  // destroys the agents, and with them every idle connection).
  readonly httpAgent = new HttpAgent({ keepAlive: true })
  readonly httpsAgent = new HttpsAgent({ keepAlive: true })

  constructor(
    readonly ctx: HostContext,
    public maxConcurrent: number,
    readonly defaultTimeout: number,
  ) {}

  /**
   * Starts a task of `api`, or fails `settle` the way WeChat refuses one (offline, suspended in
   * the background, over the concurrent limit) and returns undefined.
   */
  begin(api: string, settle: Settle<any>, timeout: unknown): HttpTask | undefined {
    if (!this.ctx.network.isConnected) {
      settle.fail(OFFLINE_REASON, ERRNO.cronet)
      return undefined
    }
    if (this.suspended) {
      settle.fail('interrupted', ERRNO.interrupted)
      return undefined
    }
    if (this.running.size >= this.maxConcurrent) {
      settle.fail('exceed max task count', ERRNO.exceedMaxTaskCount)
      return undefined
    }
    const ms = typeof timeout === 'number' && timeout > 0 ? timeout : this.defaultTimeout
    const task = new HttpTask(this, api, settle, ms)
    this.running.add(task)
    this.started += 1
    this.maxInFlight = Math.max(this.maxInFlight, this.running.size)
    return task
  }

  /** Fails every running task with `reason` (going offline, background, host closing). */
  failAll(reason: string, errno?: number): void {
    for (const task of [...this.running]) task.fail(reason, errno)
  }
}

/** A request that `HttpTask.send` makes. */
export interface HttpTarget {
  url: string
  method: string
  headers: Record<string, string>
  body?: Buffer
}

/** One running request/upload/download: owns its slot, timer, HTTP request and outcome. */
export class HttpTask {
  /** True once the task succeeded or failed. */
  done = false
  private req: ClientRequest | undefined
  private readonly cleanups: (() => void)[] = []
  private readonly stopTimer: () => void
  private readonly untrack: () => void

  constructor(
    private readonly pool: HttpTaskPool,
    readonly api: string,
    private readonly settle: Settle<any>,
    timeout: number,
  ) {
    this.stopTimer = pool.ctx.setTimer(() => this.fail('timeout'), timeout)
    this.untrack = pool.ctx.track({ close: () => this.fail('host closed') })
  }

  /** Runs `fn` if the task fails (removes a partial download, closes a file stream). */
  onFail(fn: () => void): void {
    this.cleanups.push(fn)
  }

  /** Succeeds with `result` (WeChat's success shape, `errMsg` added by the host). */
  ok(result: object): void {
    if (this.done) return
    this.finish()
    this.settle.ok(result)
  }

  /** Fails with `<api>:fail <reason>`, destroying the connection and running the cleanups. */
  fail(reason: string, errno?: number): void {
    if (this.done) return
    this.finish()
    this.req?.destroy()
    for (const fn of this.cleanups.splice(0)) {
      try {
        fn()
      } catch {
        // cleanup is best effort; the outcome is already decided
      }
    }
    this.settle.fail(reason, errno)
  }

  private finish(): void {
    this.done = true
    this.stopTimer()
    this.untrack()
    this.pool.running.delete(this)
  }

  /**
   * Sends `target` and calls `onResponse` with the final response. Redirects are followed
   * (at most `maxRedirects`; 301/302/303 turn into GET without a body) unless `follow` is false.
   * Network errors fail the task. Returns the request so the caller can stream a body into it
   * (`target.body` undefined and `stream` true).
   */
  send(
    target: HttpTarget,
    onResponse: (res: IncomingMessage, url: string) => void,
    options: { follow?: boolean; stream?: boolean; maxRedirects?: number } = {},
  ): ClientRequest | undefined {
    if (this.done) return undefined
    let url: URL
    try {
      url = new URL(target.url)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol')
    } catch {
      this.fail('invalid url ' + JSON.stringify(target.url), ERRNO.invalidUrl)
      return undefined
    }
    const headers: Record<string, string> = { ...target.headers }
    if (target.body) headers['content-length'] = String(target.body.length)
    const https = url.protocol === 'https:'
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: target.method,
      headers,
      agent: https ? this.pool.httpsAgent : this.pool.httpAgent,
    })
    this.req = req
    req.on('error', (error) => this.fail(netErrorReason(error), ERRNO.cronet))
    req.on('response', (res) => {
      if (this.done) {
        res.resume()
        return
      }
      const status = res.statusCode ?? 0
      const location = res.headers.location
      const redirect = options.follow !== false && status >= 300 && status < 400 && location
      if (!redirect) {
        res.on('error', (error) => this.fail(netErrorReason(error), ERRNO.cronet))
        res.on('aborted', () => this.fail('-100:net::ERR_CONNECTION_CLOSED', ERRNO.cronet))
        onResponse(res, url.href)
        return
      }
      res.resume()
      const left = options.maxRedirects ?? 10
      if (left <= 0) {
        this.fail('reach the max redirect count', ERRNO.maxRedirects)
        return
      }
      const toGet =
        status === 303 || ((status === 301 || status === 302) && target.method !== 'HEAD')
      const next: HttpTarget = {
        url: new URL(location, url).href,
        method: toGet ? 'GET' : target.method,
        headers: { ...target.headers },
        body: toGet ? undefined : target.body,
      }
      if (toGet) {
        for (const name of Object.keys(next.headers)) {
          if (/^content-(type|length)$/i.test(name)) delete next.headers[name]
        }
      }
      this.send(next, onResponse, { ...options, maxRedirects: left - 1 })
    })
    if (target.body) req.end(target.body)
    else if (!options.stream) req.end()
    return req
  }
}

/** The members every RequestTask, UploadTask and DownloadTask has. */
export interface HostTaskBase {
  abort(): void
  onHeadersReceived(listener: (result: object) => void): void
  offHeadersReceived(listener?: (result: object) => void): void
}

/**
 * Makes `abort` and the headers-received pair of a task named `name` (`RequestTask`, ...);
 * `abort` is logged in the call log and then calls `onAbort`.
 */
export function taskBase(
  ctx: HostContext,
  name: string,
  onAbort: () => void,
): { members: HostTaskBase; headers: TaskEvent<object> } {
  const headers = new TaskEvent<object>()
  return {
    headers,
    members: {
      abort: () => {
        ctx.log(name + '.abort', [])
        onAbort()
      },
      onHeadersReceived: (listener) => headers.on(listener),
      offHeadersReceived: (listener) => headers.off(listener),
    },
  }
}

/** Fails the running task, or the call when no task was started, with `error`'s reason. */
export function failTaskOrCall(error: unknown, task: HttpTask | undefined, settle: Settle): void {
  const reason =
    error instanceof HostFail
      ? error.reason
      : error instanceof Error
        ? error.message
        : String(error)
  const errno = error instanceof HostFail ? error.errno : undefined
  if (task) task.fail(reason, errno)
  else settle.fail(reason, errno)
}
