import { Observable, Subject } from 'rxjs'
import type { Observer } from 'rxjs'
import { argumentError } from './describe'
import { notSupported } from './errors'
import { getWx } from './wx'
import type { WxEvent, WxEventName } from './wxp-types'

type Listen = (listener: (event: unknown) => void) => void

// Checked by hand rather than with check.ts: fromWxEvent loads at start-up, the rule checker
// need not.
function isEventName(name: unknown): boolean {
  return typeof name === 'string' && /^on[A-Z]/.test(name)
}

// For `onX` without `offX`, one listener per (wx, name) is registered once, for good, and
// feeds a Subject; subscribers come and go on the Subject. Keyed by the wx object too, so a
// test that installs a new `wx` gets a fresh registration.
const fanOuts: { host: object; name: string; subject: Subject<unknown> }[] = []

function fanOut(host: object, name: string, on: Listen): Subject<unknown> {
  for (const entry of fanOuts) {
    if (entry.host === host && entry.name === name) return entry.subject
  }
  const subject = new Subject<unknown>()
  on.call(host, (event: unknown) => subject.next(event))
  fanOuts.push({ host, name, subject })
  return subject
}

/**
 * An Observable of a wx event: subscribing calls `wx.onX(handler)`, unsubscribing calls
 * `wx.offX(handler)` with the same handler (never `offX()` with no argument, which would also
 * remove the app's own listeners).
 *
 * For the events wx cannot unregister (`onSocketOpen`, `onBackgroundAudioPlay`, ... and any
 * `onX` whose `offX` the running base library lacks), one listener is registered on first
 * use and shared by every subscriber.
 *
 * Errors (at subscribe): `TypeError` for a name that is not `on<Something>`;
 * `WxError('<name>:fail not supported')` when the base library lacks the listener.
 *
 * @example
 * fromWxEvent('onNetworkStatusChange').subscribe(({ isConnected }) => ...)
 */
export function fromWxEvent<K extends WxEventName>(name: K): Observable<WxEvent<K>> {
  return new Observable<WxEvent<K>>((subscriber) => {
    if (!isEventName(name)) {
      subscriber.error(
        argumentError('fromWxEvent', 'name', 'the name of a wx.on* listener API', name),
      )
      return undefined
    }
    const host = getWx() as unknown as Record<string, unknown> | undefined
    const on = host && host[name]
    if (!host || typeof on !== 'function') {
      subscriber.error(notSupported(name))
      return undefined
    }
    const off = host['off' + name.slice(2)]
    if (typeof off !== 'function') {
      return fanOut(host, name, on as Listen).subscribe(subscriber as unknown as Observer<unknown>)
    }
    const handler = (event: unknown) => subscriber.next(event as WxEvent<K>)
    ;(on as Listen).call(host, handler)
    return () => {
      ;(off as Listen).call(host, handler)
    }
  })
}
