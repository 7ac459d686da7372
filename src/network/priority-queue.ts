// The pool's waiting line: higher priority first, first in first out within a priority.
// One bucket per priority in use (usually just 0), each an array read from a moving head, so
// adding and taking are O(1) for the common case and no array is shifted per call.

interface Bucket<T> {
  priority: number
  items: T[]
  head: number
}

/** A FIFO queue per priority; `shift()` takes from the highest priority first. */
export class PriorityQueue<T> {
  private buckets: Bucket<T>[] = []
  private count = 0

  /** Items in the queue. */
  get size(): number {
    return this.count
  }

  private bucket(priority: number): Bucket<T> {
    const buckets = this.buckets
    let i = 0
    while (i < buckets.length && buckets[i].priority > priority) i++
    if (i < buckets.length && buckets[i].priority === priority) return buckets[i]
    const created: Bucket<T> = { priority, items: [], head: 0 }
    buckets.splice(i, 0, created)
    return created
  }

  /** Adds `item` behind the others of its priority, or ahead of them when `front` is set. */
  push(item: T, priority: number, front = false): void {
    const bucket = this.bucket(priority)
    if (!front) bucket.items.push(item)
    else if (bucket.head > 0) bucket.items[--bucket.head] = item
    else bucket.items.unshift(item)
    this.count++
  }

  /** Takes the first item of the highest priority, or `undefined` when empty. */
  shift(): T | undefined {
    const bucket = this.buckets[0]
    if (!bucket) return undefined
    const item = bucket.items[bucket.head]
    bucket.items[bucket.head++] = undefined as unknown as T
    this.count--
    this.settle(0)
    return item
  }

  /** Removes `item` (found by identity) from the bucket of `priority`; false if absent. */
  remove(item: T, priority: number): boolean {
    for (let b = 0; b < this.buckets.length; b++) {
      const bucket = this.buckets[b]
      if (bucket.priority !== priority) continue
      const i = bucket.items.indexOf(item, bucket.head)
      if (i < 0) return false
      bucket.items.splice(i, 1)
      this.count--
      this.settle(b)
      return true
    }
    return false
  }

  // Drops an emptied bucket, and compacts one whose dead head grew large.
  private settle(b: number): void {
    const bucket = this.buckets[b]
    if (bucket.head >= bucket.items.length) this.buckets.splice(b, 1)
    else if (bucket.head > 1024 && bucket.head * 2 > bucket.items.length) {
      bucket.items = bucket.items.slice(bucket.head)
      bucket.head = 0
    }
  }
}
