import { Observable, share } from 'rxjs'
import { optionsError } from '../core/check'
import { fromWxEvent } from '../core/from-wx-event'
import { toWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import { gcj02ToWgs84 } from './coordinates'

/** A coordinate system: `wgs84` (GPS) or `gcj02` (China's, used by `<map>` and `openLocation`). */
export type CoordinateType = 'wgs84' | 'gcj02'

/** One location fix: wx's fields, in the coordinate system named by `type`. */
export type LocationEvent = WechatMiniprogram.OnLocationChangeListenerResult & {
  /** The coordinate system of `latitude`/`longitude`. */
  type: CoordinateType
}

/** Options of `location$`. */
export interface LocationOptions {
  /** The coordinate system of the fixes. @default 'gcj02' */
  type?: CoordinateType
  /**
   * Milliseconds between `wx.getLocation` calls on base libraries without
   * `startLocationUpdate` (before 2.8.0). @default 3000
   */
  interval?: number
  /** Passed to `wx.getLocation` when polling: high accuracy (base library 2.9.0+). */
  isHighAccuracy?: boolean
  /** Passed to `wx.getLocation` when polling: how long to wait for high accuracy, ms. */
  highAccuracyExpireTime?: number
}

type RawFix = WechatMiniprogram.OnLocationChangeListenerResult

// The one location session of the app (wx has one: any stopLocationUpdate stops it for
// everyone), shared by every subscriber of the wx it was made for. It always runs in GCJ-02;
// subscribers who want WGS84 get the fixes converted (see `location$`).
let sessionHost: object | undefined
let sessionFixes$: Observable<RawFix>

// startLocationUpdate and stopLocationUpdate calls run one after another, in order, so that a
// session left while still starting cannot stop the session that replaces it.
// Made on first use, not at import: a module-level `Promise.resolve()` is a call bundlers
// must keep, and it would keep this whole module in every app that imports the package.
let control: Promise<unknown> | undefined

function controlled(command: () => Promise<unknown> | undefined): void {
  control = (control || Promise.resolve()).then(command).catch(() => undefined)
}

function updates$(host: Record<string, unknown>): Observable<RawFix> {
  if (sessionHost !== host) {
    sessionHost = host
    sessionFixes$ = new Observable<RawFix>((subscriber) => {
      // Both listeners exist (checked by location$ and below), so fromWxEvent cannot fail here.
      const changes = fromWxEvent('onLocationChange').subscribe((fix) => subscriber.next(fix))
      // onLocationChangeError (2.24.0+) reports a session that broke after it started.
      if (typeof host.onLocationChangeError === 'function') {
        changes.add(
          fromWxEvent('onLocationChangeError').subscribe((event) =>
            subscriber.error(toWxError('onLocationChange', event)),
          ),
        )
      }
      let started = false
      controlled(() =>
        invoke('startLocationUpdate', { type: 'gcj02' }).then(
          () => {
            started = true
          },
          (error) => subscriber.error(error),
        ),
      )
      return () => {
        changes.unsubscribe()
        // Queued behind the start, so a session left while starting is stopped once started.
        controlled(() => (started ? invoke('stopLocationUpdate') : undefined))
      }
    }).pipe(share())
  }
  return sessionFixes$
}

const OPTIONS = {
  type: {
    type: 'custom',
    test: (value: unknown) => value === 'wgs84' || value === 'gcj02',
    expected: "'wgs84' or 'gcj02'",
  },
  interval: { type: 'number', min: 0, exclusiveMin: true },
  isHighAccuracy: { type: 'boolean' },
  highAccuracyExpireTime: { type: 'number', min: 0 },
} as const

/**
 * The device's location as a stream of fixes.
 *
 * - Where the base library has `wx.startLocationUpdate` (2.8.0+): subscribing registers
 *   `wx.onLocationChange(handler)` and calls `startLocationUpdate`; the session is shared by
 *   every subscriber (wx has only one), and after the last unsubscribe it calls
 *   `stopLocationUpdate` and `wx.offLocationChange(sameHandler)`. The session runs in GCJ-02;
 *   `type: 'wgs84'` fixes are converted with `gcj02ToWgs84`.
 * - Otherwise it polls `wx.getLocation({ type })` every `interval` ms while subscribed.
 *
 * Errors: `TypeError` for bad options; `WxError` when starting fails
 * (`startLocationUpdate:fail auth deny` when the user refused `scope.userLocation`), when a
 * poll fails, or when wx reports `onLocationChangeError`. Use `retry()` to start again.
 * Requires `scope.userLocation` and, since 2022, declaring the APIs in app.json
 * `requiredPrivateInfos`.
 *
 * @example
 * location$({ type: 'wgs84' }).pipe(take(1)).subscribe(({ latitude, longitude }) => ...)
 */
export function location$(options?: LocationOptions): Observable<LocationEvent> {
  return new Observable<LocationEvent>((subscriber) => {
    const invalid = optionsError('location$', options, OPTIONS, { optional: true })
    if (invalid) return subscriber.error(invalid)
    const locationOptions: LocationOptions = options || {}
    const type = locationOptions.type || 'gcj02'
    const host = getWx() as unknown as Record<string, unknown> | undefined
    const modern =
      !!host &&
      typeof host.startLocationUpdate === 'function' &&
      typeof host.onLocationChange === 'function'
    // The session runs in GCJ-02, so its fixes are converted for a WGS84 subscriber; polling
    // asks wx for the subscriber's own type. wx's errMsg is left out.
    const emit = (fix: RawFix) => {
      const converted = modern && type !== 'gcj02' ? gcj02ToWgs84(fix) : undefined
      const event: LocationEvent & { errMsg?: string } = { ...fix, ...converted, type }
      delete event.errMsg
      subscriber.next(event)
    }
    const fail = (error: unknown) => subscriber.error(error)
    // The session never completes: it ends by error or unsubscribe.
    if (modern) return updates$(host).subscribe({ next: emit, error: fail })

    const request: Record<string, unknown> = { type }
    ;(['isHighAccuracy', 'highAccuracyExpireTime'] as const).forEach((key) => {
      if (locationOptions[key] !== undefined) request[key] = locationOptions[key]
    })
    let timer: ReturnType<typeof setTimeout> | undefined
    // The next poll is scheduled after each answer, so slow answers never pile up; none once
    // the subscriber has gone (an answer after that is dropped by `next` itself).
    const poll = () => {
      invoke('getLocation', request).then((fix) => {
        emit(fix as RawFix)
        if (!subscriber.closed) timer = setTimeout(poll, locationOptions.interval || 3000)
      }, fail)
    }
    poll()
    return () => {
      if (timer) clearTimeout(timer)
    }
  })
}
