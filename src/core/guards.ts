// Type guards shared by every domain.
export { isPlainObject } from './describe'
export { hasOwn } from './check'

/** True for a number (NaN and infinities included). */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number'
}

/** True for a string. */
export function isString(value: unknown): value is string {
  return typeof value === 'string'
}

/** True for a function. */
export function isFunction(value: unknown): value is (...args: any[]) => any {
  return typeof value === 'function'
}
