import { checkValue, type CustomRule } from '../core/check'

// WGS84 <-> GCJ-02 and geodesic distance. Pure functions: no wx, no state.
//
// GCJ-02 is WGS84 plus a published, deterministic offset (the "Krasovsky" polynomial below)
// applied only inside a bounding box around China; outside the box the two are identical.
// The forward transform has no closed-form inverse, so `gcj02ToWgs84` iterates.

/** A point on the earth in degrees. */
export interface LatLng {
  /** Latitude in degrees, -90..90, south negative. */
  latitude: number
  /** Longitude in degrees, -180..180, west negative. */
  longitude: number
}

// The few Math functions this file uses many times, as locals (shorter in the bundle).
const { sin, cos, sqrt, abs, PI } = Math
const RAD = PI / 180

// The constants of the published GCJ-02 transform: the Krasovsky 1940 ellipsoid.
const KRASOVSKY_A = 6378245.0
// (published as 0.00669342162296594323; written here at double precision)
const KRASOVSKY_EE = 0.006693421622965943

/**
 * True when the point lies outside the box in which the GCJ-02 offset applies (longitude
 * 72.004..137.8347, latitude 0.8293..55.8271, as the published transform defines it). The
 * box is coarse: it also covers parts of neighbouring countries, exactly like the transform
 * used by Chinese map providers.
 */
export function isOutsideChina(point: LatLng): boolean {
  return outside(checkPoint('isOutsideChina', 'point', point))
}

function outside(p: LatLng): boolean {
  const longitude = p.longitude
  const latitude = p.latitude
  return longitude < 72.004 || longitude > 137.8347 || latitude < 0.8293 || latitude > 55.8271
}

// The periodic part of the published offset polynomials (before their common factor 2/3):
// 20 sin(vπ) + 40 sin(vπ/3) + k (sin(vπ/12) + 2 sin(vπ/30)), with k = 160 for latitude
// (v = y) and 150 for longitude (v = x).
function waves(v: number, k: number): number {
  return (
    20 * sin(v * PI) + 40 * sin((v * PI) / 3) + k * (sin((v * PI) / 12) + 2 * sin((v * PI) / 30))
  )
}

// The GCJ-02 point of a WGS84 point inside the box.
function toGcj({ latitude, longitude }: LatLng): LatLng {
  const x = longitude - 105
  const y = latitude - 35
  const shared = 20 * sin(6 * x * PI) + 20 * sin(2 * x * PI)
  const q = sqrt(abs(x))
  const offsetLat =
    -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * q + ((shared + waves(y, 160)) * 2) / 3
  const offsetLng =
    300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * q + ((shared + waves(x, 150)) * 2) / 3
  // Metres of the offsets to degrees on the Krasovsky ellipsoid at this latitude.
  const radLat = latitude * RAD
  const s = sin(radLat)
  const magic = 1 - KRASOVSKY_EE * s * s
  const sqrtMagic = sqrt(magic)
  return {
    latitude: latitude + (offsetLat * magic * sqrtMagic) / (KRASOVSKY_A * (1 - KRASOVSKY_EE) * RAD),
    longitude: longitude + (offsetLng * sqrtMagic) / (KRASOVSKY_A * cos(radLat) * RAD),
  }
}

const POINT_RULE: CustomRule = {
  type: 'custom',
  required: true,
  test: (value) => {
    const point = value as Partial<LatLng> | null
    return !!point && isFiniteNumber(point.latitude) && isFiniteNumber(point.longitude)
  },
  expected: '{ latitude, longitude } in finite degrees',
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && isFinite(value)
}

function checkPoint(api: string, field: string, point: LatLng): LatLng {
  checkValue(api, field, point, POINT_RULE)
  return point
}

// 1e-10 degrees is about 0.01 mm; the inverse converges to it in a handful of steps because
// the offset changes very slowly with position (its derivative is about 1e-3).
const INVERSE_TOLERANCE = 1e-10
const INVERSE_MAX_STEPS = 30

// WGS84 to GCJ-02: a new point, unchanged outside China.
function forward(point: LatLng): LatLng {
  return outside(point) ? { latitude: point.latitude, longitude: point.longitude } : toGcj(point)
}

// GCJ-02 to WGS84, unchanged outside China. A fixed-point iteration: move the guess (first the
// GCJ-02 point itself) back by the forward transform's error until that error is below the
// tolerance.
function inverse(point: LatLng): LatLng {
  let latitude = point.latitude
  let longitude = point.longitude
  if (outside(point)) return { latitude, longitude }
  for (let step = 0; step < INVERSE_MAX_STEPS; step++) {
    const guess = toGcj({ latitude, longitude })
    const errLat = guess.latitude - point.latitude
    const errLng = guess.longitude - point.longitude
    latitude -= errLat
    longitude -= errLng
    if (abs(errLat) < INVERSE_TOLERANCE && abs(errLng) < INVERSE_TOLERANCE) break
  }
  return { latitude, longitude }
}

/**
 * Converts a WGS84 point (GPS, `wx.getLocation({ type: 'wgs84' })`) to GCJ-02 (the system of
 * `wx.openLocation`, `<map>` and Chinese map providers). Points outside China are returned
 * unchanged, as the published transform defines.
 *
 * @throws TypeError when `point` is not `{ latitude, longitude }` with finite numbers.
 * @example
 * wgs84ToGcj02({ latitude: 39.915, longitude: 116.404 }) // { latitude: 39.91640…, longitude: 116.41024… }
 */
export function wgs84ToGcj02(point: LatLng): LatLng {
  return forward(checkPoint('wgs84ToGcj02', 'point', point))
}

/**
 * Converts a GCJ-02 point back to WGS84 by fixed-point iteration on the forward transform,
 * to within 1e-10 degrees (about 0.01 mm; far better than the required 0.01 m) everywhere
 * inside China. Points outside China are returned unchanged.
 *
 * @throws TypeError when `point` is not `{ latitude, longitude }` with finite numbers.
 */
export function gcj02ToWgs84(point: LatLng): LatLng {
  return inverse(checkPoint('gcj02ToWgs84', 'point', point))
}

// WGS84 ellipsoid, for Vincenty's inverse formula.
const WGS84_A = 6378137
const WGS84_F = 1 / 298.257223563
const WGS84_B = WGS84_A * (1 - WGS84_F)
// The second eccentricity squared, (a² - b²) / b².
const WGS84_EP2 = (WGS84_A * WGS84_A - WGS84_B * WGS84_B) / (WGS84_B * WGS84_B)
// The IUGG mean earth radius, for the haversine fallback.
const MEAN_RADIUS = 6371008.8

// Vincenty (1975) inverse on the WGS84 ellipsoid; undefined when it does not converge
// (nearly antipodal points), where the caller falls back to the haversine formula.
function vincenty(a: LatLng, b: LatLng): number | undefined {
  const L = (b.longitude - a.longitude) * RAD
  // Reduced latitudes.
  const reduced = (p: LatLng) => Math.atan((1 - WGS84_F) * Math.tan(p.latitude * RAD))
  const U1 = reduced(a)
  const U2 = reduced(b)
  const sinU1 = sin(U1)
  const cosU1 = cos(U1)
  const sinU2 = sin(U2)
  const cosU2 = cos(U2)
  let lambda = L
  for (let i = 0; i < 200; i++) {
    const sinLambda = sin(lambda)
    const cosLambda = cos(lambda)
    const t1 = cosU2 * sinLambda
    const t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda
    const sinSigma = sqrt(t1 * t1 + t2 * t2)
    if (sinSigma === 0) return 0 // the same point
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda
    const sigma = Math.atan2(sinSigma, cosSigma)
    const sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma
    const cos2Alpha = 1 - sinAlpha * sinAlpha
    // On the equator cos2Alpha is 0 and the term vanishes.
    const cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha
    const C = (WGS84_F / 16) * cos2Alpha * (4 + WGS84_F * (4 - 3 * cos2Alpha))
    const previous = lambda
    lambda =
      L +
      (1 - C) *
        WGS84_F *
        sinAlpha *
        (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
    if (abs(lambda - previous) < 1e-12) {
      const u2 = cos2Alpha * WGS84_EP2
      const A = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
      const B = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
      const deltaSigma =
        B *
        sinSigma *
        (cos2SigmaM +
          (B / 4) *
            (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
              (B / 6) *
                cos2SigmaM *
                (-3 + 4 * sinSigma * sinSigma) *
                (-3 + 4 * cos2SigmaM * cos2SigmaM)))
      return WGS84_B * A * (sigma - deltaSigma)
    }
  }
  return undefined
}

/**
 * The distance in metres between two points given in the same coordinate system, along the
 * WGS84 ellipsoid (Vincenty's inverse formula: accurate to well under a millimetre). For the
 * rare nearly antipodal pairs where Vincenty does not converge it falls back to the
 * haversine formula on the mean earth radius (error up to about 0.5%).
 *
 * Mixing systems (a WGS84 point and a GCJ-02 point) adds the GCJ-02 offset, up to several
 * hundred metres in China: convert one of them first.
 *
 * @throws TypeError when either point is not `{ latitude, longitude }` with finite numbers.
 */
export function distance(a: LatLng, b: LatLng): number {
  const p = checkPoint('distance', 'a', a)
  const q = checkPoint('distance', 'b', b)
  const d = vincenty(p, q)
  if (d !== undefined) return d
  // Haversine.
  const sinLat = sin(((q.latitude - p.latitude) * RAD) / 2)
  const sinLng = sin(((q.longitude - p.longitude) * RAD) / 2)
  const h = sinLat * sinLat + cos(p.latitude * RAD) * cos(q.latitude * RAD) * sinLng * sinLng
  return 2 * MEAN_RADIUS * Math.asin(Math.min(1, sqrt(h)))
}
