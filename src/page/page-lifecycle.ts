// What the SDK keeps for one page or component instance: its setData batch and every
// subscription made for it. Detaching ends them all and marks the instance, so a binding made
// later (after an `await` that outlived the page) is refused at once and never subscribes.
import { Subscription } from 'rxjs'
import { argumentError } from '../core/describe'
import { createSetDataBatch } from './set-data-batch'
import type { DataTarget, SetDataBatch } from './set-data-batch'

/** The record kept on an instance. */
export interface InstanceBindings {
  /** The coalescing setData of the instance (closed once detached). */
  batch: SetDataBatch
  /** Every live subscription made for the instance. */
  subscriptions: Subscription
  /** True once the instance was detached/unloaded: nothing may bind to it again. */
  detached: boolean
}

// Kept on the instance itself (non-enumerable), so the record goes with the instance: no
// global table to leak, and no WeakMap, which old JS engines lack.
const RECORD = '__miniprogramRxBindings'

/** Throws the `TypeError` of `api` unless `instance` has a `setData` function. */
export function checkInstance(api: string, instance: unknown): asserts instance is DataTarget {
  const setData =
    typeof instance === 'object' && instance !== null
      ? (instance as { setData?: unknown }).setData
      : undefined
  if (typeof setData !== 'function') {
    throw argumentError(api, 'instance', 'a page or component (`this`)', instance)
  }
}

/** The record of `instance`, created on first use. */
export function bindingsOf(instance: DataTarget): InstanceBindings {
  const holder = instance as unknown as Record<string, InstanceBindings | undefined>
  const existing = holder[RECORD]
  if (existing) return existing
  const record: InstanceBindings = {
    batch: createSetDataBatch(instance),
    subscriptions: new Subscription(),
    detached: false,
  }
  Object.defineProperty(instance, RECORD, { value: record, configurable: true, writable: true })
  return record
}

/**
 * Adds `subscription` to what the instance owns. RxJS removes it from there when it ends by
 * itself, so a long-lived page that makes many short subscriptions does not keep them all.
 */
export function own(record: InstanceBindings, subscription: Subscription): void {
  record.subscriptions.add(subscription)
}

/**
 * Ends every subscription made for `instance` by `bindData`, `untilDetached` and
 * `dataBindings`, drops its pending setData, and refuses any later binding (it is
 * unsubscribed at once and never calls setData). Call it from `onUnload` (Page) or
 * `detached` (Component); the `dataBindings` behavior and `initDataBindings` call it for you.
 */
export function unbindData(instance: DataTarget): void {
  checkInstance('unbindData', instance)
  const record = bindingsOf(instance)
  record.detached = true
  record.batch.close()
  record.subscriptions.unsubscribe()
}

/**
 * Holds back the setData of `instance` (the streams keep running; the latest value of each
 * key is kept) until `resumeData`, which sends one catch-up update. For `onHide`/`onShow`,
 * or `pageLifetimes.hide`/`show` of a component.
 */
export function pauseData(instance: DataTarget): void {
  checkInstance('pauseData', instance)
  bindingsOf(instance).batch.pause()
}

/** Sends what `pauseData` held back, as one setData at the next tick. */
export function resumeData(instance: DataTarget): void {
  checkInstance('resumeData', instance)
  bindingsOf(instance).batch.resume()
}
