// WeChat allows at most 5 WebSocket connections at once (base library 1.7.0+). The SDK counts
// the tasks its sockets hold, per wx object (a test may install a fresh wx), so a sixth
// socket fails with a message that says so instead of whatever the client reports.

/** Connections WeChat allows at once. */
export const MAX_SOCKETS = 5

const counts: { host: object; count: number }[] = []

function entry(host: object): { host: object; count: number } {
  for (let i = 0; i < counts.length; i += 1) {
    if (counts[i].host === host) return counts[i]
  }
  const created = { host, count: 0 }
  counts.push(created)
  return created
}

/**
 * Takes one connection slot of `host`. Returns the function that gives it back (safe to call
 * more than once), or `undefined` when all slots are taken.
 */
export function takeSocketSlot(host: object): (() => void) | undefined {
  const slot = entry(host)
  if (slot.count >= MAX_SOCKETS) return undefined
  slot.count += 1
  let held = true
  return () => {
    if (!held) return
    held = false
    slot.count -= 1
    if (slot.count === 0) counts.splice(counts.indexOf(slot), 1)
  }
}

/** Connections of `host` held by sockets of this SDK right now. */
export function socketsInUse(host: object): number {
  for (let i = 0; i < counts.length; i += 1) {
    if (counts[i].host === host) return counts[i].count
  }
  return 0
}

/** True for a `connectSocket` failure that reports the client's connection limit. */
export function isSocketLimitError(errMsg: string): boolean {
  return /exceed|too many|max(imum)?\b|limit/i.test(errMsg)
}
