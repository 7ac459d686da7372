import { optionsError, type CustomRule, type Rules } from '../core/check'

// The file APIs take a path or wx's options. `callWithPath` makes the options, checks them
// with rule objects, and runs the call; bad input rejects, never throws at the call site.

/** A non-empty file path. */
export const FILE_PATH: CustomRule = {
  type: 'custom',
  test: (value) => typeof value === 'string' && value !== '',
  expected: 'a non-empty file path',
}

/**
 * Runs `call` with wx's options for `input` (a path becomes `{ [pathField]: path }`) once they
 * pass `rules` and `pathField` is a non-empty file path; a bad input, or a throw in `call`,
 * rejects the returned promise with it.
 */
export function callWithPath<R>(
  api: string,
  input: unknown,
  pathField: string,
  rules: Rules,
  call: (options: Record<string, unknown>) => Promise<unknown>,
): Promise<R> {
  const options = typeof input === 'string' ? { [pathField]: input } : input
  const invalid = optionsError(api, options, {
    [pathField]: { ...FILE_PATH, required: true },
    ...rules,
  })
  if (invalid) return Promise.reject(invalid)
  return new Promise<R>((resolve) =>
    resolve(call(options as Record<string, unknown>) as Promise<R>),
  )
}
