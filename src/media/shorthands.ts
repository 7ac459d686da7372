// Small helpers the media modules share.

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
