// Retry timing as pure functions: no timers, no wx, no clock of their own (the caller passes
// `now` and `random`), so the request pool and the socket share them and tests pin them down.
import { assertObject, clampDelay, hasOwn } from '../core/check'
import { isNumber, isString } from '../core/guards'

/** How the delay before a retry grows. */
export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  initial: number
  /** Multiplier per further retry (`2` doubles the delay each time). */
  factor: number
  /** Cap on the delay, in ms; jitter never pushes a delay above it. */
  max: number
  /**
   * The share of the delay that is randomised: the delay is drawn uniformly from
   * `[delay × (1 − jitter), delay]`. `true` is full jitter (`1`), `false` or `0` none.
   * @default false
   */
  jitter?: number | boolean
  /** Source of randomness in `[0, 1)`, for deterministic tests. @default Math.random */
  random?: () => number
}

function finiteOr(value: unknown, fallback: number): number {
  return isNumber(value) && isFinite(value) ? value : fallback
}

/** `value` limited to `[min, max]`; NaN becomes `min`. */
export function clamp(value: number, min: number, max: number): number {
  return value >= min ? (value > max ? max : value) : min
}

/**
 * The delay in ms before retry number `attempt` (1 = the first retry): `initial ×
 * factor^(attempt − 1)`, capped at `max`, then reduced by a random share when `jitter` is
 * set. Never negative, never above `max`, never NaN. Throws a `TypeError` when `options` is
 * not an object.
 *
 * @example
 * backoffDelay(3, { initial: 300, factor: 2, max: 10000 }) // 1200
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  assertObject('backoffDelay', options as unknown)
  const max = clamp(finiteOr(options.max, 0), 0, Infinity)
  const jitter = options.jitter === true ? 1 : clamp(+(options.jitter as number) || 0, 0, 1)
  // Math.pow may overflow to Infinity for large attempts; the cap takes care of it.
  const delay = clamp(
    clamp(finiteOr(options.initial, 0), 0, max) *
      Math.pow(
        clamp(finiteOr(options.factor, 1), 0, Infinity),
        Math.max(1, Math.floor(finiteOr(attempt, 1))) - 1,
      ),
    0,
    max,
  )
  return Math.round(
    jitter && delay
      ? delay - delay * jitter * clamp(finiteOr((options.random || Math.random)(), 0), 0, 1)
      : delay,
  )
}

/**
 * The value of header `name` in `header`, whatever the case of its key (`Retry-After`,
 * `retry-after`, `RETRY-AFTER`); `undefined` when absent. Array values give their first item.
 */
export function getHeader(header: unknown, name: string): string | undefined {
  if (typeof header == 'object' && header) {
    for (const key in header) {
      let value = (header as Record<string, unknown>)[key]
      if (Array.isArray(value)) value = value[0]
      if (
        hasOwn(header, key) &&
        key.toLowerCase() == name.toLowerCase() &&
        (isString(value) || finiteOr(value, NaN) === value)
      ) {
        return String(value)
      }
    }
  }
}

const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ')
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)'
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)'
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'
// The three forms of RFC 9110's HTTP-date (section 5.6.7), all in GMT:
//   IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT
//   RFC 850      Sunday, 06-Nov-94 08:49:37 GMT
//   asctime      Sun Nov  6 08:49:37 1994
const IMF_FIXDATE = new RegExp('^' + DAY + ', (\\d{2}) ' + MONTH + ' (\\d{4}) ' + TIME + ' GMT$')
const RFC_850 = new RegExp('^' + LONG_DAY + ', (\\d{2})-' + MONTH + '-(\\d{2}) ' + TIME + ' GMT$')
const ASCTIME = new RegExp('^' + DAY + ' ' + MONTH + ' ( \\d|\\d{2}) ' + TIME + ' (\\d{4})$')

interface DateParts {
  year: number
  month: string
  day: string
  hour: string
  minute: string
  second: string
}

// The time of `parts` in ms since the epoch, or NaN for a date that does not exist
// (31 Feb, 24:00). A leap second (:60) is read as the first second of the next minute.
function timeOf(parts: DateParts): number {
  const month = MONTHS.indexOf(parts.month.toLowerCase())
  const day = +parts.day
  const [hour, minute, second] = [+parts.hour, +parts.minute, +parts.second]
  if (hour > 23 || minute > 59 || second > 60 || day < 1) return NaN
  const midnight = Date.UTC(parts.year, month, day)
  if (new Date(midnight).getUTCDate() !== day) return NaN
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000
}

// RFC 850's two-digit year: the year with those last two digits that is not more than 50
// years in the future.
function fullYear(twoDigits: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear()
  let year = thisYear - (thisYear % 100) + twoDigits
  if (year > thisYear + 50) year -= 100
  return year
}

/**
 * The time an HTTP-date names (RFC 9110: IMF-fixdate, RFC 850 with its 50-year rule, or
 * asctime; all GMT), in ms since the epoch; NaN for anything else.
 */
export function parseHttpDate(text: string, now: number = Date.now()): number {
  let match = IMF_FIXDATE.exec(text)
  if (match) {
    const [, day, month, year, hour, minute, second] = match
    return timeOf({ year: +year, month, day, hour, minute, second })
  }
  match = RFC_850.exec(text)
  if (match) {
    const [, day, month, year, hour, minute, second] = match
    return timeOf({ year: fullYear(+year, now), month, day, hour, minute, second })
  }
  match = ASCTIME.exec(text)
  if (match) {
    const [, month, day, hour, minute, second, year] = match
    return timeOf({ year: +year, month, day: day.trim(), hour, minute, second })
  }
  return NaN
}

/**
 * The wait in ms that a `Retry-After` value asks for: delay-seconds (`"120"`; `"1.5"` is
 * read too) or an HTTP-date (`parseHttpDate`), measured from `now`, never below 0.
 * `undefined` for a missing, negative or unreadable value: the caller falls back to backoff.
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (isNumber(value)) return value >= 0 && isFinite(value) ? Math.round(value * 1000) : undefined
  if (!isString(value)) return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(+text * 1000)
  const at = parseHttpDate(text, now)
  return isFinite(at) ? Math.max(0, at - now) : undefined
}

/** What `retryDelay` needs to choose a delay. */
export interface RetryDelayOptions extends BackoffOptions {
  /** Upper bound on a server-given `Retry-After`, in ms. */
  maxRetryAfter: number
}

/**
 * The delay before retry `attempt` of a request whose failed attempt answered with
 * `header`: the server's `Retry-After` when it gave a readable one (no jitter, clamped to
 * `[0, maxRetryAfter]`), otherwise `backoffDelay(attempt, options)`; never above
 * 2147483647 ms, the longest a timer can wait.
 */
export function retryDelay(
  attempt: number,
  options: RetryDelayOptions,
  header?: unknown,
  now: number = Date.now(),
): number {
  const asked = parseRetryAfter(getHeader(header, 'retry-after'), now)
  // A timer cannot wait longer than MAX_TIMER_DELAY: engines fire longer ones at once.
  return clampDelay(
    asked === undefined
      ? backoffDelay(attempt, options)
      : clamp(asked, 0, clamp(options.maxRetryAfter, 0, Infinity)),
  )
}
