// Location of the host: a scripted WGS-84 position (moved by the test with `moveTo` or a
// timed `setTrack`), reported by getLocation / getFuzzyLocation / onLocationChange in the
// coordinate system asked for (GCJ-02 through the host's own transform in geo.ts).
// chooseLocation answers from a scripted queue, openLocation is recorded. Everything that
// reads the position needs scope.userLocation (the background updates
// scope.userLocationBackground) and WeChat's own location permission.
import { authOf } from './auth'
import { HostFail, type HostContext } from './context'
import { toGcj02, type LatLng } from './geo'
import { optionalString, requireNumber } from './params'

/** A position the host reports (WGS-84 degrees; the extras have WeChat's meaning). */
export interface LocationPoint extends LatLng {
  /** Metres above sea level. @default 0 */
  altitude?: number
  /** Metres per second. @default 0 */
  speed?: number
  /** Metres. @default 65 */
  accuracy?: number
  /** Metres. @default 10 */
  verticalAccuracy?: number
}

/** Options of the location part of the host. */
export interface LocationHostOptions {
  /** Where the device is at start (WGS-84). @default Tian'anmen Square, Beijing */
  position?: LocationPoint
}

/** What chooseLocation answers: the place the user tapped on the map. */
export interface ChosenLocation {
  name: string
  address: string
  latitude: number
  longitude: number
}

/** An openLocation call. */
export interface OpenLocationRecord {
  latitude: number
  longitude: number
  scale: number
  name: string
  address: string
}

/** Test controls of the location part of the host. */
export interface LocationHostControls {
  /** The current WGS-84 position. */
  position(): LocationPoint
  /** Moves the device; fires `onLocationChange` while updates run. */
  moveTo(point: LocationPoint): void
  /**
   * Walks the device along `points`: the first at once, then one every `intervalMs`, each
   * firing `onLocationChange` while updates run. Replaces a running track.
   */
  setTrack(points: LocationPoint[], intervalMs: number): void
  /** Stops a running track where it is. */
  stopTrack(): void
  /** `foreground`, `background`, or false when no update runs. */
  updating(): 'foreground' | 'background' | false
  /** Queues the user's next pick in chooseLocation. */
  pickLocation(place: ChosenLocation): void
  /** The next chooseLocation fails `chooseLocation:fail cancel`. */
  cancelNextChoose(): void
  /** Every openLocation call, in order. */
  opened(): OpenLocationRecord[]
}

const DEFAULT_POSITION: LocationPoint = { latitude: 39.908823, longitude: 116.39747 }

/** Adds the location members to `ctx.wx`. */
export function installLocation(
  ctx: HostContext,
  options: LocationHostOptions,
): LocationHostControls {
  const auth = authOf(ctx)
  let position: LocationPoint = { ...DEFAULT_POSITION, ...options.position }
  let updating: 'foreground' | 'background' | false = false
  let updateType = 'gcj02'
  let stopTrackTimer: (() => void) | undefined
  const chosen: Array<ChosenLocation | 'cancel'> = []
  const opened: OpenLocationRecord[] = []

  const report = (type: string) => {
    const p =
      type === 'gcj02'
        ? toGcj02(position)
        : { latitude: position.latitude, longitude: position.longitude }
    const accuracy = position.accuracy ?? 65
    return {
      latitude: p.latitude,
      longitude: p.longitude,
      speed: position.speed ?? 0,
      accuracy,
      altitude: position.altitude ?? 0,
      verticalAccuracy: position.verticalAccuracy ?? 10,
      horizontalAccuracy: accuracy,
    }
  }
  const typeOf = (o: Record<string, any>, fallback: string) => {
    const type = optionalString(o, 'type', fallback).toLowerCase()
    return type === 'gcj02' ? 'gcj02' : 'wgs84'
  }
  const requireLocation = (api: string, scope = 'scope.userLocation') =>
    auth.require(scope, api, 'locationAuthorized', 'locationEnabled')
  const fire = () => {
    if (updating && !ctx.closed) ctx.emit('LocationChange', report(updateType))
  }
  const move = (point: LocationPoint) => {
    if (!point || typeof point.latitude !== 'number' || typeof point.longitude !== 'number') {
      throw new TypeError('host.location: a point needs numeric latitude and longitude')
    }
    position = { ...point }
    fire()
  }

  ctx.defineAsync('getLocation', (o, settle) => {
    const type = typeOf(o, 'wgs84')
    requireLocation('getLocation')
    settle.ok(report(type))
  })
  ctx.defineAsync('getFuzzyLocation', (o, settle) => {
    const type = typeOf(o, 'wgs84')
    auth.require(
      'scope.userFuzzyLocation',
      'getFuzzyLocation',
      'locationAuthorized',
      'locationEnabled',
    )
    const p = report(type)
    // About a kilometre of blur, like WeChat's fuzzy location.
    settle.ok({
      latitude: Math.round(p.latitude * 100) / 100,
      longitude: Math.round(p.longitude * 100) / 100,
    })
  })
  ctx.defineAsync('chooseLocation', (_o, settle) => {
    requireLocation('chooseLocation')
    const answer = chosen.shift()
    if (!answer || answer === 'cancel') throw new HostFail('cancel')
    settle.ok({ ...answer })
  })
  ctx.defineAsync('openLocation', (o, settle) => {
    const latitude = requireNumber(o, 'latitude')
    const longitude = requireNumber(o, 'longitude')
    const scale = o.scale === undefined ? 18 : requireNumber(o, 'scale')
    opened.push({
      latitude,
      longitude,
      scale,
      name: optionalString(o, 'name', ''),
      address: optionalString(o, 'address', ''),
    })
    settle.ok({})
  })
  const startUpdate = (api: string, mode: 'foreground' | 'background', scope: string) =>
    ctx.defineAsync(api, (o, settle) => {
      const type = typeOf(o, 'gcj02')
      requireLocation(api, scope)
      // Background updates also need the foreground scope, as in WeChat's settings page.
      if (mode === 'background') requireLocation(api)
      updateType = type
      const first = !updating
      updating = mode === 'background' || updating === 'background' ? 'background' : 'foreground'
      settle.ok({})
      // The first fix arrives right after the update starts.
      if (first) ctx.later(fire)
    })
  startUpdate('startLocationUpdate', 'foreground', 'scope.userLocation')
  startUpdate('startLocationUpdateBackground', 'background', 'scope.userLocationBackground')
  ctx.defineAsync('stopLocationUpdate', (_o, settle) => {
    updating = false
    settle.ok({})
  })
  ctx.defineListener('LocationChange')
  ctx.defineListener('LocationChangeError')

  const stopTrack = () => {
    stopTrackTimer?.()
    stopTrackTimer = undefined
  }
  return {
    position: () => ({ ...position }),
    moveTo: (point) => move(point),
    setTrack(points, intervalMs) {
      if (!Array.isArray(points) || points.length === 0) {
        throw new TypeError('host.location.setTrack: expected a non-empty array of points')
      }
      if (!(intervalMs > 0)) throw new TypeError('host.location.setTrack: intervalMs must be > 0')
      stopTrack()
      let index = 0
      move(points[0])
      if (points.length === 1) return
      stopTrackTimer = ctx.setRepeatingTimer(() => {
        index += 1
        move(points[index])
        if (index >= points.length - 1) stopTrack()
      }, intervalMs)
    },
    stopTrack,
    updating: () => updating,
    pickLocation(place) {
      chosen.push({ ...place })
    },
    cancelNextChoose() {
      chosen.push('cancel')
    },
    opened: () => opened.map((o) => ({ ...o })),
  }
}
