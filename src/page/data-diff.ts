// The rule that turns "this data key now holds `next`" into the smallest setData payload:
// unchanged values send nothing; for arrays and plain objects, the changed paths
// (`'list[3].title'`, `'player.position'`) are sent when their JSON is smaller than the whole
// value's; otherwise the whole value is sent. setData cannot delete a key or shorten an array,
// so a removed key or a shorter array sends the level that lost it whole.
import { hasOwn } from '../core/check'

/** A setData payload: data paths (`'list[3].title'`) to the values to write there. */
export type DataPatch = Record<string, unknown>

// Past this many changed paths under one key, the whole value is sent without measuring:
// building and measuring hundreds of paths costs more than it saves.
const MAX_PATHS = 64

/** setData's path syntax has no escape: a key holding `.`, `[` or `]` cannot be a path step. */
export const PATH_STEP = /^[^.[\]]+$/

interface ChangedPaths {
  paths: string[]
  values: unknown[]
  /** More than MAX_PATHS changed, or a level cannot be written by paths. */
  overflow: boolean
}

/** True for `{}`-style objects (not arrays, dates, class instances with their own tag). */
export function isPlainData(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]'
}

function add(changes: ChangedPaths, path: string, value: unknown): void {
  changes.paths.push(path)
  changes.values.push(value === undefined ? null : value)
  if (changes.paths.length > MAX_PATHS) changes.overflow = true
}

function collectArray(changes: ChangedPaths, path: string, previous: unknown[], next: unknown[]) {
  if (next.length < previous.length) return add(changes, path, next)
  for (let index = 0; index < next.length && !changes.overflow; index++) {
    const itemPath = path + '[' + index + ']'
    if (index < previous.length) collect(changes, itemPath, previous[index], next[index])
    else add(changes, itemPath, next[index])
  }
}

function collectObject(
  changes: ChangedPaths,
  path: string,
  previous: Record<string, unknown>,
  next: Record<string, unknown>,
) {
  for (const name in previous) {
    if (hasOwn(previous, name) && !hasOwn(next, name)) return add(changes, path, next)
  }
  for (const name in next) {
    if (hasOwn(next, name) && !PATH_STEP.test(name)) return add(changes, path, next)
  }
  for (const name in next) {
    if (changes.overflow) return
    if (hasOwn(next, name)) collect(changes, path + '.' + name, previous[name], next[name])
  }
}

// Below the top level a value that is the same reference is unchanged: the convention of
// immutable updates (`{ ...state, position }`), which every store of this SDK follows.
function collect(changes: ChangedPaths, path: string, previous: unknown, next: unknown): void {
  if (previous === next) return
  if (Array.isArray(previous) && Array.isArray(next)) {
    collectArray(changes, path, previous, next)
  } else if (isPlainData(previous) && isPlainData(next)) {
    collectObject(changes, path, previous, next)
  } else {
    add(changes, path, next)
  }
}

/** The length of `value` as JSON, as setData would serialize it (`Infinity` if it cannot be). */
export function jsonLength(value: unknown): number {
  try {
    const json = JSON.stringify(value === undefined ? null : value)
    return json === undefined ? 4 : json.length
  } catch {
    return Infinity
  }
}

/**
 * Adds to `patch` what setData needs to turn `previous` (what was last sent for `key`) into
 * `next`: nothing when unchanged, the changed paths when their JSON is smaller than the whole
 * value's, else `key` itself. An object or array emitted again as the same reference may have
 * been changed in place, so it is sent whole (nothing is left to compare it with).
 *
 * @param sent - whether `previous` was ever sent (if not, `next` is sent whole).
 */
export function diffInto(
  patch: DataPatch,
  key: string,
  previous: unknown,
  next: unknown,
  sent: boolean,
): void {
  const whole = next === undefined ? null : next
  const isObject = typeof next === 'object' && next !== null
  if (!sent || (previous !== next && !isObject)) {
    patch[key] = whole
    return
  }
  if (previous === next) {
    if (isObject) patch[key] = whole
    return
  }
  const changes: ChangedPaths = { paths: [], values: [], overflow: false }
  collect(changes, key, previous, next)
  if (!changes.paths.length) return
  if (changes.overflow || changes.paths[0] === key) {
    patch[key] = whole
    return
  }
  let pathBytes = 0
  for (let i = 0; i < changes.paths.length; i++) {
    pathBytes += changes.paths[i].length + 4 + jsonLength(changes.values[i])
  }
  if (pathBytes >= key.length + 4 + jsonLength(whole)) {
    patch[key] = whole
    return
  }
  for (let i = 0; i < changes.paths.length; i++) patch[changes.paths[i]] = changes.values[i]
}
