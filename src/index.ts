// The public surface of miniprogram-rx: explicit named exports only.

// core: wxp, events, errors
export { wxp } from './core/wxp'
export { fromWxEvent } from './core/from-wx-event'
export { promisifyAll } from './core/promisify-all'
export { getWx } from './core/wx'
export {
  WxError,
  HttpError,
  TimeoutError,
  AbortError,
  isWxError,
  isHttpError,
  isTimeoutError,
  isAbortError,
} from './core/errors'
export { TYPINGS_VERSION } from './core/wx-catalog.generated'
export type { WxErrorInit, HttpErrorInit, HttpErrorRequest } from './core/errors'
export type { WxTaskPromise } from './core/promisify'
export type {
  Wxp,
  WxpGenericApis,
  WxAsyncApiName,
  WxResult,
  WxEventName,
  WxEvent,
  Promisified,
  PromisifiedResult,
  PromisifiedMethods,
  SuccessResult,
  TaskOf,
  FirstParameter,
  CallbackMethodName,
} from './core/wxp-types'

// network
export { networkStatus$, isOnline$ } from './network/network-status'
export type { NetworkStatus } from './network/network-status'
export { createSocket } from './network/socket'
export type { Socket } from './network/socket'
export type { SocketOptions, SocketReconnectOptions, SocketState } from './network/socket-options'

// media

// file

// storage

// location

// device
