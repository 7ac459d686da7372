/** One outgoing message: its order of `send()` and the serialized data. */
export interface OutgoingMessage {
  /** Increases with each `send()`, so messages put back after a failed send keep their place. */
  seq: number
  data: string | ArrayBuffer
}

/**
 * The messages `send()` was given while the socket was not open, oldest first. Bounded by
 * `limit` for new messages; messages put back after a failed send are always taken back
 * (they were accepted once), in `seq` order.
 */
export class SocketBuffer {
  private items: OutgoingMessage[] = []
  // Index of the oldest message: shifting an array one by one is O(n) per message.
  private head = 0

  constructor(readonly limit: number) {}

  /** Messages waiting. */
  get size(): number {
    return this.items.length - this.head
  }

  /** True when `push` would refuse a message. */
  get full(): boolean {
    return this.size >= this.limit
  }

  /** Appends a new message; the caller checks `full` first. */
  push(message: OutgoingMessage): void {
    this.items.push(message)
  }

  /** Puts back a message whose send failed, before every newer one. */
  putBack(message: OutgoingMessage): void {
    let at = this.items.length
    while (at > this.head && this.items[at - 1].seq > message.seq) at -= 1
    this.items.splice(at, 0, message)
  }

  /** Removes and returns the oldest message. */
  shift(): OutgoingMessage | undefined {
    if (this.head >= this.items.length) return undefined
    const message = this.items[this.head]
    this.head += 1
    if (this.head === this.items.length) {
      this.items = []
      this.head = 0
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return message
  }

  /** Drops every waiting message; returns how many there were. */
  clear(): number {
    const n = this.size
    this.items = []
    this.head = 0
    return n
  }
}
