// The pool's waiting line: higher priority first, first in first out within a priority, and
// a retry may go to the front of its priority. One line per priority in use, read from a
// moving head, so adding and taking are O(1). Removing a call (an abort) only marks its
// place: the mark is skipped when the head reaches it, so removal is O(1) too, whatever the
// place of the call in the line (50 000 aborts newest-first cost what oldest-first cost).

/** A place in a `CallQueue`, returned by `push` and given back to `remove`. */
export interface QueueEntry<T> {
  /** The queued item. */
  readonly item: T
  /** Its priority. */
  readonly priority: number
  /** False once taken or removed. */
  queued: boolean
}

/** A FIFO line per priority; `shift()` takes from the highest priority first. */
export interface CallQueue<T> {
  /** Items in the queue. */
  readonly size: number
  /** Adds `item` behind the others of its priority, or ahead of them with `{ front: true }`. */
  push(item: T, priority: number, placement?: { front?: boolean }): QueueEntry<T>
  /** Takes the first item of the highest priority, or `undefined` when empty. */
  shift(): T | undefined
  /** Removes the item of `entry`; false if it was already taken or removed. */
  remove(entry: QueueEntry<T>): boolean
}

/** The line of one priority: `front` is a stack of retries, `back` a FIFO read from `head`. */
interface Line<T> {
  priority: number
  front: QueueEntry<T>[]
  back: QueueEntry<T>[]
  head: number
  /** Entries still queued in this line. */
  live: number
}

function takeFromLine<T>(line: Line<T>): QueueEntry<T> | undefined {
  while (line.front.length) {
    const entry = line.front.pop() as QueueEntry<T>
    if (entry.queued) return entry
  }
  while (line.head < line.back.length) {
    const entry = line.back[line.head]
    line.back[line.head++] = undefined as unknown as QueueEntry<T>
    if (entry.queued) return entry
  }
  return undefined
}

function compactLine<T>(line: Line<T>): void {
  // Start again when the line is empty; drop the dead head once it is most of the array.
  if (line.live === 0) {
    line.front = []
    line.back = []
    line.head = 0
  } else if (line.head === line.back.length) {
    line.back = []
    line.head = 0
  } else if (line.head > 1024 && line.head * 2 > line.back.length) {
    line.back = line.back.slice(line.head)
    line.head = 0
  }
}

/** Makes an empty `CallQueue`. */
export function createCallQueue<T>(): CallQueue<T> {
  // Lines of the priorities seen, highest first; few distinct priorities in practice. An
  // empty line is kept (and emptied) for the next call of its priority.
  const lines: Line<T>[] = []
  let size = 0

  const lineOf = (priority: number): Line<T> => {
    let at = 0
    while (at < lines.length && lines[at].priority > priority) at++
    if (at < lines.length && lines[at].priority === priority) return lines[at]
    const line: Line<T> = { priority, front: [], back: [], head: 0, live: 0 }
    lines.splice(at, 0, line)
    return line
  }

  const firstLiveLine = (): Line<T> | undefined => {
    for (const line of lines) if (line.live > 0) return line
    return undefined
  }

  return {
    get size() {
      return size
    },
    push(item, priority, placement) {
      const line = lineOf(priority)
      const entry: QueueEntry<T> = { item, priority, queued: true }
      if (placement && placement.front) line.front.push(entry)
      else line.back.push(entry)
      line.live++
      size++
      return entry
    },
    shift() {
      const line = size ? firstLiveLine() : undefined
      const entry = line && takeFromLine(line)
      if (!line || !entry) return undefined
      entry.queued = false
      line.live--
      size--
      compactLine(line)
      return entry.item
    },
    remove(entry) {
      if (!entry.queued) return false
      entry.queued = false
      size--
      const line = lineOf(entry.priority)
      line.live--
      if (line.live === 0) compactLine(line)
      return true
    },
  }
}
