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

// The constants of the published GCJ-02 transform: the Krasovsky 1940 ellipsoid.
const KRASOVSKY_A = 6378245.0
// (published as 0.00669342162296594323; written here at double precision)
const KRASOVSKY_EE = 0.006693421622965943
const RAD = Math.PI / 180

/**
 * True when the point lies outside the box in which the GCJ-02 offset applies (longitude
 * 72.004..137.8347, latitude 0.8293..55.8271, as the published transform defines it). The
 * box is coarse: it also covers parts of neighbouring countries, exactly like the transform
 * used by Chinese map providers.
 */
export function isOutsideChina(point: LatLng): boolean {
  const { latitude, longitude } = point
  return longitude < 72.004 || longitude > 137.8347 || latitude < 0.8293 || latitude > 55.8271
}

function offsetLatitude(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3
  return r
}

function offsetLongitude(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3
  return r
}

// The GCJ-02 offset (in degrees) of a WGS84 point inside the box.
function offset(latitude: number, longitude: number): { dLat: number; dLng: number } {
  const x = longitude - 105
  const y = latitude - 35
  const radLat = latitude * RAD
  const s = Math.sin(radLat)
  const magic = 1 - KRASOVSKY_EE * s * s
  const sqrtMagic = Math.sqrt(magic)
  const dLat =
    (offsetLatitude(x, y) * 180) /
    (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI)
  const dLng =
    (offsetLongitude(x, y) * 180) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI)
  return { dLat, dLng }
}

function checkPoint(api: string, point: unknown): LatLng {
  const p = point as LatLng | null
  if (
    p === null ||
    typeof p !== 'object' ||
    typeof p.latitude !== 'number' ||
    typeof p.longitude !== 'number' ||
    !isFinite(p.latitude) ||
    !isFinite(p.longitude)
  ) {
    throw new TypeError(
      api + ': the point must be { latitude, longitude } with finite numbers (degrees)',
    )
  }
  return p
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
  const p = checkPoint('wgs84ToGcj02', point)
  if (isOutsideChina(p)) return { latitude: p.latitude, longitude: p.longitude }
  const d = offset(p.latitude, p.longitude)
  return { latitude: p.latitude + d.dLat, longitude: p.longitude + d.dLng }
}

// 1e-10 degrees is about 0.01 mm; the iteration converges to it in a handful of steps because
// the offset changes very slowly with position (its derivative is about 1e-3).
const INVERSE_TOLERANCE = 1e-10
const INVERSE_MAX_STEPS = 30

/**
 * Converts a GCJ-02 point back to WGS84 by fixed-point iteration on the forward transform,
 * to within 1e-10 degrees (about 0.01 mm; far better than the required 0.01 m) everywhere
 * inside China. Points outside China are returned unchanged.
 *
 * @throws TypeError when `point` is not `{ latitude, longitude }` with finite numbers.
 */
export function gcj02ToWgs84(point: LatLng): LatLng {
  const p = checkPoint('gcj02ToWgs84', point)
  if (isOutsideChina(p)) return { latitude: p.latitude, longitude: p.longitude }
  // Start from the one-step estimate, then correct by the forward error each round.
  let d = offset(p.latitude, p.longitude)
  let latitude = p.latitude - d.dLat
  let longitude = p.longitude - d.dLng
  for (let i = 0; i < INVERSE_MAX_STEPS; i++) {
    d = offset(latitude, longitude)
    const errLat = latitude + d.dLat - p.latitude
    const errLng = longitude + d.dLng - p.longitude
    latitude -= errLat
    longitude -= errLng
    if (Math.abs(errLat) < INVERSE_TOLERANCE && Math.abs(errLng) < INVERSE_TOLERANCE) break
  }
  return { latitude, longitude }
}

// WGS84 ellipsoid, for Vincenty's inverse formula.
const WGS84_A = 6378137
const WGS84_F = 1 / 298.257223563
const WGS84_B = WGS84_A * (1 - WGS84_F)
// The IUGG mean earth radius, for the haversine fallback.
const MEAN_RADIUS = 6371008.8

function haversine(a: LatLng, b: LatLng): number {
  const dLat = (b.latitude - a.latitude) * RAD
  const dLng = (b.longitude - a.longitude) * RAD
  const h =
    Math.sin(dLat / 2) * Math.sin(dLat / 2) +
    Math.cos(a.latitude * RAD) *
      Math.cos(b.latitude * RAD) *
      Math.sin(dLng / 2) *
      Math.sin(dLng / 2)
  return 2 * MEAN_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)))
}

// Vincenty (1975) inverse on the WGS84 ellipsoid; undefined when it does not converge
// (nearly antipodal points), where the caller falls back to the haversine formula.
function vincenty(a: LatLng, b: LatLng): number | undefined {
  const L = (b.longitude - a.longitude) * RAD
  const U1 = Math.atan((1 - WGS84_F) * Math.tan(a.latitude * RAD))
  const U2 = Math.atan((1 - WGS84_F) * Math.tan(b.latitude * RAD))
  const sinU1 = Math.sin(U1)
  const cosU1 = Math.cos(U1)
  const sinU2 = Math.sin(U2)
  const cosU2 = Math.cos(U2)
  let lambda = L
  for (let i = 0; i < 200; i++) {
    const sinLambda = Math.sin(lambda)
    const cosLambda = Math.cos(lambda)
    const t1 = cosU2 * sinLambda
    const t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda
    const sinSigma = Math.sqrt(t1 * t1 + t2 * t2)
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
    if (Math.abs(lambda - previous) < 1e-12) {
      const u2 = (cos2Alpha * (WGS84_A * WGS84_A - WGS84_B * WGS84_B)) / (WGS84_B * WGS84_B)
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
  const p = checkPoint('distance', a)
  const q = checkPoint('distance', b)
  const d = vincenty(p, q)
  return d === undefined ? haversine(p, q) : d
}
