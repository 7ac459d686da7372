/**
 * `options` without its `undefined` fields, for wx calls (some clients refuse an explicit
 * `undefined` where they accept an absent field). Changes and returns `options` itself: pass
 * a copy made for the call, never the caller's object.
 */
export function withoutUndefined<T extends object>(options: T): T {
  for (const key in options) if (options[key] === undefined) delete options[key]
  return options
}
