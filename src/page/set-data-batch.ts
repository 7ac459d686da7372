// One setData per instance per tick: values bound to data keys are kept (the latest per key)
// until the next tick, then diffed against what was last sent and written in one call. The
// tick is `wx.nextTick` where the base library has it, else `setTimeout(0)`: never a
// microtask, since `Promise` may be a setTimeout polyfill on old clients. Bursts are paced:
// a setData comes at least `minInterval` ms after the previous one of the instance (WeChat's
// experience audit flags more than 20 setData a second), so the first change after a quiet
// spell is sent at the next tick and a burst costs at most one setData per interval.
import { hasOwn } from '../core/check'
import { getWx } from '../core/wx'
import { diffInto } from './data-diff'
import type { DataPatch } from './data-diff'

/** What the binding writes to: a page or component instance (anything with `setData`). */
export interface DataTarget {
  /** The page's or component's own `setData`. */
  setData(data: Record<string, unknown>, callback?: () => void): void
}

/** The least time between two setData of one instance, by default: at most 20 a second. */
export const DEFAULT_MIN_INTERVAL = 50

/** Coalesces the updates of one instance into one diffed setData per tick. */
export interface SetDataBatch {
  /** Records that `key` now holds `value`; sent at the next tick. */
  update(key: string, value: unknown): void
  /** Holds every update back (values are still recorded) until `resume()`. */
  pause(): void
  /** Sends what was held back, in one setData at the next tick. */
  resume(): void
  /** Sets the least time in ms between two setData of the instance. */
  setMinInterval(ms: number): void
  /** Drops what is pending and sends nothing, ever again. */
  close(): void
}

/** Creates the batch of one instance. */
export function createSetDataBatch(target: DataTarget): SetDataBatch {
  let pending: Record<string, unknown> = {}
  let hasPending = false
  // what each key last sent, by reference: the baseline of the next diff
  const sent: Record<string, unknown> = {}
  let paused = false
  let closed = false
  let scheduled = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let minInterval = DEFAULT_MIN_INTERVAL
  let lastSentAt = -Infinity

  function flush(): void {
    scheduled = false
    timer = undefined
    if (closed || paused || !hasPending) return
    const values = pending
    pending = {}
    hasPending = false
    const patch: DataPatch = {}
    let changed = false
    for (const key in values) {
      diffInto(patch, key, sent[key], values[key], hasOwn(sent, key))
      sent[key] = values[key]
    }
    for (const path in patch) if (hasOwn(patch, path)) changed = true
    if (!changed) return
    lastSentAt = Date.now()
    target.setData(patch)
  }

  function schedule(): void {
    if (scheduled || paused || closed || !hasPending) return
    scheduled = true
    const wait = lastSentAt + minInterval - Date.now()
    const host = getWx()
    if (wait > 0) timer = setTimeout(flush, wait)
    else if (host && typeof host.nextTick === 'function') host.nextTick(flush)
    else timer = setTimeout(flush, 0)
  }

  return {
    update(key, value) {
      if (closed) return
      pending[key] = value
      hasPending = true
      schedule()
    },
    pause() {
      paused = true
    },
    resume() {
      paused = false
      schedule()
    },
    setMinInterval(ms) {
      minInterval = ms
    },
    close() {
      closed = true
      pending = {}
      hasPending = false
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    },
  }
}
