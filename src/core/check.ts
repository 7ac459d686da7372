// Checks what callers pass against named rule objects, so every domain refuses bad input the
// same way and every message has one form:
//   request: `options.timeout` must be a whole number in (0, 2147483647], got number -1
import { argumentError, isPlainObject } from './describe'

/** The longest delay a timer can take: engines fire longer ones at once. */
export const MAX_TIMER_DELAY = 2147483647

/** What every rule may say besides its type. */
interface RuleBase {
  /** `undefined` fails instead of passing. @default false */
  required?: boolean
}

/** A string; `nonEmpty` refuses `''`, `oneOf` lists the only strings allowed. */
export interface StringRule extends RuleBase {
  type: 'string'
  nonEmpty?: boolean
  oneOf?: readonly string[]
}

/**
 * A number, never NaN. Bounds are inclusive unless `exclusiveMin`; infinities are refused
 * unless `allowInfinity` (where `Infinity` means "no bound").
 */
export interface NumberRule extends RuleBase {
  type: 'number'
  min?: number
  max?: number
  exclusiveMin?: boolean
  integer?: boolean
  allowInfinity?: boolean
}

/** `true` or `false`. */
export interface BooleanRule extends RuleBase {
  type: 'boolean'
}

/** A function. */
export interface FunctionRule extends RuleBase {
  type: 'function'
}

/** A plain object (not null, not an array). */
export interface ObjectRule extends RuleBase {
  type: 'object'
}

/** An array; `items` checks each item, `nonEmpty` refuses `[]`. */
export interface ArrayRule extends RuleBase {
  type: 'array'
  items?: Rule
  nonEmpty?: boolean
}

/** One of a fixed list of values (compared with `===`). */
export interface OneOfRule extends RuleBase {
  type: 'oneOf'
  values: readonly unknown[]
}

/** Anything else: a test and the words that say what the value must be. */
export interface CustomRule extends RuleBase {
  type: 'custom'
  test: (value: unknown) => boolean
  expected: string
}

/** A named rule for one value. */
export type Rule =
  | StringRule
  | NumberRule
  | BooleanRule
  | FunctionRule
  | ObjectRule
  | ArrayRule
  | OneOfRule
  | CustomRule

/** Rules for the fields of an options object, by field name. */
export type Rules = { readonly [field: string]: Rule }

function numberPasses(rule: NumberRule, value: unknown): boolean {
  if (typeof value !== 'number' || value !== value) return false
  if (!isFinite(value) && !rule.allowInfinity) return false
  if (rule.integer && isFinite(value) && value % 1 !== 0) return false
  if (rule.min !== undefined && (rule.exclusiveMin ? value <= rule.min : value < rule.min)) {
    return false
  }
  return rule.max === undefined || value <= rule.max
}

/** Whether `value` passes `rule` (`undefined` passes unless the rule is required). */
export function passes(rule: Rule, value: unknown): boolean {
  if (value === undefined) return !rule.required
  switch (rule.type) {
    case 'string':
      return (
        typeof value === 'string' &&
        (!rule.nonEmpty || value !== '') &&
        (!rule.oneOf || rule.oneOf.indexOf(value) >= 0)
      )
    case 'number':
      return numberPasses(rule, value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'function':
      return typeof value === 'function'
    case 'object':
      return isPlainObject(value)
    case 'array':
      return (
        Array.isArray(value) &&
        (!rule.nonEmpty || value.length > 0) &&
        (!rule.items || value.every((item) => item !== undefined && passes(rule.items!, item)))
      )
    case 'oneOf':
      return rule.values.indexOf(value) >= 0
    case 'custom':
      return rule.test(value)
  }
}

function describeNumber(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number'
  const { min, max } = rule
  if (min !== undefined && max !== undefined && max !== Infinity) {
    return kind + ' in ' + (rule.exclusiveMin ? '(' : '[') + min + ', ' + max + ']'
  }
  if (min !== undefined) return kind + (rule.exclusiveMin ? ' > ' : ' >= ') + min
  if (max !== undefined) return kind + ' <= ' + max
  return rule.allowInfinity ? kind : 'a finite number'
}

/** What `rule` asks for, in the words of an error message (`a non-empty string`). */
export function expectedOf(rule: Rule): string {
  switch (rule.type) {
    case 'string':
      if (rule.oneOf) return 'one of ' + rule.oneOf.join(', ')
      return rule.nonEmpty ? 'a non-empty string' : 'a string'
    case 'number':
      return describeNumber(rule)
    case 'boolean':
      return 'a boolean'
    case 'function':
      return 'a function'
    case 'object':
      return 'an object'
    case 'array': {
      const array = rule.nonEmpty ? 'a non-empty array' : 'an array'
      return rule.items ? array + ', each ' + expectedOf(rule.items) : array
    }
    case 'oneOf':
      return 'one of ' + rule.values.map(String).join(', ')
    case 'custom':
      return rule.expected
  }
}

/**
 * The `TypeError` for `value` (the `field` of `api`) failing `rule`, or `undefined`: for APIs
 * that reject instead of throwing.
 */
export function ruleError(
  api: string,
  field: string,
  value: unknown,
  rule: Rule,
): TypeError | undefined {
  return passes(rule, value) ? undefined : argumentError(api, field, expectedOf(rule), value)
}

/** Throws the `TypeError` of `ruleError` when `value` fails `rule`. */
export function checkValue(api: string, field: string, value: unknown, rule: Rule): void {
  const error = ruleError(api, field, value, rule)
  if (error) throw error
}

/**
 * The `TypeError` for the first field of `object` that fails its rule, or `undefined`. Fields
 * are named `prefix + key` in messages (`options.url`).
 */
export function fieldsError(
  api: string,
  object: object,
  rules: Rules,
  prefix = 'options.',
): TypeError | undefined {
  for (const key in rules) {
    const error = ruleError(api, prefix + key, (object as Record<string, unknown>)[key], rules[key])
    if (error) return error
  }
  return undefined
}

/** Throws the `TypeError` of `fieldsError` for the first field that fails its rule. */
export function check(api: string, object: object, rules: Rules, prefix = 'options.'): void {
  const error = fieldsError(api, object, rules, prefix)
  if (error) throw error
}

/**
 * The `TypeError` for an options argument that is not a plain object or has a bad field, or
 * `undefined`. With `optional`, an `undefined` argument passes.
 */
export function optionsError(
  api: string,
  value: unknown,
  rules: Rules,
  { name = 'options', optional = false }: { name?: string; optional?: boolean } = {},
): TypeError | undefined {
  if (value === undefined && optional) return undefined
  if (!isPlainObject(value)) return argumentError(api, name, 'an object', value)
  return fieldsError(api, value, rules, name + '.')
}

/** Throws unless `value` (the `field` of `api`) is a plain object. */
export function assertObject(
  api: string,
  value: unknown,
  field = 'options',
): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) throw argumentError(api, field, 'an object', value)
}

/** `Object.prototype.hasOwnProperty.call(object, key)`. */
export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key)
}

/** `ms` clamped to what a timer can wait (`[0, MAX_TIMER_DELAY]`); NaN becomes 0. */
export function clampDelay(ms: number): number {
  if (!(ms > 0)) return 0
  return ms > MAX_TIMER_DELAY ? MAX_TIMER_DELAY : ms
}
