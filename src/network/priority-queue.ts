// The pool's waiting line: higher priority first, first in first out within a priority.
// One array sorted by priority and read from a moving head: adding behind the others of the
// lowest priority in use (the common case: every call at 0) and taking are O(1), and no array
// is shifted per call.

/** A FIFO queue per priority; `shift()` takes from the highest priority first. */
export interface PriorityQueue<T> {
  /** Items in the queue. */
  readonly size: number
  /** Adds `item` behind the others of its priority, or ahead of them when `front` is set. */
  push(item: T, priority: number, front?: boolean): void
  /** Takes the first item of the highest priority, or `undefined` when empty. */
  shift(): T | undefined
  /** Removes `item` (found by identity) from those of `priority`; false if absent. */
  remove(item: T, priority: number): boolean
}

/** Makes an empty `PriorityQueue`. */
export function createPriorityQueue<T>(): PriorityQueue<T> {
  let q: { p: number; v: T }[] = []
  let head = 0
  return {
    get size() {
      return q.length - head
    },
    push(v, p, front) {
      let i = front ? head : q.length
      if (front) while (i < q.length && q[i].p > p) i++
      else while (i > head && q[i - 1].p < p) i--
      if (i == head && head) q[--head] = { p, v }
      else q.splice(i, 0, { p, v })
    },
    shift() {
      const entry = q[head]
      if (!entry) return
      q[head++] = undefined as unknown as typeof entry
      // Start again when empty; drop the dead head once it is most of the array.
      if (head == q.length || (head > 1024 && head * 2 > q.length)) {
        q = q.slice(head)
        head = 0
      }
      return entry.v
    },
    remove(v, p) {
      for (let i = head; i < q.length; i++) {
        if (q[i].v === v && q[i].p == p) return !!q.splice(i, 1)
      }
      return false
    },
  }
}
