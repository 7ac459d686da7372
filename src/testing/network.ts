// The HTTP part of the host: wx.request through Node's http/https, the limits WeChat puts on
// concurrent tasks, and what happens to them offline and in the background. uploadFile and
// downloadFile live in network-transfer.ts and share the same pool of task slots.
import type { IncomingMessage } from 'node:http'
import { HostFail, type HostContext, type HostNetworkStatus } from './context'
import { encodeRequest, incomingHeaders, outgoingHeaders, toArrayBuffer } from './network-encoding'
import {
  ERRNO,
  failTaskOrCall,
  HttpTaskPool,
  OFFLINE_REASON,
  taskBase,
  type HttpTask,
} from './network-task'
import { parameterError } from './params'
import { installTransfers } from './network-transfer'
import {
  ChunkedResponses,
  type ChunkedHostControls,
  type ChunkedHostOptions,
} from './network-chunked'

/** Options of the network part of the host (`createWxHost({ http })`). */
export interface NetworkHostOptions {
  /**
   * The most request/uploadFile/downloadFile tasks in flight at once; one more fails with
   * `<api>:fail exceed max task count` (errno 600007), as WeChat does.
   * @default 10
   */
  maxConcurrent?: number
  /**
   * The timeout of a task that passes none, in ms (app.json's `networkTimeout`).
   * @default 60000
   */
  timeout?: number
  /**
   * How long a task may keep running after `host.hide()` before it fails with `interrupted`
   * (errno 600003); after it, new tasks fail the same way until `host.show()`.
   * @default 5000
   */
  backgroundGrace?: number
  /**
   * What the host sends as `Referer` (WeChat sets it; pages cannot).
   * @default 'https://servicewechat.com/touristappid/devtools/page-frame.html'
   */
  referer?: string
  /** Chunked responses: base-library support and a seeded re-split of the chunks. */
  chunked?: ChunkedHostOptions
}

/** Test controls of request/uploadFile/downloadFile (`host.http`). */
export interface NetworkHostControls {
  /** Tasks on the wire right now. */
  readonly inFlight: number
  /** The largest `inFlight` seen since start or `resetStats()`. */
  readonly maxInFlight: number
  /** Tasks that reached the network since start or `resetStats()` (refused ones not counted). */
  readonly started: number
  /** The concurrent limit; assignable. */
  maxConcurrent: number
  /** Sets `maxInFlight` to the current `inFlight` and `started` to 0. */
  resetStats(): void
  /** Chunked responses: support knob, re-split seed, listeners left. */
  readonly chunked: ChunkedHostControls
}

const METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT']

function decodeBody(body: Buffer, responseType: unknown, dataType: unknown): unknown {
  if (responseType === 'arraybuffer') return toArrayBuffer(body)
  const text = body.toString('utf8')
  if (dataType !== undefined && dataType !== 'json') return text
  try {
    return JSON.parse(text)
  } catch {
    // WeChat hands the raw text over when the body is not JSON
    return text
  }
}

/** Adds `request`, `uploadFile`, `downloadFile` to `ctx.wx`; returns `host.http`. */
export function installNetwork(ctx: HostContext, options: NetworkHostOptions): NetworkHostControls {
  const pool = new HttpTaskPool(ctx, options.maxConcurrent ?? 10, options.timeout ?? 60000)
  const referer =
    options.referer ?? 'https://servicewechat.com/touristappid/devtools/page-frame.html'
  const grace = options.backgroundGrace ?? 5000
  let stopGrace: (() => void) | undefined
  const chunked = new ChunkedResponses(options.chunked)

  ctx.onHost('hide', () => {
    stopGrace?.()
    stopGrace = ctx.setTimer(() => {
      stopGrace = undefined
      pool.suspended = true
      pool.failAll('interrupted', ERRNO.interrupted)
    }, grace)
  })
  ctx.onHost('show', () => {
    stopGrace?.()
    stopGrace = undefined
    pool.suspended = false
  })
  ctx.onHost('network', (status) => {
    // A phone that loses its network loses the requests on the wire with it.
    if (!(status as HostNetworkStatus).isConnected) pool.failAll(OFFLINE_REASON, ERRNO.cronet)
  })
  ctx.track({
    close: () => {
      pool.httpAgent.destroy()
      pool.httpsAgent.destroy()
      chunked.clear()
    },
  })

  ctx.defineAsync(
    'request',
    (opts, settle) => {
      let task: HttpTask | undefined
      const base = taskBase(ctx, 'RequestTask', () => task?.fail('abort'))
      const chunks = chunked.attach(opts.enableChunked)
      const requestTask = { ...base.members, ...chunks.members }
      try {
        if (typeof opts.url !== 'string') throw parameterError('url', 'String', opts.url)
        const method = String(opts.method ?? 'GET').toUpperCase()
        if (!METHODS.includes(method)) throw new HostFail('method is invalid')
        task = pool.begin('request', settle, opts.timeout)
        if (!task) return requestTask
        const running = task
        const headers = outgoingHeaders(opts.header)
        headers['Referer'] = referer
        const encoded = encodeRequest(method, opts.url, opts.data, headers)
        const follow = opts.redirect !== 'manual'
        running.send(
          { url: encoded.url, method, headers, body: encoded.body },
          (res: IncomingMessage) => {
            const { header, cookies } = incomingHeaders(res.rawHeaders)
            const statusCode = res.statusCode ?? 0
            base.headers.emit({ header, statusCode, cookies })
            const parts: Buffer[] = []
            res.on('data', (chunk: Buffer) => {
              parts.push(chunk)
              if (chunks.body) chunks.body.write(chunk)
            })
            res.on('end', () => {
              const body = Buffer.concat(parts)
              running.ok({
                data: decodeBody(body, opts.responseType, opts.dataType),
                statusCode,
                header,
                cookies,
                profile: {},
              })
            })
          },
          { follow },
        )
      } catch (error) {
        failTaskOrCall(error, task, settle)
      }
      return requestTask
    },
    { promise: false },
  )

  installTransfers(ctx, pool, referer)

  return {
    get inFlight() {
      return pool.running.size
    },
    get maxInFlight() {
      return pool.maxInFlight
    },
    get started() {
      return pool.started
    },
    get maxConcurrent() {
      return pool.maxConcurrent
    },
    set maxConcurrent(value: number) {
      pool.maxConcurrent = value
    },
    chunked: chunked.controls,
    resetStats() {
      pool.maxInFlight = pool.running.size
      pool.started = 0
    },
  }
}
