// The shared parts of record$: one set of RecorderManager listeners per manager (it has no
// off*), the drain that keeps a stopped recording's onStop away from the next one, and the
// verbs waiting for the recorder.
import { Subject } from 'rxjs'
import { TimeoutError, toWxError } from '../core/errors'

type Timer = ReturnType<typeof setTimeout>
type RawEvent = { name: string; result?: unknown; seq: number }
type Listen = (listener: (result?: unknown) => void) => void

const EVENTS = [
  'Start',
  'Pause',
  'Resume',
  'Stop',
  'FrameRecorded',
  'Error',
  'InterruptionBegin',
  'InterruptionEnd',
]

// RecorderManager has no off*: one set of listeners per manager, registered once, fanned out.
// Events are numbered, so a recording started while an event is being delivered (the stop
// that ends a drain) does not take that event as its own.
/** The shared listeners of one RecorderManager: numbered events, fanned out. */
export interface Hub {
  manager: object
  events: Subject<RawEvent>
  seq: number
}
const hubs: Hub[] = []

/** The hub of `manager`, registering its listeners on first use. */
export function hubOf(manager: WechatMiniprogram.RecorderManager): Hub {
  for (let i = 0; i < hubs.length; i++) if (hubs[i].manager === manager) return hubs[i]
  const hub: Hub = { manager, events: new Subject<RawEvent>(), seq: 0 }
  const m = manager as unknown as Record<string, unknown>
  EVENTS.forEach((name) => {
    const on = m['on' + name]
    if (typeof on === 'function') {
      ;(on as Listen).call(manager, (result) => {
        hub.seq += 1
        hub.events.next({ name, result, seq: hub.seq })
      })
    }
  })
  hubs.push(hub)
  return hub
}

// After an unsubscribe stopped a recording, the next start waits until the recorder reported
// that stop (or a deadline passed), so the old onStop cannot end the new recording.
let draining: (() => void)[] | undefined

/** Runs `start` now, or after the drain in progress; returns what cancels a queued start. */
export function whenDrained(start: () => void): () => void {
  if (!draining) {
    start()
    return () => undefined
  }
  const list = draining
  list.push(start)
  return () => {
    const i = list.indexOf(start)
    if (i >= 0) list.splice(i, 1)
  }
}

/**
 * Holds later starts until `watch` reports the stop of the recording being stopped (or until
 * `timeout` ms); returns what ends the drain at once.
 */
export function beginDrain(timeout: number, watch: (done: () => void) => () => void): () => void {
  const list: (() => void)[] = []
  draining = list
  let over = false
  let unwatch: () => void = () => undefined
  const done = () => {
    if (over) return
    over = true
    clearTimeout(timer)
    unwatch()
    if (draining === list) draining = undefined
    list.slice().forEach((start) => start())
  }
  const timer = setTimeout(done, timeout)
  unwatch = watch(done)
  return done
}

/** A verb waiting for a recorder event. */
export interface Wait {
  name: string
  ok: (value: unknown) => void
  ko: (error: Error) => void
  timer: Timer
}

// The verbs of one recording waiting for the recorder: each settles on the event `name`, or
// rejects after the deadline.
export function createWaits(timeout: number) {
  const list: Wait[] = []
  const remove = (w: Wait) => {
    clearTimeout(w.timer)
    const i = list.indexOf(w)
    if (i >= 0) list.splice(i, 1)
    return i >= 0
  }
  return {
    wait<T>(verb: string, name: string, act: () => void): Promise<T> {
      const api = 'record$.' + verb
      return new Promise<T>((ok, ko) => {
        const w: Wait = {
          name,
          ok: ok as (value: unknown) => void,
          ko,
          timer: setTimeout(() => {
            if (remove(w)) ko(new TimeoutError({ api, errMsg: api + ':fail timeout' }))
          }, timeout),
        }
        list.push(w)
        try {
          act()
        } catch (error) {
          if (remove(w)) ko(toWxError(api, error))
        }
      })
    },
    settle(name: string, value?: unknown) {
      list.slice().forEach((w) => {
        if (w.name === name && remove(w)) w.ok(value)
      })
    },
    rejectAll(error: Error) {
      list.slice().forEach((w) => {
        if (remove(w)) w.ko(error)
      })
    },
  }
}
