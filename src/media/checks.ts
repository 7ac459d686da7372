// Table-driven checks of what callers give the media APIs, so each API lists its fields and
// rules instead of a page of ifs. Every failure is a TypeError naming the API and the field.
import { argumentError, isPlainObject } from '../core/describe'

/** A rule: the test a value must pass, the words for the message, and whether it is required. */
export type Rule = [test: (value: any) => boolean, expected: string, required?: 1]

const is = (type: string): Rule => [(v) => typeof v === type, 'a ' + type]

/** `true` or `false`. */
export const BOOLEAN = is('boolean')
/** Any string. */
export const TEXT = is('string')
/** A required non-empty string (a path, a URL, a title). */
export const PATH: Rule = [(v) => typeof v === 'string' && v !== '', 'a non-empty string', 1]

/**
 * A finite number from `min` (excluded when `above`) up to `max`, a whole one when `whole`;
 * the message gives the interval: ``a number in (0, 600000]``.
 */
export function num(min: number, max: number, above?: 0 | 1, whole?: 1): Rule {
  return [
    (v) =>
      typeof v === 'number' &&
      (above ? v > min : v >= min) &&
      v <= max &&
      isFinite(v) &&
      (!whole || v % 1 === 0),
    'a ' +
      (whole ? 'whole ' : '') +
      'number in ' +
      (above ? '(' : '[') +
      min +
      ', ' +
      max +
      (max < Infinity ? ']' : ')'),
  ]
}

/** A finite number above 0 (timeouts, lengths). */
export const POSITIVE = num(0, Infinity, 1)

/** One of `values`. */
export function oneOf(values: unknown[]): Rule {
  return [(v) => values.indexOf(v) >= 0, 'one of ' + values.join(', ')]
}

/** A non-empty array whose items pass `item`. */
export function listOf(item: Rule, required?: 1): Rule {
  return [
    (v) => Array.isArray(v) && v.length > 0 && v.every(item[0]),
    'a non-empty array, each ' + item[1],
    required,
  ]
}

/** The `TypeError` for `value` failing `rule` (absent passes unless required), or nothing. */
export function check(api: string, field: string, value: unknown, rule: Rule): TypeError | void {
  if ((value !== undefined || rule[2]) && !rule[0](value)) {
    return argumentError(api, field, rule[1], value)
  }
}

/**
 * The `TypeError` for a bad object `value` or the first of its fields failing its rule in
 * `rules`, or nothing. Without `field`, `value` is optional options (`options.x` in messages).
 */
export function checkObject(
  api: string,
  value: unknown,
  rules: Record<string, Rule>,
  field?: string,
): TypeError | void {
  if (value === undefined && !field) return
  const name = field || 'options'
  if (!isPlainObject(value)) return argumentError(api, name, 'an object', value)
  for (const key in rules) {
    const error = check(api, name + '.' + key, value[key], rules[key])
    if (error) return error
  }
}

/** `options` without its `undefined` fields (wx may refuse an explicit `undefined`). */
export function defined<T extends object>(options: T): T {
  for (const key in options) if (options[key] === undefined) delete options[key]
  return options
}

/** `Promise.reject(error)`, shorter where it is written a dozen times. */
export const reject = (error: unknown): Promise<never> => Promise.reject(error)

/** Removes `item` from `list`; `false` when it was not there. */
export function remove<T>(list: T[], item: T): boolean {
  const at = list.indexOf(item)
  if (at >= 0) list.splice(at, 1)
  return at >= 0
}
