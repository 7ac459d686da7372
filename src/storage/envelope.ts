// The stored form of a value written with a TTL:
//
//   { "__mprx": 1, "expires": 1718000000000, "value": <the value> }            (most values)
//   { "__mprx": 1, "expires": 1718000000000, "value": "2024-...Z", "date": 1 } (a Date)
//
// `expires` is epoch milliseconds. A value written without a TTL is stored plain, exactly as
// `wx.setStorage` would store it, so other code reads it unchanged. Anything that is not an
// envelope (a plain value, whoever wrote it) is read as it is and never expires.

/** A value as kept in storage with its expiry. */
export interface Envelope {
  __mprx: 1
  /** Expiry, epoch milliseconds. */
  expires: number
  value: unknown
  /**
   * 1 when `value` is a Date stored as its ISO string (JSON would otherwise lose the type). A
   * number, not a boolean: it is part of the stored format.
   */
  date?: 1
}

/** True for a Date (from any realm: no `instanceof`). */
export function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]'
}

/** Wraps `value` to expire at `expires` (epoch ms). */
export function wrap(value: unknown, expires: number): Envelope {
  // A Date's toJSON is its ISO string, or null when it is invalid.
  if (isDate(value)) return { __mprx: 1, expires, value: value.toJSON(), date: 1 }
  return { __mprx: 1, expires, value }
}

/** What a stored value means now. */
export interface Unwrapped {
  /** The value (a Date again where one was stored). */
  value: unknown
  /** Its expiry, epoch ms; absent for plain values. */
  expires?: number
  /** Whether it has expired (then read it as absent). */
  expired: boolean
}

/** Reads a stored value (enveloped or plain: typed as what it may be) at time `now`. */
export function unwrap(stored: Partial<Envelope> | undefined, now: number): Unwrapped {
  // Anything but an envelope written by `wrap` (a plain value, whoever wrote it) is as it is.
  if (!(stored && stored.__mprx === 1 && typeof stored.expires === 'number')) {
    return { value: stored, expired: false }
  }
  const isStoredDate = stored.date === 1 && typeof stored.value === 'string'
  return {
    value: isStoredDate ? new Date(stored.value as string) : stored.value,
    expires: stored.expires,
    expired: stored.expires <= now,
  }
}
