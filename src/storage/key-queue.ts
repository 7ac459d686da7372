import { Subject } from 'rxjs'
import type { Observable } from 'rxjs'

// Per-key coordination shared by every storage item in the app: a queue that runs the
// reads and writes of one key one at a time, in call order, and a bus that tells every
// subscriber of a key about each change made through the SDK.

/** A change of a key made through the SDK: `[stored]` (its new stored value) or `[]` (removed). */
export type StorageChange = [stored: unknown] | []

// Plain objects keyed by '$' + key, so that keys like `__proto__` or `hasOwnProperty` are safe
// without Map (no for-of over Map in the ES5 build).
const tails: Record<string, Promise<unknown> | undefined> = {}
// One Subject per key that has ever had a listener (kept: a few bytes per key, and no
// bookkeeping when the last listener leaves).
const subjects: Record<string, Subject<StorageChange> | undefined> = {}

/**
 * Runs `task` after every earlier task of `key` has settled, and returns its result. One
 * failing task never blocks the ones after it.
 */
export function enqueue<R>(key: string, task: () => Promise<R>): Promise<R> {
  const slot = '$' + key
  // A tail never rejects, so `task` runs whatever the task before it did.
  const run = (tails[slot] || Promise.resolve()).then(task)
  // Once the task has settled, the key's queue is forgotten unless another task joined it.
  const done = () => {
    if (tails[slot] === tail) delete tails[slot]
  }
  const tail: Promise<void> = (tails[slot] = run.then(done, done))
  return run
}

/** Tells every listener of `key` about a change. */
export function publish(key: string, change: StorageChange): void {
  const subject = subjects['$' + key]
  if (subject) subject.next(change)
}

/** The changes of `key`, for as long as one listens. */
export function changes$(key: string): Observable<StorageChange> {
  const slot = '$' + key
  return subjects[slot] || (subjects[slot] = new Subject())
}

/** Listeners registered across all keys (for leak checks in tests). */
export function listenerCount(): number {
  let n = 0
  for (const slot in subjects) {
    if (Object.prototype.hasOwnProperty.call(subjects, slot)) n += subjects[slot]!.observers.length
  }
  return n
}
