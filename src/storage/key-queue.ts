import { Observable, Subject } from 'rxjs'
import { KeyTable } from './key-table'

// Per-key coordination shared by every storage item in the app: a queue that runs the
// reads and writes of one key one at a time, in call order, and a bus that tells every
// subscriber of a key about each change made through the SDK.

/** A change of a key made through the SDK: its new stored value, or its removal. */
export type StorageChange = { removed: false; stored: unknown } | { removed: true }

// The last task of each key with work queued; forgotten once it has settled.
const tails = new KeyTable<Promise<unknown>>()
// One Subject per key while someone observes it: made by the first subscriber, dropped after
// the last (an app may touch tens of thousands of keys; most are never observed again).
const subjects = new KeyTable<Subject<StorageChange>>()

/**
 * Runs `task` after every earlier task of `key` has settled, and returns its result. One
 * failing task never blocks the ones after it.
 */
export function enqueue<R>(key: string, task: () => Promise<R>): Promise<R> {
  // A tail never rejects, so `task` runs whatever the task before it did.
  const run = (tails.get(key) || Promise.resolve()).then(task)
  // Once the task has settled, the key's queue is forgotten unless another task joined it.
  const done = () => {
    if (tails.get(key) === tail) tails.delete(key)
  }
  const tail: Promise<void> = run.then(done, done)
  tails.set(key, tail)
  return run
}

/** Tells every listener of `key` about a change. */
export function publish(key: string, change: StorageChange): void {
  const subject = subjects.get(key)
  if (subject) subject.next(change)
}

/** The changes of `key`, for as long as one listens. */
export function changes$(key: string): Observable<StorageChange> {
  return new Observable<StorageChange>((subscriber) => {
    let subject = subjects.get(key)
    if (!subject) subjects.set(key, (subject = new Subject()))
    const subscription = subject.subscribe(subscriber)
    return () => {
      subscription.unsubscribe()
      if (!subject.observed && subjects.get(key) === subject) subjects.delete(key)
    }
  })
}

/** Listeners registered across all keys (for leak checks in tests). */
export function listenerCount(): number {
  let count = 0
  subjects.values().forEach((subject) => (count += subject.observers.length))
  return count
}

/** Keys that hold a change channel, i.e. are observed now (for leak checks in tests). */
export function observedKeyCount(): number {
  return subjects.size
}
