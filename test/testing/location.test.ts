// The host's location: a scripted WGS-84 position reported in WGS-84 or GCJ-02, location
// updates driven by a timed track on jest's fake clock, chooseLocation/openLocation, and
// scope.userLocation.
import { closeAndExpectClean, hostOnFakeTimers } from './clean-host'
import type { WxHost } from 'miniprogram-rx/testing'
import { wgs84ToGcj02 } from '../../src/location/coordinates'
import { toGcj02 } from '../../src/testing/geo'

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

describe('the host GCJ-02 transform', () => {
  it('matches the published reference pair', () => {
    // wgs84togcj02(116.404, 39.915) of the reference implementations
    const p = toGcj02({ latitude: 39.915, longitude: 116.404 })
    expect(p.latitude).toBeCloseTo(39.91640428150164, 12)
    expect(p.longitude).toBeCloseTo(116.41024449916938, 12)
  })

  it('agrees with the SDK implementation across China and is the identity outside it', () => {
    for (let lat = 18; lat <= 53; lat += 5) {
      for (let lng = 74; lng <= 134; lng += 6) {
        const host = toGcj02({ latitude: lat + 0.123, longitude: lng + 0.456 })
        const sdk = wgs84ToGcj02({ latitude: lat + 0.123, longitude: lng + 0.456 })
        expect(host.latitude).toBeCloseTo(sdk.latitude, 12)
        expect(host.longitude).toBeCloseTo(sdk.longitude, 12)
      }
    }
    expect(toGcj02({ latitude: 35.681236, longitude: 139.767125 })).toEqual({
      latitude: 35.681236,
      longitude: 139.767125,
    })
    expect(toGcj02({ latitude: 48.8566, longitude: 2.3522 })).toEqual({
      latitude: 48.8566,
      longitude: 2.3522,
    })
  })
})

describe('the wx host: location', () => {
  let host: WxHost
  let wx: any

  beforeEach(
    () =>
      ({ host, wx } = hostOnFakeTimers({
        location: { position: { latitude: 39.915, longitude: 116.404, altitude: 44 } },
      })),
  )
  afterEach(() => closeAndExpectClean(host))

  it('reports WGS-84 by default and GCJ-02 when asked', async () => {
    await expect(wx.getLocation({})).resolves.toEqual({
      latitude: 39.915,
      longitude: 116.404,
      speed: 0,
      accuracy: 65,
      altitude: 44,
      verticalAccuracy: 10,
      horizontalAccuracy: 65,
      errMsg: 'getLocation:ok',
    })
    const gcj = await wx.getLocation({ type: 'gcj02' })
    expect(gcj.latitude).toBeCloseTo(39.91640428150164, 12)
    expect(gcj.longitude).toBeCloseTo(116.41024449916938, 12)
    host.location.moveTo({ latitude: 48.8566, longitude: 2.3522 })
    await expect(wx.getLocation({ type: 'gcj02' })).resolves.toMatchObject({
      latitude: 48.8566,
      longitude: 2.3522,
    })
  })

  it('needs scope.userLocation: asks once, then fails `auth deny` without asking', async () => {
    host.device.answerNextAuthorize(false)
    await expect(wx.getLocation({})).rejects.toEqual({ errMsg: 'getLocation:fail auth deny' })
    await expect(wx.getLocation({})).rejects.toEqual({ errMsg: 'getLocation:fail auth deny' })
    await expect(wx.startLocationUpdate({})).rejects.toEqual({
      errMsg: 'startLocationUpdate:fail auth deny',
    })
    await expect(wx.chooseLocation({})).rejects.toEqual({ errMsg: 'chooseLocation:fail auth deny' })
    expect(host.device.prompts()).toHaveLength(1)
    expect(host.device.authSetting()).toEqual({ 'scope.userLocation': false })
    // the user turns it on in the settings page
    host.device.answerOpenSetting({ 'scope.userLocation': true })
    await expect(wx.openSetting()).resolves.toEqual({
      authSetting: { 'scope.userLocation': true },
      errMsg: 'openSetting:ok',
    })
    await expect(wx.getLocation({})).resolves.toMatchObject({ latitude: 39.915 })
  })

  it("fails while WeChat's own location permission is off", async () => {
    host.device.setProfile({ locationAuthorized: 'denied' })
    await expect(wx.getLocation({})).rejects.toEqual({
      errMsg: 'getLocation:fail system permission denied',
    })
    host.device.setProfile({ locationAuthorized: 'authorized', locationEnabled: false })
    await expect(wx.getLocation({})).rejects.toEqual({
      errMsg: 'getLocation:fail system permission denied',
    })
  })

  it('streams a track to onLocationChange in GCJ-02 while updates run', async () => {
    const fixes: Array<{ latitude: number; longitude: number }> = []
    const listener = (res: { latitude: number; longitude: number }) => fixes.push(res)
    wx.onLocationChange(listener)
    await expect(wx.startLocationUpdate({})).resolves.toEqual({ errMsg: 'startLocationUpdate:ok' })
    await flush()
    expect(fixes).toHaveLength(1) // the first fix
    expect(fixes[0].latitude).toBeCloseTo(39.91640428150164, 12)
    const track = [
      { latitude: 39.9, longitude: 116.4 },
      { latitude: 39.91, longitude: 116.41 },
      { latitude: 39.92, longitude: 116.42 },
    ]
    host.location.setTrack(track, 1000)
    expect(fixes).toHaveLength(2)
    jest.advanceTimersByTime(1000)
    expect(fixes).toHaveLength(3)
    jest.advanceTimersByTime(5000) // the track ends at its last point
    expect(fixes).toHaveLength(4)
    expect(jest.getTimerCount()).toBe(0)
    expect(fixes[3]).toMatchObject(toGcj02(track[2]))
    expect(host.location.position()).toMatchObject(track[2])

    await wx.stopLocationUpdate()
    expect(host.location.updating()).toBe(false)
    host.location.moveTo({ latitude: 30, longitude: 120 })
    expect(fixes).toHaveLength(4) // nothing after stop
    wx.offLocationChange(listener)
    expect(host.listenerCount('onLocationChange')).toBe(0)
  })

  it('reports WGS-84 updates when asked and needs scope.userLocationBackground in the background', async () => {
    const fixes: Array<{ latitude: number }> = []
    wx.onLocationChange((res: { latitude: number }) => fixes.push(res))
    host.device.setAuth('scope.userLocation', true)
    host.device.answerNextAuthorize(false)
    await expect(wx.startLocationUpdateBackground({ type: 'wgs84' })).rejects.toEqual({
      errMsg: 'startLocationUpdateBackground:fail auth deny',
    })
    host.device.setAuth('scope.userLocationBackground', true)
    await wx.startLocationUpdateBackground({ type: 'wgs84' })
    await flush()
    expect(host.location.updating()).toBe('background')
    host.location.moveTo({ latitude: 31.2, longitude: 121.5 })
    expect(fixes.map((f) => f.latitude)).toEqual([39.915, 31.2])
    wx.offLocationChange()
  })

  it('answers chooseLocation from the script and records openLocation', async () => {
    host.device.setAuth('scope.userLocation', true)
    host.location.pickLocation({
      name: 'Cafe',
      address: '1 Road',
      latitude: 31.23,
      longitude: 121.47,
    })
    host.location.cancelNextChoose()
    await expect(wx.chooseLocation({})).resolves.toEqual({
      name: 'Cafe',
      address: '1 Road',
      latitude: 31.23,
      longitude: 121.47,
      errMsg: 'chooseLocation:ok',
    })
    await expect(wx.chooseLocation({})).rejects.toEqual({ errMsg: 'chooseLocation:fail cancel' })
    await expect(wx.chooseLocation({})).rejects.toEqual({ errMsg: 'chooseLocation:fail cancel' })

    await wx.openLocation({ latitude: 31.23, longitude: 121.47, name: 'Cafe', scale: 16 })
    expect(host.location.opened()).toEqual([
      { latitude: 31.23, longitude: 121.47, scale: 16, name: 'Cafe', address: '' },
    ])
    await expect(wx.openLocation({ latitude: '31' })).rejects.toEqual({
      errMsg:
        'openLocation:fail parameter error: parameter.latitude should be Number instead of String;',
      errno: 1001,
    })
  })

  it('blurs getFuzzyLocation to two decimals', async () => {
    await expect(wx.getFuzzyLocation({ type: 'wgs84' })).resolves.toEqual({
      latitude: 39.92,
      longitude: 116.4,
      errMsg: 'getFuzzyLocation:ok',
    })
    expect(host.device.prompts()).toEqual([
      { scope: 'scope.userFuzzyLocation', api: 'getFuzzyLocation', granted: true },
    ])
  })

  it('stops a running track on close', async () => {
    host.location.setTrack(
      [
        { latitude: 1, longitude: 1 },
        { latitude: 2, longitude: 2 },
      ],
      500,
    )
    expect(jest.getTimerCount()).toBe(1)
  })
})
