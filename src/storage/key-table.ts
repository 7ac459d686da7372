/**
 * Values by storage key. A plain object keyed by `'$' + key` (so keys like `__proto__` are
 * safe without Map, which the ES5 build cannot iterate), started over once it is empty:
 * engines do not shrink an object that grew during a burst of keys, so an emptied table would
 * otherwise keep the room of its largest moment.
 */
export class KeyTable<T> {
  private slots: Record<string, T | undefined> = {}
  private count = 0

  /** The value of `key`, or `undefined`. */
  get(key: string): T | undefined {
    return this.slots['$' + key]
  }

  /** Sets the value of `key` (never `undefined`: use `delete`). */
  set(key: string, value: T): void {
    if (this.slots['$' + key] === undefined) this.count++
    this.slots['$' + key] = value
  }

  /** Removes `key`. */
  delete(key: string): void {
    if (this.slots['$' + key] === undefined) return
    delete this.slots['$' + key]
    if (--this.count === 0) this.slots = {}
  }

  /** How many keys have a value. */
  get size(): number {
    return this.count
  }

  /** Every value. */
  values(): T[] {
    const values: T[] = []
    for (const slot in this.slots) {
      const value = this.slots[slot]
      if (value !== undefined) values.push(value)
    }
    return values
  }
}
