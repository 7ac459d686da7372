// The connection slots of WeChat's socket limit, as the SDK's own sockets hold them. WeChat
// counts a SocketTask from connectSocket until its onClose (not until its onError), so a slot
// is taken before connectSocket and given back only when the task reports onClose (or when
// the socket gives up waiting for it). Kept per wx object: a test may install a fresh wx.

/** Connections WeChat allows at once (base library 1.7.0+). */
export const MAX_SOCKETS = 5

/** One counted connection. */
export interface SocketSlot {
  /** The wx object the connection was made on. */
  readonly host: object
  /** The task is closing or failed: its onClose (and so this slot) is on its way. */
  closing: boolean
}

const taken: SocketSlot[] = []
const waiting: { host: object; wake: () => void }[] = []
let released = 0

function countOn(host: object): number {
  let count = 0
  for (const slot of taken) if (slot.host === host) count += 1
  return count
}

/** A slot on `host`, or `undefined` when the SDK's sockets hold all of them. */
export function takeSlot(host: object): SocketSlot | undefined {
  if (countOn(host) >= MAX_SOCKETS) return undefined
  const slot: SocketSlot = { host, closing: false }
  taken.push(slot)
  return slot
}

/** Whether a slot of `host` will free itself soon (its task is closing). */
export function slotClosingOn(host: object): boolean {
  for (const slot of taken) if (slot.host === host && slot.closing) return true
  return false
}

/**
 * Gives `slot` back and wakes whoever waits for one on its host. Safe to call twice.
 * `countedByWx` is false for a task wx refused or never made (no WeChat slot comes free).
 */
export function releaseSlot(slot: SocketSlot, { countedByWx }: { countedByWx: boolean }): void {
  const at = taken.indexOf(slot)
  if (at < 0) return
  taken.splice(at, 1)
  if (countedByWx) released += 1
  const woken = waiting.filter((waiter) => waiter.host === slot.host)
  for (const waiter of woken) waiting.splice(waiting.indexOf(waiter), 1)
  for (const waiter of woken) waiter.wake()
}

/**
 * How many slots have been given back so far: a refusal by wx that comes after a slot was
 * given back may have been caused by the task that held it (its onClose arrived meanwhile).
 */
export function slotsReleased(): number {
  return released
}

/** Calls `wake` once a slot of `host` is given back; returns the function that cancels it. */
export function waitForSlot(host: object, wake: () => void): () => void {
  const waiter = { host, wake }
  waiting.push(waiter)
  return () => {
    const at = waiting.indexOf(waiter)
    if (at >= 0) waiting.splice(at, 1)
  }
}
