// Type-level mapping from `WechatMiniprogram.Wx` to `Wxp`. Nothing here is hand-kept per
// API: new typings bring new members and types without code changes. Only the three async
// APIs whose result type depends on a type parameter of their own (request, getStorage,
// setStorage) are spelled out, so that `wxp.getStorage<User>()` keeps its generic.
import type { WxTaskPromise } from './promisify'

type Wx = WechatMiniprogram.Wx
type AnyFunction = (...args: any[]) => any

/** The first parameter of a function type (generic parameters resolve to their constraint). */
export type FirstParameter<F> = F extends (first: infer O, ...rest: any[]) => any ? O : never

/** True when the function takes an options object with a `success` callback. */
type TakesCallbacks<F> = [FirstParameter<F>] extends [never]
  ? false
  : 'success' extends keyof NonNullable<FirstParameter<F>>
    ? true
    : false

/** The success result of a callback-style function: the argument of its `success`. */
export type SuccessResult<F> =
  NonNullable<FirstParameter<F>> extends { success?: infer S }
    ? Parameters<NonNullable<S> extends AnyFunction ? NonNullable<S> : never>[0]
    : never

/** The task a callback-style function returns, or `never` when it returns nothing useful. */
export type TaskOf<F> = F extends (...args: any[]) => infer R
  ? [R] extends [void]
    ? never
    : R extends PromiseLike<any>
      ? never
      : R
  : never

/** What a promisified call returns: a Promise, with `task` when the API returns one. */
export type PromisifiedResult<F> = [TaskOf<F>] extends [never]
  ? Promise<SuccessResult<F>>
  : WxTaskPromise<SuccessResult<F>, TaskOf<F>>

/** The promise form of one callback-style function; options stay required if wx requires them. */
export type Promisified<F> =
  {} extends NonNullable<FirstParameter<F>>
    ? (options?: FirstParameter<F>) => PromisifiedResult<F>
    : (options: FirstParameter<F>) => PromisifiedResult<F>

/** The keys of `T` whose members are callback-style functions. */
export type CallbackMethodName<T> = {
  [K in keyof T]-?: T[K] extends AnyFunction
    ? TakesCallbacks<T[K]> extends true
      ? K
      : never
    : never
}[keyof T]

/** The name of every async (callback-style) API of `wx`. */
export type WxAsyncApiName = CallbackMethodName<Wx>

/** The success result of the async API `K`: `WxResult<'getLocation'>`. */
export type WxResult<K extends WxAsyncApiName> = SuccessResult<Wx[K]>

/** The three async APIs whose types keep a generic parameter of their own. */
export interface WxpGenericApis {
  /** Sends an HTTP request; the promise carries the `RequestTask` as `task`. */
  request<
    T extends string | WechatMiniprogram.IAnyObject | ArrayBuffer =
      string | WechatMiniprogram.IAnyObject | ArrayBuffer,
  >(
    options: WechatMiniprogram.RequestOption<T>,
  ): WxTaskPromise<WechatMiniprogram.RequestSuccessCallbackResult<T>, WechatMiniprogram.RequestTask>
  /** Reads a storage key; `T` is the stored value's type. */
  getStorage<T = any>(
    options: WechatMiniprogram.GetStorageOption<T>,
  ): Promise<WechatMiniprogram.GetStorageSuccessCallbackResult<T>>
  /** Writes a storage key. */
  setStorage<T = any>(
    options: WechatMiniprogram.SetStorageOption<T>,
  ): Promise<WechatMiniprogram.GeneralCallbackResult>
}

/**
 * The type of `wxp`: every member of `WechatMiniprogram.Wx`, with each async API turned into
 * a function returning a Promise of its success result (plus `task` for task APIs), and every
 * other member (sync APIs, factories, listeners, properties) as in `wx`.
 */
export type Wxp = {
  [K in Exclude<WxAsyncApiName, keyof WxpGenericApis>]: Promisified<Wx[K]>
} & WxpGenericApis & {
    readonly [K in Exclude<keyof Wx, WxAsyncApiName>]: Wx[K]
  }

/** The promise forms of the callback-style methods of a manager or context object. */
export type PromisifiedMethods<T> = {
  [K in CallbackMethodName<T>]: Promisified<T[K]>
}

/** The name of every `on*` listener API of `wx`. */
export type WxEventName = {
  [K in keyof Wx]-?: K extends `on${string}`
    ? Wx[K] extends (listener: (...args: any[]) => any) => any
      ? K
      : never
    : never
}[keyof Wx]

/** What the listener of `wx[K]` receives: `WxEvent<'onNetworkStatusChange'>`. */
export type WxEvent<K extends WxEventName> = Wx[K] extends (listener: infer L) => any
  ? L extends (...args: infer A) => any
    ? A extends []
      ? void
      : A[0]
    : never
  : never
