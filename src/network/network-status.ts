import { distinctUntilChanged, map, Observable, shareReplay } from 'rxjs'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import { isFunction, isString } from '../core/check-legacy'

/** The device's network state. */
export interface NetworkStatus {
  /** Whether the device has a network connection. */
  isConnected: boolean
  /** `wifi`, `2g`, `3g`, `4g`, `5g`, `unknown` or `none`. */
  networkType: string
}

const source = /*#__PURE__*/ new Observable<NetworkStatus>((subscriber) => {
  const host = getWx() as unknown as Record<string, (listener: unknown) => void> | undefined
  const on = host && host.onNetworkStatusChange
  const off = host && host.offNetworkStatusChange
  // A change event is newer than the getNetworkType answer that may still be on its way.
  let changed: unknown
  const emit = (result: { isConnected?: unknown; networkType?: unknown }) => {
    const networkType = isString(result.networkType) ? result.networkType : 'unknown'
    subscriber.next({
      isConnected:
        typeof result.isConnected == 'boolean' ? result.isConnected : networkType != 'none',
      networkType,
    })
  }
  const handler = (result: { isConnected?: unknown; networkType?: unknown }) => {
    changed = 1
    emit(result)
  }
  if (isFunction(on)) on.call(host, handler)
  invoke('getNetworkType').then(
    (result) => changed || emit({ networkType: (result as { networkType?: unknown }).networkType }),
    // Without a readable state, assume online: better to try a request than to hold every
    // request of the app forever.
    () => changed || emit({ isConnected: true }),
  )
  return () => {
    if (isFunction(on) && isFunction(off)) off.call(host, handler)
  }
})

/**
 * The network state: the current `{ isConnected, networkType }` first (from
 * `wx.getNetworkType`), then each change from `wx.onNetworkStatusChange`. Shared by every
 * subscriber, emits only on change, and detaches with `wx.offNetworkStatusChange(handler)`
 * after the last subscriber leaves. Late subscribers get the current state at once.
 *
 * If `getNetworkType` fails, the state is taken as `{ isConnected: true, networkType:
 * 'unknown' }`, so nothing waits forever for a network that may well be there.
 *
 * @example
 * networkStatus$.subscribe(({ isConnected, networkType }) => this.setData({ networkType }))
 */
export const networkStatus$: Observable<NetworkStatus> = /*#__PURE__*/ source.pipe(
  /*#__PURE__*/ distinctUntilChanged(
    (a: NetworkStatus, b: NetworkStatus) =>
      a.isConnected === b.isConnected && a.networkType === b.networkType,
  ),
  /*#__PURE__*/ shareReplay({ bufferSize: 1, refCount: true }),
)

/** `true` while the device is online, `false` while offline; current value first, then changes. */
export const isOnline$: Observable<boolean> = /*#__PURE__*/ networkStatus$.pipe(
  /*#__PURE__*/ map((status) => status.isConnected),
  /*#__PURE__*/ distinctUntilChanged(),
)
