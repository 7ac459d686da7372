// The device's network state as a shared stream: wx.getNetworkType for the current state,
// then wx.onNetworkStatusChange through fromWxEvent, which keeps one wx listener however many
// subscribers, and only one for good where the base library has no offNetworkStatusChange.
import { distinctUntilChanged, map, NEVER, Observable, shareReplay } from 'rxjs'
import { fromWxEvent } from '../core/from-wx-event'
import { isString } from '../core/guards'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'

/** The device's network state. */
export interface NetworkStatus {
  /** Whether the device has a network connection. */
  isConnected: boolean
  /** `wifi`, `2g`, `3g`, `4g`, `5g`, `unknown` or `none`. */
  networkType: string
}

interface RawStatus {
  isConnected?: unknown
  networkType?: unknown
}

function toStatus(raw: RawStatus | undefined): NetworkStatus {
  const given = raw || {}
  const networkType = isString(given.networkType) ? given.networkType : 'unknown'
  return {
    isConnected: typeof given.isConnected == 'boolean' ? given.isConnected : networkType != 'none',
    networkType,
  }
}

// The change events, or none where the base library cannot report them.
function statusChanges(): Observable<RawStatus> {
  const host = getWx() as unknown as Record<string, unknown> | undefined
  if (!host || typeof host.onNetworkStatusChange !== 'function') return NEVER
  return fromWxEvent('onNetworkStatusChange') as unknown as Observable<RawStatus>
}

function watchNetwork(): Observable<NetworkStatus> {
  return new Observable<NetworkStatus>((subscriber) => {
    // A change event is newer than the getNetworkType answer that may still be on its way.
    let changed = false
    const changes = statusChanges().subscribe((raw) => {
      changed = true
      subscriber.next(toStatus(raw))
    })
    invoke('getNetworkType').then(
      (result) =>
        changed || subscriber.next(toStatus({ networkType: (result as RawStatus).networkType })),
      // Without a readable state, assume online: better to try a request than to hold every
      // request of the app forever.
      () => changed || subscriber.next(toStatus({ isConnected: true })),
    )
    return changes
  })
}

const source = /*#__PURE__*/ watchNetwork()

/**
 * The network state: the current `{ isConnected, networkType }` first (from
 * `wx.getNetworkType`), then each change from `wx.onNetworkStatusChange`. Shared by every
 * subscriber (one wx listener, however many), emits only on change, and detaches with
 * `wx.offNetworkStatusChange(handler)` after the last subscriber leaves; where the base
 * library lacks `offNetworkStatusChange`, one listener stays registered for good and is reused
 * by every later subscriber. Late subscribers get the current state at once.
 *
 * If `getNetworkType` fails, the state is taken as `{ isConnected: true, networkType:
 * 'unknown' }`, so nothing waits forever for a network that may well be there.
 *
 * @example
 * networkStatus$.subscribe(({ isConnected, networkType }) => this.setData({ networkType }))
 */
// Every call at module level is annotated, arguments included: `import { wxp }` must leave
// this module (and RxJS) out of the bundle.
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
