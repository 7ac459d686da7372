// The background audio page on the host's simulated player, driven by jest fake timers: play
// a queue from the demo server, pause, resume, seek with the slider, let a track end and the
// next one start, move through the queue (page buttons and the system player's), stop.
const { setupDemo, tap, until, report, text } = require('./helpers')

describe('background audio page', () => {
  let demo
  beforeAll(async () => {
    demo = await setupDemo()
  })
  afterAll(() => demo.teardown())

  it('plays, pauses, seeks, advances through the queue and stops', async () => {
    const { host } = demo
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
    const page = demo.render('audio')
    const data = () => page.instance.data
    const tracks = data().tracks
    expect(tracks.map((t) => t.seconds)).toEqual([10, 12, 8])
    // the host plays each src for as long as the server's MP3 of it lasts
    for (const t of tracks) host.audio.setDuration(t.src, t.seconds)
    expect(text(page, '.now-title')).toBe('Nothing playing')
    // what a phone would fetch: the demo server serves each track and its cover
    const wxp = (api, options) =>
      new Promise((success, fail) => host.wx[api]({ ...options, success, fail }))
    for (const t of tracks) {
      const file = await wxp('downloadFile', { url: t.src })
      expect(file.statusCode).toBe(200)
      expect(file.tempFilePath).toMatch(/\.mp3$/)
    }
    const cover = await wxp('getImageInfo', { src: tracks[0].coverImgUrl })
    expect([cover.width, cover.height, cover.type]).toEqual([240, 240, 'png'])

    // play the queue from the start
    tap(page, '.play-btn')
    await until(() => data().status === 'playing', 'playing')
    expect(text(page, '.now-title')).toBe('Quiet Start')
    expect(host.audio.background()).toMatchObject({
      src: tracks[0].src,
      title: 'Quiet Start',
      coverImgUrl: tracks[0].coverImgUrl,
    })
    expect(data().coverImgUrl).toBe(tracks[0].coverImgUrl) // the store keeps what it set
    expect(page.querySelector('.cover')).toBeTruthy()
    expect(data().current).toBe(0)

    await jest.advanceTimersByTimeAsync(3000)
    expect(text(page, '.position')).toBe('0:03')
    expect(text(page, '.duration')).toBe('0:10')
    expect(data().sliderValue).toBe(3)
    const played = data().position

    // pause: the clock runs, the position does not
    tap(page, '.play-btn')
    await until(() => data().status === 'paused', 'paused')
    expect(text(page, '.play-btn')).toBe('Resume')
    await jest.advanceTimersByTimeAsync(2000)
    expect(data().position).toBeCloseTo(played, 5)
    tap(page, '.play-btn')
    await until(() => data().status === 'playing', 'resumed')

    // the seek bar: dragging does not fight the live position; letting go seeks
    page.querySelector('.seek-bar').dispatchEvent('changing', { detail: { value: 6 } })
    await until(() => data().dragging, 'dragging')
    await jest.advanceTimersByTimeAsync(500)
    expect(data().sliderValue).toBe(3)
    page.querySelector('.seek-bar').dispatchEvent('change', { detail: { value: 7 } })
    await until(() => Math.round(data().position) === 7 && !data().dragging, 'the seek')
    expect(host.audio.background().currentTime).toBeCloseTo(7, 1)
    const seekedTo = Math.round(data().position)

    // the end of track 1: the store plays track 2 by itself
    await jest.advanceTimersByTimeAsync(3100)
    await until(() => data().current === 1 && data().status === 'playing', 'track 2')
    expect(text(page, '.now-title')).toBe('Still Waters')
    expect(text(page, '.duration')).toBe('0:12')
    expect(data().history.map((h) => h.status)).toContain('ended')
    const ended = data().history.find((h) => h.status === 'ended')
    expect(ended).toMatchObject({ title: 'Quiet Start', at: '0:10' })
    expect(page.querySelector('.track.current').dom.textContent).toContain('Still Waters')

    // next and previous from the page, next from the system player
    tap(page, '.next-btn')
    await until(() => data().current === 2 && data().status === 'playing', 'track 3')
    tap(page, '.prev-btn')
    await until(() => data().current === 1 && data().status === 'playing', 'back to track 2')
    host.audio.next()
    await until(() => data().current === 2 && data().status === 'playing', 'system next')
    expect(host.audio.background().src).toBe(tracks[2].src)
    // at the end of the queue, next does nothing
    tap(page, '.next-btn')
    await jest.advanceTimersByTimeAsync(0)
    expect(data().current).toBe(2)

    // stop: back to 0; Play starts the track again
    tap(page, '.stop-btn')
    await until(() => data().status === 'stopped', 'stopped')
    expect(text(page, '.position')).toBe('0:00')
    expect(text(page, '.play-btn')).toBe('Play')
    tap(page, '.play-btn')
    await until(() => data().status === 'playing', 'played again')
    expect(data().current).toBe(2)
    await jest.advanceTimersByTimeAsync(1000)
    expect(text(page, '.position')).toBe('0:01')
    expect(data().error).toBe('')

    // leaving the page keeps the music on; the page stops listening
    page.detach()
    await jest.advanceTimersByTimeAsync(1000)
    expect(host.audio.background().paused).toBe(false)
    expect(page.instance.data.position).toBeLessThan(1.5)
    jest.useRealTimers()

    report(
      'audio',
      `played ${Math.round(played)} s of ${tracks[0].seconds} s, paused 2 s, seeked to ${seekedTo} s, ` +
        `ended at ${ended.at}, advanced to track 2 by itself, next/previous + system next ` +
        `to track 3, stopped and replayed, music kept on after leaving the page`,
    )
  })
})
