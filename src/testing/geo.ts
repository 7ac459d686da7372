// WGS-84 → GCJ-02, the published "Mars coordinates" transform every Chinese map uses, written
// here for the host (the host never imports the SDK's own version in src/location). Points
// outside China's bounding box are returned unchanged, as the transform defines.

/** A point in degrees. */
export interface LatLng {
  latitude: number
  longitude: number
}

// Krasovsky 1940 ellipsoid, as the transform uses.
const SEMI_MAJOR = 6378245.0
const ECCENTRICITY_SQUARED = 0.006693421622965943

/** True when the point lies outside the box in which GCJ-02 differs from WGS-84. */
export function outsideChina(p: LatLng): boolean {
  return (
    p.longitude < 72.004 || p.longitude > 137.8347 || p.latitude < 0.8293 || p.latitude > 55.8271
  )
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

/** Converts a WGS-84 point to GCJ-02 (unchanged outside China). */
export function toGcj02(p: LatLng): LatLng {
  if (outsideChina(p)) return { latitude: p.latitude, longitude: p.longitude }
  const x = p.longitude - 105
  const y = p.latitude - 35
  const radLat = (p.latitude / 180) * Math.PI
  const sin = Math.sin(radLat)
  const magic = 1 - ECCENTRICITY_SQUARED * sin * sin
  const sqrtMagic = Math.sqrt(magic)
  const dLat =
    (offsetLatitude(x, y) * 180) /
    (((SEMI_MAJOR * (1 - ECCENTRICITY_SQUARED)) / (magic * sqrtMagic)) * Math.PI)
  const dLng =
    (offsetLongitude(x, y) * 180) / ((SEMI_MAJOR / sqrtMagic) * Math.cos(radLat) * Math.PI)
  return { latitude: p.latitude + dLat, longitude: p.longitude + dLng }
}
