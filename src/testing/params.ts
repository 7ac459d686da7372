// Parameter checks in WeChat's own words. The base library validates options before the
// native side sees them and fails with
// `<api>:fail parameter error: parameter.<field> should be <Type> instead of <Type>;`
// (errno 1001). The host's domain parts throw these as HostFail so `defineAsync` turns them
// into the fail callback.
import { HostFail } from './context'

/** errno WeChat gives parameter errors. */
export const PARAMETER_ERRNO = 1001

/**
 * WeChat's name for the type of a value: `String`, `Number`, `Undefined`, `Null`, `Array`,
 * `Object`, and the built-in tag of other objects (`Date`, `ArrayBuffer`, ...).
 */
export function typeName(value: unknown): string {
  if (value === null) return 'Null'
  if (typeof value === 'object') return Object.prototype.toString.call(value).slice(8, -1)
  const t = typeof value
  return t.charAt(0).toUpperCase() + t.slice(1)
}

/** A `HostFail` with WeChat's parameter-error wording. */
export function parameterError(field: string, expected: string, value: unknown): HostFail {
  return new HostFail(
    'parameter error: parameter.' +
      field +
      ' should be ' +
      expected +
      ' instead of ' +
      typeName(value) +
      ';',
    PARAMETER_ERRNO,
  )
}

/** Returns `options[field]` when it is a string; throws the parameter error otherwise. */
export function requireString(options: Record<string, any>, field: string): string {
  const value = options[field]
  if (typeof value !== 'string') throw parameterError(field, 'String', value)
  return value
}

/** Returns `options[field]` when it is a finite number; throws the parameter error otherwise. */
export function requireNumber(options: Record<string, any>, field: string): number {
  const value = options[field]
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw parameterError(field, 'Number', value)
  }
  return value
}

/** `options[field]` when it is a string, `fallback` when absent; throws for other types. */
export function optionalString(
  options: Record<string, any>,
  field: string,
  fallback: string,
): string {
  const value = options[field]
  if (value === undefined) return fallback
  if (typeof value !== 'string') throw parameterError(field, 'String', value)
  return value
}

/** `options[field]` when it is a finite number, `fallback` when absent; throws otherwise. */
export function optionalNumber(
  options: Record<string, any>,
  field: string,
  fallback: number,
): number {
  const value = options[field]
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw parameterError(field, 'Number', value)
  }
  return value
}
