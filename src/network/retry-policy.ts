// Which failed attempts are retried, and after how long. The timing itself is in
// retry-timing.ts; this file turns the caller's `retry` option into a checked policy and
// applies it to one failure.
import { argumentError, isPlainObject } from '../core/describe'
import { isAbortError, isHttpError, isTimeoutError, isWxError } from '../core/errors'
import type { RetryContext } from './request-types'
import { retryDelay } from './retry-timing'

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

/** A checked retry policy with every default filled in. */
export interface RetryPolicy {
  limit: number
  methods: string[]
  statusCodes: number[]
  delay: number
  factor: number
  maxDelay: number
  jitter: number | boolean
  maxRetryAfter: number
  random?: () => number
  shouldRetry?: RetryOptions['shouldRetry']
}

/** The defaults: two retries of idempotent methods on network failures and 408/429/5xx. */
export const DEFAULT_RETRY: RetryPolicy = {
  limit: 2,
  methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE'],
  statusCodes: [408, 429, 500, 502, 503, 504],
  delay: 300,
  factor: 2,
  maxDelay: 10000,
  jitter: false,
  maxRetryAfter: 60000,
}

function checkNumber(api: string, field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !(value >= min)) {
    throw argumentError(api, field, 'a number >= ' + min, value)
  }
  return value
}

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
  const policy: RetryPolicy = {
    limit: base.limit,
    methods: base.methods,
    statusCodes: base.statusCodes,
    delay: base.delay,
    factor: base.factor,
    maxDelay: base.maxDelay,
    jitter: base.jitter,
    maxRetryAfter: base.maxRetryAfter,
    random: base.random,
    shouldRetry: base.shouldRetry,
  }
  if (value === false) {
    policy.limit = 0
    return policy
  }
  if (typeof value === 'number') {
    if (!(value >= 0) || Math.floor(value) !== value) {
      throw argumentError(api, field, 'a whole number >= 0, false or an object', value)
    }
    policy.limit = value
    return policy
  }
  if (!isPlainObject(value)) {
    throw argumentError(api, field, 'a whole number >= 0, false or an object', value)
  }
  const o = value as RetryOptions
  if (o.limit !== undefined) {
    policy.limit = checkNumber(api, field + '.limit', o.limit, 0)
    if (Math.floor(policy.limit) !== policy.limit && policy.limit !== Infinity) {
      throw argumentError(api, field + '.limit', 'a whole number >= 0', o.limit)
    }
  }
  if (o.methods !== undefined) {
    if (!Array.isArray(o.methods) || o.methods.some((m) => typeof m !== 'string')) {
      throw argumentError(api, field + '.methods', 'an array of method names', o.methods)
    }
    policy.methods = o.methods.map((m) => m.toUpperCase())
  }
  if (o.statusCodes !== undefined) {
    if (!Array.isArray(o.statusCodes) || o.statusCodes.some((s) => typeof s !== 'number')) {
      throw argumentError(api, field + '.statusCodes', 'an array of numbers', o.statusCodes)
    }
    policy.statusCodes = o.statusCodes.slice()
  }
  if (o.delay !== undefined) policy.delay = checkNumber(api, field + '.delay', o.delay, 0)
  if (o.factor !== undefined) policy.factor = checkNumber(api, field + '.factor', o.factor, 1)
  if (o.maxDelay !== undefined) {
    policy.maxDelay = checkNumber(api, field + '.maxDelay', o.maxDelay, 0)
  }
  if (o.maxRetryAfter !== undefined) {
    policy.maxRetryAfter = checkNumber(api, field + '.maxRetryAfter', o.maxRetryAfter, 0)
  }
  if (o.jitter !== undefined) {
    if (typeof o.jitter !== 'boolean' && !(typeof o.jitter === 'number' && o.jitter >= 0)) {
      throw argumentError(api, field + '.jitter', 'a boolean or a number in [0, 1]', o.jitter)
    }
    policy.jitter = o.jitter
  }
  for (const key of ['random', 'shouldRetry'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw argumentError(api, field + '.' + key, 'a function', o[key])
    }
  }
  if (o.random) policy.random = o.random
  if (o.shouldRetry) policy.shouldRetry = o.shouldRetry
  return policy
}

// wx failures that no retry can fix.
const PERMANENT = /not supported|domain list|invalid url|parameter error|permission/i

/** Whether the defaults of `policy` retry a failure with `error` for `method`. */
export function isRetryable(policy: RetryPolicy, method: string, error: unknown): boolean {
  if (isAbortError(error)) return false
  if (policy.methods.indexOf(method) < 0) return false
  if (isHttpError(error)) return policy.statusCodes.indexOf(error.statusCode) >= 0
  if (isTimeoutError(error)) return true
  return isWxError(error) && !PERMANENT.test(error.errMsg)
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
  context.delay = retryDelay(
    context.attempt,
    {
      initial: policy.delay,
      factor: policy.factor,
      max: policy.maxDelay,
      jitter: policy.jitter,
      random: policy.random,
      maxRetryAfter: policy.maxRetryAfter,
    },
    header,
    now,
  )
  const retryable = isRetryable(policy, method, context.error)
  if (!policy.shouldRetry) return retryable
  const verdict = policy.shouldRetry({
    api: context.api,
    options: context.options,
    attempt: context.attempt,
    error: context.error,
    delay: context.delay,
    retryable,
  })
  return typeof verdict === 'boolean' ? verdict : retryable
}
