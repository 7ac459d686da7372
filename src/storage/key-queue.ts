// Per-key coordination shared by every storage item in the app: a queue that runs the
// reads and writes of one key one at a time, in call order, and a bus that tells every
// subscriber of a key about each change made through the SDK.

/** A change of a key made through the SDK: the new stored value, or its removal. */
export type StorageChange = { removed: false; stored: unknown } | { removed: true }

type Listener = (change: StorageChange) => void

// Plain objects keyed by '$' + key, so that keys like `__proto__` or `hasOwnProperty` are safe
// without Map (no for-of over Map in the ES5 build).
const tails: Record<string, Promise<unknown> | undefined> = {}
const listeners: Record<string, Listener[] | undefined> = {}

const ignore = () => undefined

/**
 * Runs `task` after every earlier task of `key` has settled, and returns its result. One
 * failing task never blocks the ones after it.
 */
export function enqueue<R>(key: string, task: () => Promise<R>): Promise<R> {
  const slot = '$' + key
  const previous = tails[slot] || Promise.resolve()
  const run = previous.then(task, task)
  const tail = run.then(ignore, ignore)
  tails[slot] = tail
  tail.then(() => {
    if (tails[slot] === tail) delete tails[slot]
  })
  return run
}

/** Tells every listener of `key` about a change. */
export function publish(key: string, change: StorageChange): void {
  const list = listeners['$' + key]
  if (!list) return
  const copy = list.slice()
  for (let i = 0; i < copy.length; i++) copy[i](change)
}

/** Listens to the changes of `key`; returns the function that stops listening. */
export function listen(key: string, listener: Listener): () => void {
  const slot = '$' + key
  const list = listeners[slot] || (listeners[slot] = [])
  list.push(listener)
  return () => {
    const current = listeners[slot]
    if (!current) return
    const i = current.indexOf(listener)
    if (i >= 0) current.splice(i, 1)
    if (current.length === 0) delete listeners[slot]
  }
}

/** Listeners registered across all keys (for leak checks in tests). */
export function listenerCount(): number {
  let n = 0
  for (const slot in listeners) {
    if (Object.prototype.hasOwnProperty.call(listeners, slot)) n += listeners[slot]!.length
  }
  return n
}
