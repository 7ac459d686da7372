// sse$: Server-Sent Events over stream$, with the reconnection of the WHATWG EventSource:
// after the stream ends or drops, wait the reconnection time (the server's `retry` or ours),
// then connect again with `Last-Event-ID`. The wait is paused while the device is offline or
// the app hidden, and ends at once when both are back.
import {
  BehaviorSubject,
  combineLatest,
  EMPTY,
  Observable,
  of,
  timer,
  type Subscription,
} from 'rxjs'
import { distinctUntilChanged, map, switchMap, take } from 'rxjs/operators'
import { check, MAX_TIMER_DELAY, type Rules } from '../core/check'
import { isHttpError, isWxError } from '../core/errors'
import type { ErrorCode } from '../core/error-code'
import { isPlainObject } from '../core/guards'
import { appVisible$ } from '../network/app-visibility'
import { isOnline$ } from '../network/network-status'
import { createSseParser, type SseEvent, type SseParser } from './sse-parser'
import { stream$, streamArgumentsError, type StreamConfig, type StreamOptions } from './stream'
import { withTextBody } from './text-streams'
import { createUtf8Decoder, type Utf8Decoder } from './utf8-decoder'

/** How `sse$` reconnects. */
export interface SseReconnectOptions {
  /** Milliseconds to wait before reconnecting, until the server sends `retry`. @default 3000 */
  delay?: number
  /**
   * Reconnections in a row that bring no event before `sse$` gives up (errors with the last
   * error, or completes if the server closed cleanly). Reconnections after the device was
   * offline or the app hidden (or a failure that says so) do not count. @default Infinity
   */
  limit?: number
}

/** Options of `sse$`: those of `stream$` plus the event stream's own. */
export type SseOptions = StreamOptions & {
  /** The `Last-Event-ID` of the first connection (e.g. kept from an earlier page). */
  lastEventId?: string
  /** Reconnection, or `false` to complete when the server closes. @default `{}` */
  reconnect?: SseReconnectOptions | false
}

const API = 'sse$'
const DEFAULT_DELAY = 3000

const SSE_RULES: Rules = {
  lastEventId: { type: 'string' },
  reconnect: {
    type: 'custom',
    test: (value) => value === false || isPlainObject(value),
    expected: 'false or an object',
  },
}

const RECONNECT_RULES: Rules = {
  delay: { type: 'number', min: 0, max: MAX_TIMER_DELAY },
  limit: { type: 'number', min: 0, integer: true, allowInfinity: true },
}

// Failures that the same request would meet again: no reconnection.
const FINAL_CODES: ErrorCode[] = [
  'ERR_ABORTED',
  'ERR_NOT_SUPPORTED',
  'ERR_NOT_IN_DOMAIN_LIST',
  'ERR_INVALID_URL',
  'ERR_INVALID_ARGUMENT',
  'ERR_INSECURE_REQUEST',
  'ERR_PERMISSION_DENIED',
]

// Failures of the device or the app, not of the server: they do not count toward `limit`.
const UNCOUNTED_CODES: ErrorCode[] = ['ERR_OFFLINE', 'ERR_INTERRUPTED']

function canReconnectAfter(error: unknown): boolean {
  return isWxError(error) && !isHttpError(error) && FINAL_CODES.indexOf(error.code) < 0
}

/** The reconnection wait of one `sse$` subscription. */
interface ReconnectGate {
  /**
   * Calls `ready(paused)` after `delay` ms, or, if the device goes offline or the app hides
   * meanwhile, as soon as both are back (`paused` true). Returns the cancel.
   */
  wait(delay: number, ready: (paused: boolean) => void): Subscription
  /** Stops following the network and the app. */
  close(): void
}

// Follows `isOnline$` and `appVisible$` from subscribe on, since the app may hide before the
// stream drops; `undefined` until the network state is known.
function createReconnectGate(): ReconnectGate {
  const mayConnect = new BehaviorSubject<boolean | undefined>(undefined)
  const watching = combineLatest([isOnline$, appVisible$])
    .pipe(
      map(([online, visible]) => online && visible),
      distinctUntilChanged(),
    )
    .subscribe((open) => mayConnect.next(open))
  return {
    wait(delay, ready) {
      let paused = false
      return mayConnect
        .pipe(
          switchMap((open) => {
            if (open === false) paused = true
            return !open ? EMPTY : paused ? of(0) : timer(delay)
          }),
          take(1),
        )
        .subscribe(() => ready(paused))
    },
    close: () => watching.unsubscribe(),
  }
}

function checkSseOptions(options: SseOptions, config: StreamConfig | undefined): void {
  const error = streamArgumentsError(API, options, config)
  if (error) throw error
  check(API, options, SSE_RULES)
  if (options.reconnect) check(API, options.reconnect, RECONNECT_RULES, 'options.reconnect.')
}

function connectionOptions(options: SseOptions, lastEventId: string): StreamOptions {
  const { lastEventId: _first, reconnect: _reconnect, ...rest } = options
  const header: Record<string, unknown> = {
    ...options.header,
    Accept: 'text/event-stream',
    'Cache-Control': 'no-cache',
  }
  if (lastEventId) header['Last-Event-ID'] = lastEventId
  return { ...rest, header }
}

/**
 * Server-Sent Events as a cold Observable of `{ type, data, lastEventId }`, parsed by the
 * WHATWG HTML event-stream rules from a chunked `wx.request` (base library 2.20.2) through the
 * request pool. When the stream ends or drops, it reconnects after the server's `retry` (or
 * `reconnect.delay`), sending `Last-Event-ID`; the wait is paused while offline or hidden.
 * Unsubscribing aborts. An HTTP status outside 2xx errors with `HttpError` (its `data` is the
 * body text) and is not retried, as EventSource does. `idleTimeout` catches a connection that
 * went silent (a keep-alive comment counts as data) and reconnects.
 *
 * @example
 * sse$({ url: 'https://api.example.com/events', idleTimeout: 30000 }).subscribe((event) => {
 *   if (event.type === 'token') answer += event.data
 * })
 */
export function sse$(options: SseOptions, config?: StreamConfig): Observable<SseEvent> {
  return new Observable<SseEvent>((subscriber) => {
    try {
      checkSseOptions(options, config)
    } catch (error) {
      subscriber.error(error)
      return undefined
    }
    const reconnect = options.reconnect === false ? undefined : options.reconnect || {}
    const limit = reconnect && reconnect.limit !== undefined ? reconnect.limit : Infinity
    let delay = reconnect && reconnect.delay !== undefined ? reconnect.delay : DEFAULT_DELAY
    // Reconnections in a row that brought no event.
    let failures = 0
    let connection: Subscription | undefined
    let waiting: Subscription | undefined
    const gate = reconnect && createReconnectGate()
    const parser: SseParser = createSseParser(
      {
        onEvent: (event) => {
          failures = 0
          subscriber.next(event)
        },
        onRetry: (milliseconds) => (delay = Math.min(milliseconds, MAX_TIMER_DELAY)),
      },
      options.lastEventId || '',
    )

    const connect = () => {
      const decoder: Utf8Decoder = createUtf8Decoder({ native: true })
      connection = stream$(connectionOptions(options, parser.lastEventId), config).subscribe({
        next: (event) => {
          if (event.type === 'chunk') parser.feed(decoder.decode(event.data, { stream: true }))
        },
        error: (error: unknown) => ended(error),
        complete: () => ended(undefined),
      })
    }

    const ended = (error: unknown) => {
      connection = undefined
      parser.reset()
      const uncounted = isWxError(error) && UNCOUNTED_CODES.indexOf(error.code) >= 0
      if (error !== undefined && !canReconnectAfter(error)) {
        subscriber.error(withTextBody(error))
      } else if (!reconnect || (failures >= limit && !uncounted)) {
        if (error !== undefined) subscriber.error(error)
        else subscriber.complete()
      } else {
        waitThenConnect(uncounted)
      }
    }

    const waitThenConnect = (uncounted: boolean) => {
      waiting = (gate as ReconnectGate).wait(delay, (paused) => {
        waiting = undefined
        // A wait the device or the app interrupted was not the server's fault.
        if (!paused && !uncounted) failures++
        connect()
      })
    }

    connect()
    return () => {
      if (waiting) waiting.unsubscribe()
      if (connection) connection.unsubscribe()
      if (gate) gate.close()
    }
  })
}
