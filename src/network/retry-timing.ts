// Retry timing as pure functions: no timers, no wx, no clock of their own (the caller passes
// `now` and `random`), so the request pool and the socket share them and tests pin them down.
import { hasOwn, isNumber, isString, needObject } from '../core/check-legacy'

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
  needObject('backoffDelay', options)
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

/**
 * The wait in ms that a `Retry-After` value asks for: delay-seconds (`"120"`, `"1.5"`) or an
 * HTTP date (`"Wed, 21 Oct 2015 07:28:00 GMT"`, measured from `now`, never below 0).
 * `undefined` for a missing, negative or unreadable value.
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (isNumber(value)) return value >= 0 && isFinite(value) ? Math.round(value * 1000) : undefined
  if (!isString(value) || !(value = value.trim())) return undefined
  const text = value as string
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(+text * 1000)
  // A bare number that failed the test above (negative, "1e3") is not a date either.
  const at = /^[-+]?[\d.e]+$/i.test(text) ? NaN : Date.parse(text)
  return isFinite(at) ? Math.max(0, at - now) : undefined
}

/** What `retryDelay` needs to choose a delay. */
export interface RetryDelayOptions extends BackoffOptions {
  /** Upper bound on a server-given `Retry-After`, in ms. */
  maxRetryAfter: number
}

/**
 * The delay before retry `attempt` of a request whose failed attempt answered with
 * `header`: the server's `Retry-After` when it gave one (no jitter, clamped to
 * `[0, maxRetryAfter]`), otherwise `backoffDelay(attempt, options)`.
 */
export function retryDelay(
  attempt: number,
  options: RetryDelayOptions,
  header?: unknown,
  now: number = Date.now(),
): number {
  const asked = parseRetryAfter(getHeader(header, 'retry-after'), now)
  return asked === undefined
    ? backoffDelay(attempt, options)
    : clamp(asked, 0, clamp(options.maxRetryAfter, 0, Infinity))
}
