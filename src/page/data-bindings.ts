// The lifecycle wiring of bindData, for the three ways a mini program defines a page:
// a Behavior (Component() pages, components, and other behaviors) and the glass-easel
// Chaining API (`Component().init(...)`). Page() calls bindData/unbindData itself.
import { argumentError } from '../core/describe'
import { bindData, checkOptions, checkSources } from './bind-data'
import type { BindDataOptions, BoundData, DataSources, ErrorData } from './bind-data'
import { checkInstance, pauseData, resumeData, unbindData } from './page-lifecycle'
import type { DataTarget } from './set-data-batch'

/** Options of `dataBindings` and `initDataBindings`. */
export interface DataBindingsOptions<E extends string = never> extends BindDataOptions<E> {
  /**
   * Send no setData while the page is hidden (`pageLifetimes.hide`), then one catch-up
   * update on `show`. The streams keep running; only the latest value per key is kept.
   * @default false
   */
  pauseWhileHidden?: boolean
}

/** The data a `dataBindings` behavior adds to its component. */
export type DataBindingsData<S extends DataSources, E extends string = never> = BoundData<S> &
  ErrorData<E>

// `E` as written in the return type, deferred so TypeScript infers it from `options.errorKey`
// only: inline in `behaviors: [...]`, the contextual return type would widen it to `string`.
// (`NoInfer<E>` does this from TypeScript 5.4; this form works in older compilers too.)
type FromOptionsOnly<E> = [E][E extends unknown ? 0 : never]

function initialData(options: DataBindingsOptions<string>): Record<string, null> {
  const data: Record<string, null> = {}
  if (options.errorKey) data[options.errorKey] = null
  return data
}

/**
 * A Behavior that binds `sources` to data keys from `attached` to `detached`, for a page
 * built with `Component()`, a component, or another behavior. With no sources it only ties
 * the instance's lifetime, so `bindData(this, ...)` and `untilDetached(this)` work anywhere
 * in it (after an `await` too). The data keys and their types follow from the sources:
 * `this.data.online` is a `boolean` below (`undefined` until the first value).
 *
 * @example
 * Component({
 *   behaviors: [dataBindings({ online: isOnline$, player: backgroundAudio.state$ })],
 * })
 */
export function dataBindings<
  S extends DataSources = Record<never, never>,
  E extends string = never,
>(
  sources?: S,
  options: DataBindingsOptions<E> = {},
): WechatMiniprogram.Behavior.Identifier<DataBindingsData<S, FromOptionsOnly<E>>> {
  if (typeof Behavior !== 'function') {
    throw new TypeError('dataBindings: no global `Behavior`')
  }
  if (sources !== undefined) checkSources('dataBindings', sources)
  checkOptions('dataBindings', options)
  const hidden = options.pauseWhileHidden
  const identifier = Behavior({
    data: initialData(options),
    lifetimes: {
      attached() {
        if (sources) bindData(this, sources, options)
      },
      detached() {
        unbindData(this)
      },
    },
    pageLifetimes: {
      show() {
        if (hidden) resumeData(this)
      },
      hide() {
        if (hidden) pauseData(this)
      },
    },
  })
  // the typings cannot infer data set at attach time: state what the behavior adds
  return identifier as WechatMiniprogram.Behavior.Identifier<DataBindingsData<S, E>>
}

/**
 * The part of the glass-easel Chaining API's builder context (`Component().init((ctx) => …)`)
 * that `initDataBindings` uses.
 */
export interface ChainingContext {
  /** The instance. */
  self: DataTarget
  /** Registers a component lifetime. */
  lifetime(name: 'attached' | 'detached', func: () => void): void
  /** Registers a page lifetime. */
  pageLifetime(name: string, func: () => void): void
}

/**
 * `dataBindings` for the glass-easel Chaining API: call it inside `.init(...)` with the
 * builder context (miniprogram-api-typings 5 declares `Component()` with no argument as the
 * chaining builder, and its `init` context has `self`, `lifetime` and `pageLifetime`).
 *
 * @example
 * Component()
 *   .data(() => ({ online: false }))
 *   .init((ctx) => { initDataBindings(ctx, { online: isOnline$ }) })
 *   .register()
 */
export function initDataBindings<S extends DataSources, E extends string = never>(
  context: ChainingContext,
  sources?: S,
  options: DataBindingsOptions<E> = {},
): void {
  const api = 'initDataBindings'
  const given = context as Partial<ChainingContext> | null
  if (
    typeof given !== 'object' ||
    given === null ||
    typeof given.lifetime !== 'function' ||
    typeof given.pageLifetime !== 'function'
  ) {
    throw argumentError(api, 'context', 'the builder context of `.init()`', context)
  }
  checkInstance(api, given.self)
  if (sources !== undefined) checkSources(api, sources)
  checkOptions(api, options)
  const instance = context.self
  context.lifetime('attached', () => {
    if (sources) bindData(instance, sources, options)
  })
  context.lifetime('detached', () => unbindData(instance))
  if (options.pauseWhileHidden) {
    context.pageLifetime('hide', () => pauseData(instance))
    context.pageLifetime('show', () => resumeData(instance))
  }
}
