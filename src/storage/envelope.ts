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
  /** 1 when `value` is a Date stored as its ISO string (JSON would otherwise lose the type). */
  date?: 1
}

/** Wraps `value` to expire at `expires` (epoch ms). */
export function wrap(value: unknown, expires: number): Envelope {
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const time = (value as Date).getTime()
    return {
      __mprx: 1,
      expires,
      value: isNaN(time) ? null : (value as Date).toISOString(),
      date: 1,
    }
  }
  return { __mprx: 1, expires, value }
}

/** True for a stored value written by `wrap`. */
export function isEnvelope(stored: unknown): stored is Envelope {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return false
  const e = stored as Partial<Envelope>
  return e.__mprx === 1 && typeof e.expires === 'number' && 'value' in e
}

/** What a stored value means now: the value, and its expiry when it has one. */
export interface Unwrapped {
  value: unknown
  /** Epoch ms at which the value expires; absent for plain values. */
  expires?: number
  /** True when the value has expired (read it as absent). */
  expired: boolean
}

/** Reads a stored value (enveloped or plain) at time `now`. */
export function unwrap(stored: unknown, now: number): Unwrapped {
  if (!isEnvelope(stored)) return { value: stored, expired: false }
  const value =
    stored.date === 1 && typeof stored.value === 'string' ? new Date(stored.value) : stored.value
  return { value, expires: stored.expires, expired: stored.expires <= now }
}
