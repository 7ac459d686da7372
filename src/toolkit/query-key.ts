// Query keys: a string, or an array of strings, numbers, booleans and nulls read from the
// general to the specific (`['todos', 'list', { page: 2 }]` is not allowed: put the page in
// the array as `['todos', 'list', 2]`). `'todos'` and `['todos']` are the same key, and a key
// is a prefix of every key that starts with its parts, so `invalidate('todos')` reaches
// `['todos', 'list', 2]`.
import type { CustomRule } from '../core/check'

/** A part of a query key. */
export type QueryKeyPart = string | number | boolean | null

/** The key of a query: a string, or parts from the general to the specific. */
export type QueryKey = string | readonly QueryKeyPart[]

function isPart(value: unknown): boolean {
  const type = typeof value
  return (
    value === null ||
    type === 'string' ||
    type === 'boolean' ||
    (type === 'number' && isFinite(value as number))
  )
}

/** The rule a query key passes. */
export const QUERY_KEY_RULE: CustomRule = {
  type: 'custom',
  required: true,
  test: (value) =>
    (typeof value === 'string' && value !== '') ||
    (Array.isArray(value) && value.length > 0 && value.every(isPart)),
  expected: 'a non-empty string or a non-empty array of strings, numbers, booleans and nulls',
}

/** The parts of a key (`'todos'` → `['todos']`). */
export function keyParts(key: QueryKey): readonly QueryKeyPart[] {
  return typeof key === 'string' ? [key] : key
}

/** One string per key, the same for `'a'` and `['a']`. */
export function hashKey(key: QueryKey): string {
  return JSON.stringify(keyParts(key))
}

/** True when `key` starts with every part of `prefix` (a key is a prefix of itself). */
export function startsWith(key: readonly QueryKeyPart[], prefix: readonly QueryKeyPart[]): boolean {
  if (prefix.length > key.length) return false
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false
  return true
}
