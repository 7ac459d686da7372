// The pool's waiting line: higher priority first, first in first out within a priority.
// One array sorted by priority and read from a moving head: adding behind the others of the
// lowest priority in use (the common case: every call at 0) and taking are O(1), and no array
// is shifted per call.

interface Entry<T> {
  p: number
  v: T
}

/** A FIFO queue per priority; `shift()` takes from the highest priority first. */
export class PriorityQueue<T> {
  private q: Entry<T>[] = []
  private h = 0

  /** Items in the queue. */
  get size(): number {
    return this.q.length - this.h
  }

  /** Adds `item` behind the others of its priority, or ahead of them when `front` is set. */
  push(item: T, priority: number, front?: boolean): void {
    const q = this.q
    let i = front ? this.h : q.length
    if (front) while (i < q.length && q[i].p > priority) i++
    else while (i > this.h && q[i - 1].p < priority) i--
    if (i == this.h && this.h) q[--this.h] = { p: priority, v: item }
    else q.splice(i, 0, { p: priority, v: item })
  }

  /** Takes the first item of the highest priority, or `undefined` when empty. */
  shift(): T | undefined {
    const q = this.q
    const entry = q[this.h]
    if (!entry) return
    q[this.h++] = undefined as unknown as Entry<T>
    // Start again when empty; drop the dead head once it is most of the array.
    if (this.h == q.length || (this.h > 1024 && this.h * 2 > q.length)) {
      this.q = q.slice(this.h)
      this.h = 0
    }
    return entry.v
  }

  /** Removes `item` (found by identity) from the bucket of `priority`; false if absent. */
  remove(item: T, priority: number): boolean {
    const q = this.q
    for (let i = this.h; i < q.length; i++) {
      if (q[i].v === item && q[i].p == priority) return !!q.splice(i, 1)
    }
    return false
  }
}
