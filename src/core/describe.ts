/**
 * A short, safe description of any value for error messages: its type and, for short
 * primitives, the value itself. Never calls user code (no `toString` of objects).
 */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? 'a string of length ' + value.length : JSON.stringify(value)
    case 'number':
    case 'boolean':
    case 'bigint':
      return typeof value + ' ' + String(value)
    case 'undefined':
      return 'undefined'
    case 'function':
      return 'a function'
    case 'symbol':
      return 'a symbol'
    default:
      return 'an object'
  }
}

/**
 * A `TypeError` for bad input, naming the API and the field: ``request: `options.url` must
 * be a non-empty string, got number 42``.
 */
export function argumentError(
  api: string,
  field: string,
  expected: string,
  value: unknown,
): TypeError {
  const error = new TypeError(
    api + ': `' + field + '` must be ' + expected + ', got ' + describe(value),
  )
  return error
}

/** True for a non-null object that is not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
