// Table-driven option checks for the network layer: each rule is a test and the words that
// say what the value must be, so one loop replaces a page of `if`s and every message has the
// same form (``request: `options.url` must be a non-empty string, got number 42``).
import { argumentError, isPlainObject } from '../core/describe'

/** `Object.prototype.hasOwnProperty.call(object, key)`. */
export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key)
}

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

/** True for a number (NaN and infinities included). */
export function isNumber(value: unknown): value is number {
  return typeof value == 'number'
}

/** True for a function. */
export function isFunction(value: unknown): value is (...args: any[]) => any {
  return typeof value == 'function'
}

/** True for a string. */
export function isString(value: unknown): value is string {
  return typeof value == 'string'
}

/** A string that is not empty. */
export const STRING: Rule = [(v) => isString(v) && v != '', 'a non-empty string']
/** A string that is not empty, required. */
export const NEEDED: Rule = [STRING[0], STRING[1], 1]
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
export const WHOLE: Rule = atLeast(0, 'whole')

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
