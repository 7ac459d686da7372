import { argumentError, isPlainObject } from '../core/describe'

// The file APIs take a path or wx's options. Checks throw; `withPath` runs them inside a
// Promise executor, so bad input rejects and never throws at the call site.

/** Throws a `TypeError` naming `api` and `options.<field>` unless it is a non-empty string. */
export function checkPath(api: string, options: Record<string, unknown>, field: string): void {
  const value = options[field]
  if (typeof value !== 'string' || !value) {
    throw argumentError(api, 'options.' + field, 'a non-empty file path', value)
  }
}

/**
 * Runs `run` with wx's options for `input` (a path becomes `{ [field]: path }`) once `field`
 * is checked; whatever it throws rejects the returned promise.
 */
export function withPath<R>(
  api: string,
  input: unknown,
  field: string,
  run: (options: Record<string, unknown>) => Promise<unknown>,
): Promise<R> {
  return new Promise<R>((resolve) => {
    const options = typeof input === 'string' ? { [field]: input } : input
    if (!isPlainObject(options)) throw argumentError(api, 'options', 'an object', options)
    checkPath(api, options, field)
    resolve(run(options) as Promise<R>)
  })
}
