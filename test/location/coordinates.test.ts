import {
  distance,
  gcj02ToWgs84,
  isOutsideChina,
  wgs84ToGcj02,
} from '../../src/location/coordinates'
import type { LatLng } from '../../src/location/coordinates'

// Published WGS84 -> GCJ-02 pairs, each produced by the reference implementations of the
// published transform:
// - Tiananmen: wandergis/coordtransform, test/app.js
//   (wgs84togcj02(116.404, 39.915) -> [116.41024449916938, 39.91640428150164]).
// - Shanghai Pudong, Shenzhen, Beijing Xidan: googollee/eviltransform, go/transform_test.go
//   and javascript/test.js (wgsLat, wgsLng, gcjLat, gcjLng).
// - 45N 123E: hujiulong/gcoord, test/unit/crs/GCJ02.spec.js (GCJ02 [123, 45] -> WGS84
//   [122.99395597, 44.99804071]).
const PAIRS: { name: string; wgs: LatLng; gcj: LatLng }[] = [
  {
    name: 'Tiananmen, Beijing',
    wgs: { latitude: 39.915, longitude: 116.404 },
    gcj: { latitude: 39.91640428150164, longitude: 116.41024449916938 },
  },
  {
    name: 'Pudong, Shanghai',
    wgs: { latitude: 31.1774276, longitude: 121.5272106 },
    gcj: { latitude: 31.17530398364597, longitude: 121.531541859215 },
  },
  {
    name: 'Nanshan, Shenzhen',
    wgs: { latitude: 22.543847, longitude: 113.912316 },
    gcj: { latitude: 22.540796131694766, longitude: 113.9171764808363 },
  },
  {
    name: 'Xidan, Beijing',
    wgs: { latitude: 39.911954, longitude: 116.377817 },
    gcj: { latitude: 39.91334545536069, longitude: 116.38404722455657 },
  },
]

describe('wgs84ToGcj02', () => {
  it.each(PAIRS)('matches the published GCJ-02 of $name', ({ wgs, gcj }) => {
    const got = wgs84ToGcj02(wgs)
    expect(got.latitude).toBeCloseTo(gcj.latitude, 10)
    expect(got.longitude).toBeCloseTo(gcj.longitude, 10)
  })

  it('leaves points outside China unchanged (Tokyo, London, Sydney, 45N 183E)', () => {
    // The published transform applies the offset only inside lng 72.004..137.8347,
    // lat 0.8293..55.8271 (googollee/eviltransform, javascript/transform.js, outOfChina);
    // gcoord's test checks [183, 45] comes back unchanged.
    const outside: LatLng[] = [
      { latitude: 35.681236, longitude: 139.767125 },
      { latitude: 51.5007, longitude: -0.1246 },
      { latitude: -33.8568, longitude: 151.2153 },
      { latitude: 45, longitude: 183 },
    ]
    for (const p of outside) {
      expect(isOutsideChina(p)).toBe(true)
      expect(wgs84ToGcj02(p)).toEqual(p)
      expect(gcj02ToWgs84(p)).toEqual(p)
    }
  })

  it('returns a new object and never mutates its input', () => {
    const p = { latitude: 39.915, longitude: 116.404 }
    const frozen = Object.freeze({ ...p })
    expect(wgs84ToGcj02(frozen)).not.toBe(frozen)
    expect(frozen).toEqual(p)
  })

  it('throws a TypeError naming the function for a bad point', () => {
    expect(() => wgs84ToGcj02(null as never)).toThrow(/wgs84ToGcj02/)
    expect(() => wgs84ToGcj02({ latitude: NaN, longitude: 1 })).toThrow(TypeError)
    expect(() => gcj02ToWgs84({ latitude: '1', longitude: 1 } as never)).toThrow(/gcj02ToWgs84/)
    expect(() => distance({ latitude: 1, longitude: 1 }, {} as never)).toThrow(/distance/)
  })
})

describe('gcj02ToWgs84', () => {
  it.each(PAIRS)('recovers the published WGS84 of $name to better than 1 cm', ({ wgs, gcj }) => {
    expect(distance(gcj02ToWgs84(gcj), wgs)).toBeLessThan(0.01)
  })

  it('matches gcoord at 45N 123E', () => {
    const got = gcj02ToWgs84({ latitude: 45, longitude: 123 })
    expect(got.longitude).toBeCloseTo(122.99395597, 5)
    expect(got.latitude).toBeCloseTo(44.99804071, 5)
  })

  it('round-trips a 100 x 100 grid over China to better than 0.01 m', () => {
    // Mainland China's extent, 18..53.5 N and 73.5..135 E, well inside the transform's box.
    let worst = 0
    let worstAt: LatLng | undefined
    for (let i = 0; i < 100; i++) {
      for (let j = 0; j < 100; j++) {
        const wgs = { latitude: 18 + (35.5 * i) / 99, longitude: 73.5 + (61.5 * j) / 99 }
        const back = gcj02ToWgs84(wgs84ToGcj02(wgs))
        const err = distance(wgs, back)
        if (err > worst) {
          worst = err
          worstAt = wgs
        }
      }
    }
    // Measured: about 5e-8 m (at 49.91 N, 96.48 E). Asserted with room to spare.
    expect(worstAt).toBeDefined()
    expect(worst).toBeLessThan(0.001)
  })
})

describe('distance', () => {
  it('is 54,972.271 m from Flinders Peak to Buninyong (Geoscience Australia, Vincenty)', () => {
    // Geoscience Australia's worked example of Vincenty's inverse formula:
    // Flinders Peak 37 57 03.72030 S, 144 25 29.52440 E; Buninyong 37 39 10.15610 S,
    // 143 55 35.38390 E; ellipsoidal distance 54 972.271 m.
    const flinders = {
      latitude: -(37 + 57 / 60 + 3.7203 / 3600),
      longitude: 144 + 25 / 60 + 29.5244 / 3600,
    }
    const buninyong = {
      latitude: -(37 + 39 / 60 + 10.1561 / 3600),
      longitude: 143 + 55 / 60 + 35.3839 / 3600,
    }
    expect(distance(flinders, buninyong)).toBeCloseTo(54972.271, 2)
  })

  it('is 0 for the same point and symmetric', () => {
    const a = { latitude: 39.915, longitude: 116.404 }
    const b = { latitude: 31.2304, longitude: 121.4737 }
    expect(distance(a, a)).toBe(0)
    expect(distance(a, b)).toBeCloseTo(distance(b, a), 6)
    // Beijing to Shanghai is about 1,067 km.
    expect(distance(a, b) / 1000).toBeCloseTo(1067, -1)
  })

  it('measures a quarter meridian (equator to pole) as 10,001,965.729 m on WGS84', () => {
    expect(distance({ latitude: 0, longitude: 0 }, { latitude: 90, longitude: 0 })).toBeCloseTo(
      10001965.729,
      2,
    )
  })

  it('falls back to the haversine formula for nearly antipodal points', () => {
    // Vincenty's iteration does not converge for (0, 0) to (0.5, 179.7); the haversine on the
    // IUGG mean radius 6,371,008.8 m gives 19,950,277.34 m.
    const d = distance({ latitude: 0, longitude: 0 }, { latitude: 0.5, longitude: 179.7 })
    expect(d).toBeCloseTo(19950277.343, 2)
  })
})

describe('isOutsideChina input', () => {
  it('throws a TypeError naming it and the point for what is not a point', () => {
    for (const bad of [undefined, null, 42, {}, { latitude: 'x', longitude: 1 }]) {
      expect(() => isOutsideChina(bad as never)).toThrow(TypeError)
      expect(() => isOutsideChina(bad as never)).toThrow(/^isOutsideChina: `point`/)
    }
  })
})
