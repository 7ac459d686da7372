// stream$: a chunked HTTP response as a cold Observable, built on the request pool's public
// contract (`request$` with `onHeadersReceived` and `onChunkReceived`), so priority, hooks,
// allowedHosts and https-only apply, and the call holds a slot while it streams.
import { Observable, type Subscription } from 'rxjs'
import { optionsError, MAX_TIMER_DELAY, type Rules } from '../core/check'
import { failure, HttpError, isHttpError, TimeoutError } from '../core/errors'
import { isFunction, isNumber, isPlainObject } from '../core/guards'
import { getDefaultRequestPool } from '../network/request'
import type { RequestPool } from '../network/request-pool'
import type { HeadersEvent, RequestOptions } from '../network/request-types'

/** A chunk of the response body, as it arrived. */
export interface StreamChunkEvent {
  /** Discriminant. */
  type: 'chunk'
  /** The bytes; a chunk may end anywhere, inside a UTF-8 character or a line end. */
  data: ArrayBuffer
}

/** What `stream$` emits: one headers event first, then the body's chunks. */
export type StreamEvent = HeadersEvent | StreamChunkEvent

/**
 * Options of `stream$`: those of `request$` (retry off unless given; `responseType` is
 * always `arraybuffer`), plus an idle timeout.
 */
export type StreamOptions = Omit<RequestOptions, 'onChunkReceived' | 'responseType'> & {
  /**
   * Milliseconds without a headers event or a chunk after which the stream errors with
   * `TimeoutError` and its task is aborted (iOS gives no callback at all when the network
   * drops mid-stream). Counts from subscribe, time queued in the pool included. @default none
   */
  idleTimeout?: number
}

/** Where a stream is sent. */
export interface StreamConfig {
  /** The pool the call goes through. @default the default pool (`getDefaultRequestPool()`) */
  pool?: RequestPool
}

const API = 'stream$'
// The most of an unaccepted response's body kept for its HttpError.
const MAX_ERROR_BODY = 65536

const OPTION_RULES: Rules = {
  url: { type: 'string', nonEmpty: true, required: true },
  idleTimeout: { type: 'number', min: 0, exclusiveMin: true, max: MAX_TIMER_DELAY },
}

const CONFIG_RULES: Rules = {
  pool: {
    type: 'custom',
    test: (value) => isPlainObject(value) && isFunction(value.request$),
    expected: 'a RequestPool',
  },
}

/** The `TypeError` for bad `stream$`-style arguments of `api`, or `undefined`. */
export function streamArgumentsError(
  api: string,
  options: unknown,
  config: unknown,
): TypeError | undefined {
  return (
    optionsError(api, options, OPTION_RULES) ||
    optionsError(api, config, CONFIG_RULES, { name: 'config', optional: true })
  )
}

// The first bytes of a body, up to a limit, for the HttpError of an unaccepted status.
function createBodyKeeper() {
  const parts: Uint8Array[] = []
  let size = 0
  return {
    keep(data: ArrayBuffer) {
      const room = MAX_ERROR_BODY - size
      if (room <= 0) return
      const bytes = new Uint8Array(data, 0, Math.min(room, data.byteLength))
      parts.push(new Uint8Array(bytes))
      size += bytes.length
    },
    body(): ArrayBuffer | undefined {
      if (!parts.length) return undefined
      const out = new Uint8Array(size)
      let at = 0
      for (const part of parts) {
        out.set(part, at)
        at += part.length
      }
      return out.buffer
    },
  }
}

function withBody(error: HttpError, body: ArrayBuffer | undefined): HttpError {
  if (body === undefined) return error
  return new HttpError({
    api: error.api,
    statusCode: error.statusCode,
    data: body,
    header: error.header,
    request: error.request,
    cause: error.cause,
  })
}

function accept2xx(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300
}

// A timer restarted by each sign of life; `undefined` milliseconds is no timer at all.
function createIdleTimer(milliseconds: number | undefined, onIdle: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const stop = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
  }
  return {
    stop,
    restart() {
      if (milliseconds === undefined) return
      stop()
      timer = setTimeout(() => {
        timer = undefined
        onIdle()
      }, milliseconds)
    },
  }
}

function idleError(milliseconds: number): TimeoutError {
  return failure('request', 'timeout', {
    detail: 'no data for ' + milliseconds + ' ms (idleTimeout)',
    type: TimeoutError,
  }) as TimeoutError
}

/**
 * A streamed HTTP response (`wx.request` with `enableChunked`, base library 2.20.2) as a cold
 * Observable: one `{ type: 'headers', header, statusCode }` event, then `{ type: 'chunk',
 * data }` for each piece of the body as it arrives, then complete. Unsubscribing aborts the
 * task. The call goes through the default pool (or `config.pool`) and holds a slot while it
 * streams; it is not retried unless `options.retry` says so, and never after its first chunk.
 * A status outside 2xx (or refused by `validateStatus`) errors with `HttpError` whose `data` is
 * the body read so far (an ArrayBuffer, at most 64 KB); a client without chunked support
 * errors with code `ERR_NOT_SUPPORTED`; bad options error with a `TypeError`.
 *
 * @example
 * stream$({ url: 'https://api.example.com/export', idleTimeout: 15000 }).subscribe((event) => {
 *   if (event.type === 'chunk') console.log('got', event.data.byteLength, 'bytes')
 * })
 */
export function stream$(options: StreamOptions, config?: StreamConfig): Observable<StreamEvent> {
  return new Observable<StreamEvent>((subscriber) => {
    const argumentError = streamArgumentsError(API, options, config)
    if (argumentError) {
      subscriber.error(argumentError)
      return undefined
    }
    const pool = (config && config.pool) || getDefaultRequestPool()
    const { idleTimeout, ...rest } = options
    const validate = options.validateStatus || accept2xx
    let kept = createBodyKeeper()
    let headersSent = false
    let statusKnown = false
    let refused = false
    const idle = createIdleTimer(idleTimeout, () => {
      call.unsubscribe()
      subscriber.error(idleError(idleTimeout as number))
    })
    const sendHeaders = (event: HeadersEvent) => {
      if (headersSent) return
      headersSent = true
      subscriber.next(event)
    }
    const onHeadersReceived = (event: HeadersEvent) => {
      idle.restart()
      if (options.onHeadersReceived) options.onHeadersReceived(event)
      statusKnown = isNumber(event.statusCode)
      refused = statusKnown && !validate(event.statusCode as number)
      // A retried attempt starts a new body.
      kept = createBodyKeeper()
      // The body of a refused status is the error's, not the stream's.
      if (!refused) sendHeaders(event)
    }
    const onChunkReceived = (data: ArrayBuffer) => {
      idle.restart()
      if (!statusKnown || refused) kept.keep(data)
      if (refused) return
      sendHeaders({ type: 'headers', header: {} })
      subscriber.next({ type: 'chunk', data })
    }

    idle.restart()
    const call: Subscription = pool
      .request$<ArrayBuffer>({
        ...rest,
        responseType: 'arraybuffer',
        retry: options.retry === undefined ? false : options.retry,
        onHeadersReceived,
        onChunkReceived,
      })
      .subscribe({
        next: (result) => {
          sendHeaders({
            type: 'headers',
            header: result.header || {},
            statusCode: result.statusCode,
          })
        },
        error: (error: unknown) => {
          idle.stop()
          subscriber.error(isHttpError(error) ? withBody(error, kept.body()) : error)
        },
        complete: () => {
          idle.stop()
          subscriber.complete()
        },
      })
    return () => {
      idle.stop()
      call.unsubscribe()
    }
  })
}
