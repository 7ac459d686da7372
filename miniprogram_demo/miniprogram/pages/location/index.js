// Location: where the phone is (wxp.getLocation), a live track with the distance covered
// (location$ + distance), and WGS84 <-> GCJ-02 side by side for a few places.
const {
  wxp,
  location$,
  dataBindings,
  untilDetached,
  ensureScope,
  isPermissionDeniedError,
  isWxError,
  wgs84ToGcj02,
  gcj02ToWgs84,
  distance,
  isOutsideChina,
} = require('miniprogram-rx')

const PERMISSION = { content: 'The location demo shows your position and a live track.' }

// Places in WGS84 (what a GPS reports); GCJ-02 is what maps in China expect.
const PLACES = [
  { name: "Tian'anmen", latitude: 39.908823, longitude: 116.39747 },
  { name: 'The Bund, Shanghai', latitude: 31.240018, longitude: 121.490317 },
  { name: 'Canton Tower', latitude: 23.106324, longitude: 113.324523 },
  { name: 'Greenwich, London', latitude: 51.477928, longitude: -0.001545 },
]

const deg = (value) => value.toFixed(6)
const metres = (m) => (m >= 1000 ? (m / 1000).toFixed(2) + ' km' : m.toFixed(1) + ' m')

/** One row of the comparison: the point in both systems, the offset and the round trip. */
function compare(name, wgs) {
  const gcj = wgs84ToGcj02(wgs)
  const back = gcj02ToWgs84(gcj)
  const offset = distance(wgs, gcj)
  return {
    name,
    wgs: deg(wgs.latitude) + ', ' + deg(wgs.longitude),
    gcj: deg(gcj.latitude) + ', ' + deg(gcj.longitude),
    gcjLatitude: gcj.latitude,
    gcjLongitude: gcj.longitude,
    offset,
    offsetText: isOutsideChina(wgs) ? 'outside China: unchanged' : metres(offset),
    // the inverse iterates; show how close it comes back, in millimetres
    roundTripMm: distance(wgs, back) * 1000,
  }
}

/** The largest WGS84 -> GCJ-02 -> WGS84 error of `rows`, for the note under the table. */
function roundTrip(rows) {
  const worst = Math.max.apply(
    null,
    rows.map((r) => r.roundTripMm),
  )
  return worst < 0.001 ? 'under a micrometre' : worst.toFixed(3) + ' mm'
}

function describeError(error) {
  if (isPermissionDeniedError(error)) return 'Location permission refused (' + error.stage + ')'
  if (isWxError(error)) return error.errMsg
  return (error && error.message) || String(error)
}

Component({
  behaviors: [dataBindings()],
  data: {
    locating: false,
    here: null,
    hereError: '',
    tracking: false,
    fixes: 0,
    walked: 0,
    walkedText: '0 m',
    speed: 0,
    lastFixes: [],
    trackError: '',
    places: PLACES.map((p) => compare(p.name, p)),
    roundTripText: roundTrip(PLACES.map((p) => compare(p.name, p))),
  },
  lifetimes: {
    detached() {
      this.gone = true // the track ends with the page (untilDetached)
    },
  },
  methods: {
    async locate() {
      this.setData({ locating: true, hereError: '' })
      try {
        await ensureScope('scope.userLocation', PERMISSION)
        const fix = await wxp.getLocation({ type: 'wgs84' })
        if (this.gone) return
        const here = compare('My position', fix)
        here.accuracy = Math.round(fix.accuracy)
        here.altitude = Math.round(fix.altitude || 0)
        const places = [here].concat(PLACES.map((p) => compare(p.name, p)))
        this.setData({ locating: false, here, places, roundTripText: roundTrip(places) })
      } catch (error) {
        if (!this.gone) this.setData({ locating: false, hereError: describeError(error) })
      }
    },
    toggleTrack() {
      if (this.data.tracking) this.stopTrack()
      else this.startTrack()
    },
    async startTrack() {
      // a Stop (or another Start) while the permission dialog is up makes this start moot
      const run = (this.run = (this.run || 0) + 1)
      this.setData({
        tracking: true,
        fixes: 0,
        walked: 0,
        walkedText: '0 m',
        lastFixes: [],
        trackError: '',
      })
      try {
        await ensureScope('scope.userLocation', PERMISSION)
      } catch (error) {
        if (!this.gone && run === this.run) {
          this.setData({ tracking: false, trackError: describeError(error) })
        }
        return
      }
      if (run !== this.run) return
      let previous = null
      // ended with the page, even if it left during the permission dialog
      this.track = location$({ type: 'wgs84' })
        .pipe(untilDetached(this))
        .subscribe({
          next: (fix) => {
            const step = previous ? distance(previous, fix) : 0
            previous = fix
            const walked = this.data.walked + step
            this.setData({
              fixes: this.data.fixes + 1,
              walked,
              walkedText: metres(walked),
              speed: fix.speed > 0 ? fix.speed : 0,
              lastFixes: [
                {
                  n: this.data.fixes + 1,
                  text: deg(fix.latitude) + ', ' + deg(fix.longitude),
                  step: metres(step),
                },
              ]
                .concat(this.data.lastFixes)
                .slice(0, 5),
            })
          },
          error: (error) => {
            this.track = null
            this.setData({ tracking: false, trackError: describeError(error) })
          },
        })
    },
    stopTrack() {
      this.run = (this.run || 0) + 1
      if (this.track) this.track.unsubscribe()
      this.track = null
      if (!this.gone && this.data.tracking) this.setData({ tracking: false })
    },
  },
})
