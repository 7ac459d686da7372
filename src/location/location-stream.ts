import { Observable, share } from 'rxjs'
import { argumentError, isPlainObject } from '../core/describe'
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
// subscribers who want WGS84 get the fixes converted (see `toType`).
let session: { host: object; fixes$: Observable<RawFix> } | undefined

// startLocationUpdate and stopLocationUpdate calls run one after another, in order, so that a
// session left while still starting cannot stop the session that replaces it.
let control: Promise<unknown> = Promise.resolve()

function controlled(command: () => Promise<unknown> | undefined): void {
  const ignore = () => undefined
  control = control.then(command).then(ignore, ignore)
}

function updates$(host: Record<string, unknown>): Observable<RawFix> {
  if (session && session.host === host) return session.fixes$
  const fixes$ = new Observable<RawFix>((subscriber) => {
    const changes = fromWxEvent('onLocationChange').subscribe({
      next: (fix) => subscriber.next(fix as RawFix),
      error: (error) => subscriber.error(error),
    })
    // onLocationChangeError (2.24.0+) reports a session that broke after it started.
    if (typeof host.onLocationChangeError === 'function') {
      changes.add(
        fromWxEvent('onLocationChangeError').subscribe((event) => {
          subscriber.error(toWxError('onLocationChange', event))
        }),
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
  session = { host, fixes$ }
  return fixes$
}

function polling$(options: LocationOptions, type: CoordinateType): Observable<RawFix> {
  const interval = options.interval === undefined ? 3000 : options.interval
  const request: Record<string, unknown> = { type }
  if (options.isHighAccuracy !== undefined) request.isHighAccuracy = options.isHighAccuracy
  if (options.highAccuracyExpireTime !== undefined) {
    request.highAccuracyExpireTime = options.highAccuracyExpireTime
  }
  return new Observable<RawFix>((subscriber) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let closed = false
    // The next poll is scheduled after each answer, so slow answers never pile up.
    const poll = () => {
      timer = undefined
      invoke('getLocation', request).then(
        (result) => {
          if (closed) return
          const fix = {} as Record<string, unknown>
          const raw = result as Record<string, unknown>
          for (const key in raw) {
            if (key !== 'errMsg' && Object.prototype.hasOwnProperty.call(raw, key))
              fix[key] = raw[key]
          }
          subscriber.next(fix as unknown as RawFix)
          if (!closed) timer = setTimeout(poll, interval)
        },
        (error) => subscriber.error(error),
      )
    }
    poll()
    return () => {
      closed = true
      if (timer !== undefined) clearTimeout(timer)
    }
  })
}

function toType(fix: RawFix, from: CoordinateType, to: CoordinateType): LocationEvent {
  const event = {} as Record<string, unknown>
  for (const key in fix) {
    if (key !== 'errMsg' && Object.prototype.hasOwnProperty.call(fix, key)) {
      event[key] = (fix as unknown as Record<string, unknown>)[key]
    }
  }
  if (from !== to && typeof fix.latitude === 'number' && typeof fix.longitude === 'number') {
    const p = gcj02ToWgs84({ latitude: fix.latitude, longitude: fix.longitude })
    event.latitude = p.latitude
    event.longitude = p.longitude
  }
  event.type = to
  return event as unknown as LocationEvent
}

function validate(options: unknown): TypeError | undefined {
  if (options === undefined) return undefined
  if (!isPlainObject(options)) return argumentError('location$', 'options', 'an object', options)
  const o = options as LocationOptions
  if (o.type !== undefined && o.type !== 'wgs84' && o.type !== 'gcj02') {
    return argumentError('location$', 'options.type', "'wgs84' or 'gcj02'", o.type)
  }
  if (
    o.interval !== undefined &&
    !(typeof o.interval === 'number' && o.interval > 0 && isFinite(o.interval))
  ) {
    return argumentError(
      'location$',
      'options.interval',
      'a positive number of milliseconds',
      o.interval,
    )
  }
  return undefined
}

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
    const bad = validate(options)
    if (bad) {
      subscriber.error(bad)
      return undefined
    }
    const o = options || {}
    const type: CoordinateType = o.type || 'gcj02'
    const host = getWx() as unknown as Record<string, unknown> | undefined
    const modern =
      !!host &&
      typeof host.startLocationUpdate === 'function' &&
      typeof host.onLocationChange === 'function'
    const source = modern ? updates$(host) : polling$(o, type)
    const from: CoordinateType = modern ? 'gcj02' : type
    return source.subscribe({
      next: (fix) => subscriber.next(toType(fix, from, type)),
      error: (error) => subscriber.error(error),
      complete: () => subscriber.complete(),
    })
  })
}
