// Which failed attempts are retried, and after how long. The timing itself is in
// retry-timing.ts; this file turns the caller's `retry` option into a checked policy and
// applies it to one failure.
import { check, checkValue, type Rules } from '../core/check'
import { isPlainObject } from '../core/describe'
import type { ErrorCode } from '../core/error-code'
import { isAbortError, isHttpError, isTimeoutError, isWxError } from '../core/errors'
import { isNumber } from '../core/guards'
import type { RetryContext } from './request-types'
import { retryDelay, type RetryDelayOptions } from './retry-timing'

/** How a pool retries failed attempts. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  limit?: number
  /**
   * Methods that are retried. A POST (and so every upload) is retried only if listed here.
   * @default ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']
   */
  methods?: string[]
  /** Response statuses that are retried. @default [408, 429, 500, 502, 503, 504] */
  statusCodes?: number[]
  /** Delay before the first retry, in ms; doubled (see `factor`) for each further one. @default 300 */
  delay?: number
  /** Growth of the delay per retry. @default 2 */
  factor?: number
  /** Cap on the backoff delay, in ms. @default 10000 */
  maxDelay?: number
  /**
   * Random share taken off each backoff delay (`true` = full jitter); never applied to a
   * server's `Retry-After`. @default false
   */
  jitter?: number | boolean
  /** Cap on a server's `Retry-After`, in ms. @default 60000 */
  maxRetryAfter?: number
  /** Source of randomness for jitter, for deterministic tests. @default Math.random */
  random?: () => number
  /**
   * Decides a retry the defaults would not make (or refuses one they would): return `true` or
   * `false`, or nothing to keep the default. Never called for aborts or past `limit`.
   */
  shouldRetry?: (context: RetryContext & { retryable: boolean }) => boolean | void
}

/** A checked retry policy with every default filled in (named as `retryDelay` reads them). */
export interface RetryPolicy extends RetryDelayOptions {
  limit: number
  methods: string[]
  statusCodes: number[]
  jitter: number | boolean
  shouldRetry?: RetryOptions['shouldRetry']
}

/** The defaults: two retries of idempotent methods on network failures and 408/429/5xx. */
export const DEFAULT_RETRY: RetryPolicy = {
  limit: 2,
  methods: 'GET HEAD OPTIONS PUT DELETE TRACE'.split(' '),
  statusCodes: [408, 429, 500, 502, 503, 504],
  initial: 300,
  factor: 2,
  max: 10000,
  jitter: false,
  maxRetryAfter: 60000,
}

const WHOLE = { type: 'number', min: 0, integer: true } as const
// Delays may be Infinity ("no cap"); the timers clamp what they wait to MAX_TIMER_DELAY.
const DELAY = { type: 'number', min: 0, allowInfinity: true } as const

const RULES: Rules = {
  limit: WHOLE,
  methods: { type: 'array', items: { type: 'string' } },
  statusCodes: { type: 'array', items: { type: 'number' } },
  delay: DELAY,
  factor: { type: 'number', min: 1 },
  maxDelay: DELAY,
  maxRetryAfter: DELAY,
  jitter: {
    type: 'custom',
    test: (v) => typeof v == 'boolean' || (isNumber(v) && v >= 0),
    expected: 'a boolean or a number in [0, 1]',
  },
  random: { type: 'function' },
  shouldRetry: { type: 'function' },
}

const RETRY_VALUE = {
  type: 'custom',
  test: (v: unknown) => v === false || isPlainObject(v) || (isNumber(v) && v >= 0 && v % 1 === 0),
  expected: 'a whole number >= 0, false or an object',
} as const

/**
 * `base` with the caller's `retry` option applied (a number is the limit, `false` no
 * retries); throws a `TypeError` naming `api` and the field for a bad value.
 */
export function resolveRetry(
  api: string,
  value: unknown,
  base: RetryPolicy,
  field = 'options.retry',
): RetryPolicy {
  if (value === undefined) return base
  const policy = { ...base } as RetryPolicy & Record<string, unknown>
  checkValue(api, field, value, RETRY_VALUE)
  if (value === false) value = 0
  if (isNumber(value)) policy.limit = value
  else {
    const given = value as Record<string, any>
    check(api, given, RULES, field + '.')
    for (const key in RULES) {
      if (given[key] !== undefined) {
        policy[key == 'delay' ? 'initial' : key == 'maxDelay' ? 'max' : key] = given[key]
      }
    }
    if (given.methods) policy.methods = given.methods.map((m: string) => m.toUpperCase())
    if (given.statusCodes) policy.statusCodes = given.statusCodes.slice()
  }
  return policy
}

// Failures that no retry can fix (codes of the one classifier, error-code.ts).
const PERMANENT: ErrorCode[] = [
  'ERR_NOT_SUPPORTED',
  'ERR_NOT_IN_DOMAIN_LIST',
  'ERR_INVALID_URL',
  'ERR_INVALID_ARGUMENT',
  'ERR_PERMISSION_DENIED',
  'ERR_INSECURE_REQUEST',
  'ERR_ABORTED',
]

/** Whether the defaults of `policy` retry a failure with `error` for `method`. */
export function isRetryable(policy: RetryPolicy, method: string, error: unknown): boolean {
  return (
    !isAbortError(error) &&
    policy.methods.indexOf(method) >= 0 &&
    (isHttpError(error)
      ? policy.statusCodes.indexOf(error.statusCode) >= 0
      : isTimeoutError(error) || (isWxError(error) && PERMANENT.indexOf(error.code) < 0))
  )
}

/**
 * Decides whether the failed attempt described by `context` (whose `attempt` is the retry
 * that would follow) is retried, and sets `context.delay`. Aborts and attempts past `limit`
 * are never retried; otherwise `shouldRetry` may overrule the defaults.
 */
export function decideRetry(
  policy: RetryPolicy,
  method: string,
  context: RetryContext,
  header: unknown,
  now: number,
): boolean {
  if (isAbortError(context.error) || context.attempt > policy.limit) return false
  context.delay = retryDelay(context.attempt, policy, header, now)
  const retryable = isRetryable(policy, method, context.error)
  const verdict = policy.shouldRetry && policy.shouldRetry({ ...context, retryable })
  return typeof verdict == 'boolean' ? verdict : retryable
}
