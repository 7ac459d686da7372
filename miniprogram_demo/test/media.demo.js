// The media page: two generated images chosen, inspected, previewed and saved through the
// album permission flow (refused, explained, turned on in Settings); a voice clip recorded
// on the host's clock (jest fake timers), paused, stopped and played back.
const { encodePng, encodeJpeg } = require('miniprogram-rx/testing')
const { setupDemo, tap, until, report, text } = require('./helpers')

describe('media page', () => {
  let demo
  beforeAll(async () => {
    demo = await setupDemo()
  })
  afterAll(() => demo.teardown())

  it('chooses, inspects, previews and saves images after a refusal', async () => {
    const { host } = demo
    const page = demo.render('media')
    demo.page = page

    const png = encodePng({ width: 640, height: 480 })
    const jpeg = encodeJpeg({ width: 320, height: 240, color: [200, 60, 40], orientation: 6 })
    host.media.pickImages([png, jpeg])
    tap(page, '.choose-btn')
    await until(() => page.instance.data.images.length === 2, 'the chosen images')
    const images = page.instance.data.images
    expect(page.querySelectorAll('.image-size').map((e) => e.dom.textContent.trim())).toEqual([
      '640 x 480 png',
      '320 x 240 jpeg',
    ])
    expect(images.map((i) => i.bytes)).toEqual([png.length, jpeg.length])
    expect(images[1].orientation).toBe('right')

    // tapping the second thumbnail previews both, starting there
    page.querySelectorAll('.thumb')[1].dispatchEvent('tap')
    await until(() => host.media.previews().length === 1, 'the preview')
    expect(host.media.previews()[0]).toEqual({
      urls: images.map((i) => i.path),
      current: images[1].path,
    })

    // save: the user refuses at the system prompt
    host.device.answerNextAuthorize(false)
    tap(page, '.save-btn')
    await until(() => page.instance.data.saveError !== '', 'the refusal')
    expect(text(page, '.save-error')).toMatch(/Tap Save again/)
    expect(host.media.album()).toEqual([])
    // second tap: WeChat no longer asks, so the page explains and opens Settings
    host.device.answerOpenSetting({ 'scope.writePhotosAlbum': true })
    tap(page, '.save-btn')
    await until(() => page.instance.data.saved === 1, 'the saved image')
    const modal = host.device.modals().pop()
    expect(modal.title).toBe('Save to your album')
    expect(modal.content).toContain('photo album')
    expect(host.calls.filter((c) => c.api === 'openSetting').length).toBe(1)
    expect(host.device.authSetting()['scope.writePhotosAlbum']).toBe(true)
    expect(host.media.album()).toEqual([
      { filePath: images[0].path, size: png.length, kind: 'image' },
    ])
    expect(text(page, '.save-status')).toBe('Saved 640x480 png to the album')
    expect(page.instance.data.refusals).toBe(1)
    demo.images = images
  })

  it('records a voice clip with a pause and plays it back', async () => {
    const { host } = demo
    const page = demo.page
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })

    tap(page, '.record-btn')
    await until(() => page.instance.data.recState === 'recording', 'recording')
    expect(host.media.recorder().state).toBe('recording')
    await jest.advanceTimersByTimeAsync(1500)
    expect(text(page, '.rec-elapsed')).toBe('1.5 s')
    tap(page, '.pause-rec-btn')
    await until(() => page.instance.data.recState === 'paused', 'paused')
    await jest.advanceTimersByTimeAsync(1000) // paused time is not recorded
    expect(text(page, '.rec-elapsed')).toBe('1.5 s')
    tap(page, '.pause-rec-btn')
    await until(() => page.instance.data.recState === 'recording', 'resumed')
    await jest.advanceTimersByTimeAsync(500)
    tap(page, '.stop-rec-btn')
    await until(() => page.instance.data.voice !== null, 'the recorded file')
    await until(() => page.instance.data.recState === 'done', 'the end of the recording')

    const voice = page.instance.data.voice
    const [recording] = host.media.recordings()
    expect(voice.duration).toBe(2000)
    expect(recording).toMatchObject({ format: 'mp3', sampleRate: 16000, numberOfChannels: 1 })
    expect(voice.fileSize).toBe(recording.fileSize)
    expect(voice.path).toBe(recording.tempFilePath)
    const stat = await new Promise((success, fail) =>
      host.wx.getFileSystemManager().getFileInfo({ filePath: voice.path, success, fail }),
    )
    expect(stat.size).toBe(voice.fileSize)
    expect(text(page, '.voice-summary')).toBe(`2.0 s, ${(voice.fileSize / 1024).toFixed(1)} KB mp3`)

    // playback: a temporary InnerAudioContext plays the file to its end, then goes away
    tap(page, '.play-btn')
    await until(() => host.audio.innerAudioCount() === 1, 'the player')
    expect(text(page, '.play-state')).toBe('playing')
    await jest.advanceTimersByTimeAsync(1000)
    expect(page.instance.data.playState).toBe('playing')
    // the host plays the file for its real length, read from the MP3 frames
    const [player] = host.audio.innerAudio()
    expect(player).toMatchObject({ src: voice.path, state: 'playing' })
    expect(player.duration).toBeCloseTo(2, 1)
    expect(player.currentTime).toBeCloseTo(1, 1)
    await jest.advanceTimersByTimeAsync(1200)
    await until(() => page.instance.data.playState === 'ended', 'the end of the clip')
    expect(host.audio.innerAudioCount()).toBe(0)
    expect(host.audio.innerAudio()[0].destroyed).toBe(true)
    expect(page.instance.data.plays).toBe(1)

    // a second playback stopped halfway
    tap(page, '.play-btn')
    await until(() => host.audio.innerAudioCount() === 1, 'the second player')
    await jest.advanceTimersByTimeAsync(500)
    tap(page, '.stop-play-btn')
    await until(() => page.instance.data.playState === 'stopped', 'the stopped playback')
    expect(host.audio.innerAudioCount()).toBe(0)
    jest.useRealTimers()

    page.detach()
    const images = demo.images
    report(
      'media',
      `${images.length} images (${images.map((i) => `${i.width}x${i.height} ${i.type}`).join(', ')}), ` +
        `previewed, saved after 1 refusal via settings, ` +
        `${(voice.duration / 1000).toFixed(1)} s recording (1.0 s pause excluded) ` +
        `${(voice.fileSize / 1024).toFixed(1)} KB mp3, played back to the end + 1 stopped`,
    )
  })
})
