// DEPRECATED: the tuple rules that came before the rule objects of check.ts. Kept only until
// every domain has moved to check.ts; new code must not import this file.
import { argumentError, isPlainObject } from './describe'
import { isFunction, isNumber, isString } from './guards'
export { hasOwn } from './check'
export { isFunction, isNumber, isString }

/**
 * A test of one option's value, what the value must be (for the error message), and whether
 * the option is required (otherwise `undefined` passes).
 */
export type Rule = [test: (value: any) => boolean, expected: string, required?: 1]

/** Throws the `TypeError` of `argumentError` (a statement that minifies to a short call). */
export function bad(api: string, field: string, expected: string, value: unknown): never {
  throw argumentError(api, field, expected, value)
}

/** True for a non-null object that is not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value)
}

/** Throws unless `value` (the `field` of `api`) is a plain object. */
export function needObject(
  api: string,
  value: unknown,
  field = 'options',
): asserts value is Record<string, unknown> {
  if (!isObject(value)) bad(api, field, 'an object', value)
}

/** A string that is not empty. */
export const STRING: Rule = [(v) => isString(v) && v != '', 'a non-empty string']
/** A string that is not empty, required (a URL, a path, a title). */
export const NEEDED: Rule = [STRING[0], STRING[1], 1]
/** Any string. */
export const TEXT: Rule = [isString, 'a string']
/** A function. */
export const FUNCTION: Rule = [isFunction, 'a function']
/** `true` or `false`. */
export const BOOLEAN: Rule = [(v) => typeof v == 'boolean', 'a boolean']
/** A plain object. */
export const OBJECT: Rule = [isObject, 'an object']
/** A number that is not NaN or infinite. */
export const FINITE: Rule = [(v) => isNumber(v) && isFinite(v), 'a finite number']
/** A timeout. */
export const TIMEOUT: Rule = [(v) => isNumber(v) && v > 0, 'a number of milliseconds > 0']

/**
 * A number `>= min`: any (`Infinity` included), finite only, or whole (an integer or
 * `Infinity`, where it means no bound).
 */
export function atLeast(min: number, kind?: 'finite' | 'whole'): Rule {
  return [
    (v) =>
      isNumber(v) &&
      v >= min &&
      (kind == 'whole' ? v % 1 == 0 || v == Infinity : kind != 'finite' || isFinite(v)),
    (kind ? 'a ' + kind + ' number' : 'a number') + ' >= ' + min,
  ]
}

/** An array whose items all pass `test`. */
export function arrayOf(test: (item: any) => boolean, expected: string): Rule {
  return [(v) => Array.isArray(v) && v.every(test), expected]
}

/** A whole number >= 0 (or `Infinity`). */
export const WHOLE: Rule = /*#__PURE__*/ atLeast(0, 'whole')

/**
 * Throws `argumentError(api, prefix + key, ...)` for the first value of `object` that its rule
 * refuses. An `undefined` value passes unless its rule is a required one.
 */
export function check(
  api: string,
  object: object,
  rules: Record<string, Rule>,
  prefix = 'options.',
): void {
  for (const key in rules) {
    const value = (object as Record<string, unknown>)[key]
    const rule = rules[key]
    if ((value !== undefined || rule[2]) && !rule[0](value)) {
      bad(api, prefix + key, rule[1], value)
    }
  }
}

/**
 * A finite number from `min` (excluded when `above`) up to `max`, a whole one when `whole`;
 * the message gives the interval: ``a number in (0, 600000]``.
 */
export function num(min: number, max: number, above?: 0 | 1, whole?: 1): Rule {
  return [
    (v) =>
      isNumber(v) &&
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
export const POSITIVE = /*#__PURE__*/ num(0, Infinity, 1)

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

/**
 * The `TypeError` for `value` (the `field` of `api`) failing `rule` (absent passes unless the
 * rule is required), or nothing: for APIs that reject instead of throwing.
 */
export function ruleError(
  api: string,
  field: string,
  value: unknown,
  rule: Rule,
): TypeError | void {
  if ((value !== undefined || rule[2]) && !rule[0](value)) {
    return argumentError(api, field, rule[1], value)
  }
}

/**
 * The `TypeError` for a bad object `value` or the first of its fields failing its rule in
 * `rules`, or nothing. Without `field`, `value` is optional options (`options.x` in messages).
 */
export function objectError(
  api: string,
  value: unknown,
  rules: Record<string, Rule>,
  field?: string,
): TypeError | void {
  if (value === undefined && !field) return
  const name = field || 'options'
  if (!isObject(value)) return argumentError(api, name, 'an object', value)
  for (const key in rules) {
    const error = ruleError(api, name + '.' + key, value[key], rules[key])
    if (error) return error
  }
}
