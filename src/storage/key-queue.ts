import { Observable, Subject } from 'rxjs'
import { hasOwn } from '../core/check'

// Per-key coordination shared by every storage item in the app: a queue that runs the
// reads and writes of one key one at a time, in call order, and a bus that tells every
// subscriber of a key about each change made through the SDK.

/** A change of a key made through the SDK: its new stored value, or its removal. */
export type StorageChange = { removed: false; stored: unknown } | { removed: true }

// Plain objects keyed by '$' + key, so that keys like `__proto__` or `hasOwnProperty` are safe
// without Map (no for-of over Map in the ES5 build).
const tails: Record<string, Promise<unknown> | undefined> = {}
// One Subject per key while someone observes it: made by the first subscriber, dropped after
// the last (an app may touch tens of thousands of keys; most are never observed again).
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
  return new Observable<StorageChange>((subscriber) => {
    const subject = subjects[slot] || (subjects[slot] = new Subject())
    const subscription = subject.subscribe(subscriber)
    return () => {
      subscription.unsubscribe()
      if (!subject.observed && subjects[slot] === subject) delete subjects[slot]
    }
  })
}

/** Listeners registered across all keys (for leak checks in tests). */
export function listenerCount(): number {
  let count = 0
  for (const slot in subjects) if (hasOwn(subjects, slot)) count += subjects[slot]!.observers.length
  return count
}

/** Keys that hold a change channel, i.e. are observed now (for leak checks in tests). */
export function observedKeyCount(): number {
  let count = 0
  for (const slot in subjects) if (hasOwn(subjects, slot)) count++
  return count
}
