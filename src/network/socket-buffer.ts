// The messages a socket holds until it is open, oldest first. Taking the oldest moves a read
// position instead of shifting the array (`Array.shift()` copies the rest of a large array, so
// flushing n messages would cost O(n²)); the consumed front is dropped, on a later push, once
// it is most of the array.

/** One accepted message of `send()`: its order, and the serialized data. */
export interface OutgoingMessage {
  /** Increases with every `send()`, so a message put back finds its place. */
  readonly order: number
  readonly data: string | ArrayBuffer
}

/** Below this many consumed entries the array is never compacted (not worth a copy). */
const COMPACT_AFTER = 1024

/** A FIFO of outgoing messages with O(1) amortized `push` and `takeOldest`. */
export class SendBuffer {
  private messages: OutgoingMessage[] = []
  /** Index of the oldest message still held. */
  private head = 0

  /** Messages held. */
  get size(): number {
    return this.messages.length - this.head
  }

  /** Appends `message` as the newest. */
  push(message: OutgoingMessage): void {
    // Compacting here, not in takeOldest, keeps a flush (takes only) free of copies.
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.messages.length) {
      this.messages = this.messages.slice(this.head)
      this.head = 0
    }
    this.messages.push(message)
  }

  /** Removes and returns the oldest message, or `undefined` when empty. */
  takeOldest(): OutgoingMessage | undefined {
    if (this.head >= this.messages.length) return undefined
    const message = this.messages[this.head]
    // Let the message be collected; the slot is dropped at the next compaction.
    this.messages[this.head] = undefined as unknown as OutgoingMessage
    this.head += 1
    if (this.head === this.messages.length) this.clear()
    return message
  }

  /**
   * Puts back a message whose send failed: before every newer message, so order holds. Rare
   * (a dying connection), so a linear search from the newest end is enough.
   */
  putBack(message: OutgoingMessage): void {
    let at = this.messages.length
    while (at > this.head && this.messages[at - 1].order > message.order) at -= 1
    this.messages.splice(at, 0, message)
  }

  /** Drops every message. */
  clear(): void {
    this.messages = []
    this.head = 0
  }
}
