// The location page: the current position (after a refused and then granted permission), a
// live track walked by the host with the distance covered, and WGS84 / GCJ-02 side by side.
const { setupDemo, tap, until, report, text } = require('./helpers')

// Haversine on the mean radius: an independent check of the page's Vincenty distances.
function haversine(a, b) {
  const rad = Math.PI / 180
  const dLat = (b.latitude - a.latitude) * rad
  const dLng = (b.longitude - a.longitude) * rad
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h))
}

// A walk from Tian'anmen: north, then east, then north again (WGS84).
const START = { latitude: 39.908823, longitude: 116.39747 }
const WALK = [
  START,
  { latitude: 39.909723, longitude: 116.39747 },
  { latitude: 39.910623, longitude: 116.39767 },
  { latitude: 39.910623, longitude: 116.39887 },
  { latitude: 39.911523, longitude: 116.39897 },
]

describe('location page', () => {
  let demo
  beforeAll(async () => {
    demo = await setupDemo({ location: { position: START } })
  })
  afterAll(() => demo.teardown())

  it('locates, tracks a walk and converts coordinates', async () => {
    const { host } = demo
    const { wx } = host
    const page = demo.render('location')

    // permission: refused at the system prompt, then turned on from the settings page
    host.device.answerNextAuthorize(false)
    tap(page, '.locate-btn')
    await until(() => page.instance.data.hereError !== '', 'the refusal')
    expect(text(page, '.here-error')).toBe('Location permission refused (authorize)')
    host.device.answerOpenSetting({ 'scope.userLocation': true })
    tap(page, '.locate-btn')
    await until(() => page.instance.data.here !== null, 'the position')
    const modal = host.device.modals().pop()
    expect(modal.content).toContain('live track')

    // the position, in both systems; GCJ-02 agrees with the host's own transform
    expect(text(page, '.here-wgs')).toBe('39.908823, 116.397470')
    const hostGcj = await wx.getLocation({ type: 'gcj02' })
    const here = page.instance.data.here
    expect(here.gcjLatitude).toBeCloseTo(hostGcj.latitude, 9)
    expect(here.gcjLongitude).toBeCloseTo(hostGcj.longitude, 9)
    expect(text(page, '.here-gcj')).toBe(
      hostGcj.latitude.toFixed(6) + ', ' + hostGcj.longitude.toFixed(6),
    )
    const offset = haversine(START, { latitude: here.gcjLatitude, longitude: here.gcjLongitude })
    expect(Math.abs(here.offset - offset)).toBeLessThan(offset * 0.005)
    expect(here.offset).toBeGreaterThan(100) // GCJ-02 is a few hundred metres off in Beijing

    // the comparison table: every place in China moves, London does not, all come back
    const rows = page.instance.data.places
    expect(rows.map((r) => r.name)).toEqual([
      'My position',
      "Tian'anmen",
      'The Bund, Shanghai',
      'Canton Tower',
      'Greenwich, London',
    ])
    expect(rows.slice(0, 4).every((r) => r.offset > 100 && r.offset < 1000)).toBe(true)
    expect(rows[4].offset).toBe(0)
    expect(page.querySelectorAll('.place-offset').map((b) => b.dom.textContent.trim())[4]).toBe(
      'outside China: unchanged',
    )
    expect(Math.max(...rows.map((r) => r.roundTripMm))).toBeLessThan(1)

    // the live track: the first fix where the phone is, then one per point of the walk
    tap(page, '.track-btn')
    await until(() => page.instance.data.fixes === 1, 'the first fix')
    expect(host.location.updating()).toBe('foreground')
    expect(text(page, '.track-badge')).toBe('tracking')
    host.location.setTrack(WALK.slice(1), 20)
    await until(() => page.instance.data.fixes === WALK.length, 'the walk')
    let expected = 0
    for (let i = 1; i < WALK.length; i++) expected += haversine(WALK[i - 1], WALK[i])
    const walked = page.instance.data.walked
    expect(Math.abs(walked - expected)).toBeLessThan(expected * 0.005)
    expect(text(page, '.track-fixes')).toBe(String(WALK.length))
    expect(page.querySelectorAll('.fix').length).toBe(5)

    tap(page, '.track-btn')
    await until(() => host.location.updating() === false, 'the stopped session')
    expect(text(page, '.track-badge')).toBe('stopped')
    expect(host.listenerCount('onLocationChange')).toBe(0)

    page.detach()
    report(
      'location',
      `${WALK.length} fixes, ${Math.round(walked)} m walked (haversine ${Math.round(expected)} m), ` +
        `WGS84->GCJ-02 offset ${Math.round(here.offset)} m at Tian'anmen (matches the host), ` +
        `round trip under ${Math.max(...rows.map((r) => r.roundTripMm)).toExponential(0)} mm, ` +
        `permission granted after 1 refusal via settings`,
    )
  })
})
