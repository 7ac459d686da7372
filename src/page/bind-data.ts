// bindData: a map of observables bound to data keys of a page or component instance, torn
// down with it, written through its one-setData-per-tick batch.
import { from, Subscription } from 'rxjs'
import type { ObservableInput, ObservedValueOf } from 'rxjs'
import { assertObject, check, MAX_TIMER_DELAY, type Rules } from '../core/check'
import { argumentError } from '../core/describe'
import { PATH_STEP } from './data-diff'
import { bindingsOf, checkInstance, own } from './page-lifecycle'
import type { DataTarget } from './set-data-batch'

/** Observables (or promises, arrays: any RxJS `ObservableInput`) by the data key they feed. */
export type DataSources = Record<string, ObservableInput<unknown>>

/** The data a map of sources writes: each key holds the type its source emits. */
export type BoundData<S extends DataSources> = { [K in keyof S]: ObservedValueOf<S[K]> }

/** What `errorKey` holds after a bound stream failed (plain data, so setData can send it). */
export interface BindingError {
  /** The data key whose stream failed. */
  key: string
  /** The error's `name` (`WxError`, `TimeoutError`, `TypeError`, ...). */
  name: string
  /** The error's message. */
  message: string
  /** The error's stable `code` (`ERR_OFFLINE`, ...) when it has one. */
  code?: string
}

/** The data an `errorKey` adds: the last failure, `null` until then. */
export type ErrorData<E extends string> = { [K in E]: BindingError | null }

/** How bound streams report failures. Without either option, failures go to `console.error`. */
export interface BindDataOptions<E extends string = never> {
  /**
   * A data key that receives a `BindingError` when a bound stream fails (the other streams
   * keep running; the failed key keeps its last value).
   */
  errorKey?: E
  /** Called with the error and the data key whose stream failed. */
  onError?: (error: unknown, key: string) => void
  /**
   * The least time in ms between two setData of the instance (for the whole instance: the
   * latest value given applies). The first change after a quiet spell is sent at the next
   * tick; a burst is sent at most once per interval.
   * @default 50 (at most 20 setData a second, the limit of WeChat's experience audit)
   */
  minInterval?: number
}

/** The `BindingError` that `errorKey` receives for `error` of the stream of `key`. */
export function toBindingError(key: string, error: unknown): BindingError {
  const source = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown
    message?: unknown
    code?: unknown
  }
  const result: BindingError = {
    key,
    name: typeof source.name === 'string' ? source.name : 'Error',
    message: typeof source.message === 'string' ? source.message : String(error),
  }
  if (typeof source.code === 'string') result.code = source.code
  return result
}

function isObservableInput(value: unknown): boolean {
  if (Array.isArray(value)) return true
  if (typeof value !== 'object' || value === null) return false
  const input = value as { subscribe?: unknown; then?: unknown }
  return typeof input.subscribe === 'function' || typeof input.then === 'function'
}

/** Throws the `TypeError` of `api` unless `sources` is an object of observables by data key. */
export function checkSources(api: string, sources: unknown): asserts sources is DataSources {
  if (typeof sources !== 'object' || sources === null || Array.isArray(sources)) {
    throw argumentError(api, 'sources', 'an object of observables', sources)
  }
  const map = sources as Record<string, unknown>
  for (const key in map) {
    const value = map[key]
    if (!PATH_STEP.test(key)) {
      throw argumentError(api, 'sources', 'data keys (without . [ ])', key)
    }
    if (!isObservableInput(value)) {
      throw argumentError(api, 'sources.' + key, 'an Observable, a Promise or an array', value)
    }
  }
}

/** Throws the `TypeError` of `api` for options that are not an object or hold a bad field. */
export function checkOptions(api: string, options: unknown): void {
  assertObject(api, options)
  check(api, options, OPTION_RULES)
}

const OPTION_RULES: Rules = {
  errorKey: {
    type: 'custom',
    test: (key) => typeof key === 'string' && PATH_STEP.test(key),
    expected: 'a data key',
  },
  onError: { type: 'function' },
  minInterval: { type: 'number', min: 0, max: MAX_TIMER_DELAY },
}

function reporter(options: BindDataOptions<string>, push: (key: string, value: unknown) => void) {
  return (error: unknown, key: string): void => {
    if (options.errorKey) push(options.errorKey, toBindingError(key, error))
    if (options.onError) options.onError(error, key)
    if (!options.errorKey && !options.onError) {
      console.error('bindData: "' + key + '" failed', error)
    }
  }
}

/**
 * Binds each observable of `sources` to the data key it is named by: its values reach
 * `instance.data[key]`, all of one tick in one setData holding only what changed (changed
 * paths such as `'list[3].title'` when smaller than the whole value). The subscriptions end
 * when the instance is detached/unloaded (`unbindData`, or the `dataBindings` behavior); a
 * call after that subscribes to nothing and returns a closed subscription, so an `await` that
 * outlived the page is harmless.
 *
 * A failing stream never throws: see `errorKey` and `onError`.
 *
 * @returns the subscription of these sources, to stop them before the instance goes.
 * @example
 * Component({
 *   behaviors: [dataBindings()],
 *   lifetimes: {
 *     async attached() {
 *       const user = await login()
 *       bindData(this, { online: isOnline$, profile: profile$(user) })
 *     },
 *   },
 * })
 */
export function bindData<S extends DataSources, E extends string = never>(
  instance: DataTarget,
  sources: S,
  options: BindDataOptions<E> = {},
): Subscription {
  checkInstance('bindData', instance)
  checkSources('bindData', sources)
  checkOptions('bindData', options)
  const record = bindingsOf(instance)
  const subscription = new Subscription()
  if (record.detached) {
    subscription.unsubscribe()
    return subscription
  }
  own(record, subscription)
  if (options.minInterval !== undefined) record.batch.setMinInterval(options.minInterval)
  const push = (key: string, value: unknown) => record.batch.update(key, value)
  const report = reporter(options, push)
  // the group ends (and leaves the instance's list) once every source has ended by itself;
  // it counts as one open source until every source is subscribed
  let open = 1
  const ended = () => {
    open -= 1
    if (open === 0) subscription.unsubscribe()
  }
  for (const key in sources) {
    if (subscription.closed) break
    open += 1
    subscription.add(
      from(sources[key]).subscribe({
        next: (value) => push(key, value),
        error: (error: unknown) => {
          report(error, key)
          ended()
        },
        complete: ended,
      }),
    )
  }
  ended()
  return subscription
}
