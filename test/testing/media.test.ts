// The host's media: scripted picks of real image files, getImageInfo on real bytes (sandbox,
// package and HTTP), the album and its scope, the recorder producing real audio files on
// jest's fake clock, legacy startRecord/stopRecord and playVoice.
import { closeAndExpectClean, hostOnFakeTimers } from './clean-host'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { imageSize } from 'image-size'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { audioDuration } from '../../src/testing/audio-files'
import { encodePng } from '../../src/testing/fixtures'
import { makeMediaFiles, type MediaFiles } from '../fixtures/media-files'
import { startHttpServer, type TestHttpServer } from '../helpers/servers'

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

let files: MediaFiles
beforeAll(() => {
  files = makeMediaFiles()
})
afterAll(() => files.remove())

describe('the wx host: choosing and reading images', () => {
  let host: WxHost
  let wx: any
  let server: TestHttpServer

  beforeAll(async () => {
    const png = encodePng({ width: 7, height: 5, color: [1, 2, 3] })
    server = await startHttpServer((req, res) => {
      if (req.url === '/pic.png') {
        res.writeHead(200, { 'content-type': 'image/png' })
        res.end(png)
      } else {
        res.writeHead(404)
        res.end('no')
      }
    })
  })
  afterAll(() => server.close())

  beforeEach(() => {
    const packageRoot = join(files.dir, 'miniprogram')
    mkdirSync(join(packageRoot, 'images'), { recursive: true })
    writeFileSync(join(packageRoot, 'images', 'logo.png'), encodePng({ width: 12, height: 9 }))
    host = createWxHost({ media: { packageRoot } })
    wx = host.wx
  })
  afterEach(async () => {
    await host.close()
    expect(host.listenerCount()).toBe(0)
  })

  it('answers chooseImage with copies of the picked files in the sandbox, with real sizes', async () => {
    host.media.pickImages([files.png, files.jpeg])
    const res = await wx.chooseImage({ count: 9, sizeType: ['original'], sourceType: ['album'] })
    expect(res.errMsg).toBe('chooseImage:ok')
    expect(res.tempFilePaths).toHaveLength(2)
    expect(res.tempFilePaths[0]).toMatch(/^wxfile:\/\/tmp_.*\.png$/)
    expect(res.tempFilePaths[1]).toMatch(/^wxfile:\/\/tmp_.*\.jpg$/)
    expect(res.tempFiles).toEqual([
      { path: res.tempFilePaths[0], size: statSync(files.png).size },
      { path: res.tempFilePaths[1], size: statSync(files.jpeg).size },
    ])
    // The page can read what it got through the file system of the host.
    const copy = readFileSync(
      join(host.root, 'tmp', res.tempFilePaths[0].slice('wxfile://'.length)),
    )
    expect(copy.equals(readFileSync(files.png))).toBe(true)
    expect(host.media.pendingPicks()).toBe(0)
  })

  it('keeps at most `count` files and takes Buffers as picks', async () => {
    host.media.pickImages([files.png, readFileSync(files.jpeg), files.png])
    const res = await wx.chooseImage({ count: 2 })
    expect(res.tempFiles.map((f: { size: number }) => f.size)).toEqual([
      statSync(files.png).size,
      statSync(files.jpeg).size,
    ])
  })

  it('fails `chooseImage:fail cancel` when the user backs out, or nobody scripted a pick', async () => {
    host.media.cancelNextPick()
    await expect(wx.chooseImage({})).rejects.toEqual({ errMsg: 'chooseImage:fail cancel' })
    const fail = jest.fn()
    wx.chooseImage({ fail })
    await flush()
    expect(fail).toHaveBeenCalledWith({ errMsg: 'chooseImage:fail cancel' })
    await expect(wx.chooseMedia({})).rejects.toEqual({ errMsg: 'chooseMedia:fail cancel' })
  })

  it('refuses a scripted pick that does not exist, in the test that wrote it', () => {
    expect(() => host.media.pickImages([join(files.dir, 'nope.png')])).toThrow(/no such file/)
  })

  it('answers chooseMedia with images and videos, honouring mediaType', async () => {
    host.media.pickMedia([
      files.jpeg,
      { path: files.video, fileType: 'video', duration: 12, width: 1280, height: 720 },
    ])
    const mixed = await wx.chooseMedia({ count: 9, mediaType: ['image', 'video'] })
    expect(mixed.type).toBe('mix')
    expect(mixed.tempFiles[0]).toMatchObject({
      fileType: 'image',
      width: 64,
      height: 48,
      size: statSync(files.jpeg).size,
    })
    expect(mixed.tempFiles[1]).toMatchObject({
      fileType: 'video',
      duration: 12,
      width: 1280,
      height: 720,
      size: 2048,
    })
    const thumb = await wx.getImageInfo({ src: mixed.tempFiles[1].thumbTempFilePath })
    expect(thumb).toMatchObject({ type: 'jpeg', width: 16, height: 16 })

    host.media.pickMedia([files.png, { path: files.video, fileType: 'video' }])
    const images = await wx.chooseMedia({ mediaType: ['image'] })
    expect(images.type).toBe('image')
    expect(images.tempFiles).toHaveLength(1)
  })

  it('reads width, height, type and orientation of sandbox, package and downloaded images', async () => {
    host.media.pickImages([files.png, files.jpeg])
    const { tempFilePaths } = await wx.chooseImage({})
    await expect(wx.getImageInfo({ src: tempFilePaths[0] })).resolves.toEqual({
      width: 40,
      height: 30,
      type: 'png',
      orientation: 'up',
      path: tempFilePaths[0],
      errMsg: 'getImageInfo:ok',
    })
    await expect(wx.getImageInfo({ src: tempFilePaths[1] })).resolves.toMatchObject({
      width: 64,
      height: 48,
      type: 'jpeg',
      orientation: 'right',
    })
    await expect(wx.getImageInfo({ src: '/images/logo.png' })).resolves.toMatchObject({
      width: 12,
      height: 9,
    })
    const remote = await wx.getImageInfo({ src: server.url + '/pic.png' })
    expect(remote).toMatchObject({ width: 7, height: 5, type: 'png' })
    expect(remote.path).toMatch(/^wxfile:\/\/tmp_/)
    expect(imageSize(readFileSync(join(host.root, 'tmp', remote.path.slice(9))))).toMatchObject({
      width: 7,
    })
  })

  it('fails getImageInfo as WeChat does: missing file, failed download, not an image, bad src', async () => {
    await expect(wx.getImageInfo({ src: 'wxfile://tmp_nothing.png' })).rejects.toEqual({
      errMsg: 'getImageInfo:fail file not found',
    })
    await expect(wx.getImageInfo({ src: server.url + '/missing.png' })).rejects.toEqual({
      errMsg: 'getImageInfo:fail download image fail',
    })
    host.media.pickImages([{ path: files.text }])
    const { tempFilePaths } = await wx.chooseImage({})
    await expect(wx.getImageInfo({ src: tempFilePaths[0] })).rejects.toEqual({
      errMsg: 'getImageInfo:fail invalid image',
    })
    await expect(wx.getImageInfo({})).rejects.toEqual({
      errMsg:
        'getImageInfo:fail parameter error: parameter.src should be String instead of Undefined;',
      errno: 1001,
    })
    await expect(wx.getImageInfo({ src: '../../etc/passwd' })).rejects.toMatchObject({
      errMsg: expect.stringMatching(/^getImageInfo:fail permission denied/),
    })
    host.setNetwork({ isConnected: false })
    await expect(wx.getImageInfo({ src: server.url + '/pic.png' })).rejects.toEqual({
      errMsg: 'getImageInfo:fail download image fail',
    })
  })

  it('records previewImage and checks its urls', async () => {
    await wx.previewImage({
      urls: ['https://x.test/1.png', 'https://x.test/2.png'],
      current: 'https://x.test/2.png',
    })
    await wx.previewImage({ urls: ['https://x.test/3.png'] })
    expect(host.media.previews()).toEqual([
      { urls: ['https://x.test/1.png', 'https://x.test/2.png'], current: 'https://x.test/2.png' },
      { urls: ['https://x.test/3.png'], current: 'https://x.test/3.png' },
    ])
    await expect(wx.previewImage({ urls: 'https://x.test/1.png' })).rejects.toMatchObject({
      errMsg:
        'previewImage:fail parameter error: parameter.urls should be Array instead of String;',
    })
  })

  it('compresses into a new temp file', async () => {
    host.media.pickImages([files.jpeg])
    const { tempFilePaths } = await wx.chooseImage({})
    const { tempFilePath } = await wx.compressImage({ src: tempFilePaths[0], quality: 50 })
    expect(tempFilePath).not.toBe(tempFilePaths[0])
    await expect(wx.getImageInfo({ src: tempFilePath })).resolves.toMatchObject({
      width: 64,
      height: 48,
    })
  })

  it('saves to the album only with scope.writePhotosAlbum', async () => {
    host.media.pickImages([files.png])
    const { tempFilePaths } = await wx.chooseImage({})
    // never asked: the dialog appears and the user (by default) allows
    await expect(wx.saveImageToPhotosAlbum({ filePath: tempFilePaths[0] })).resolves.toEqual({
      errMsg: 'saveImageToPhotosAlbum:ok',
    })
    expect(host.device.prompts()).toEqual([
      { scope: 'scope.writePhotosAlbum', api: 'saveImageToPhotosAlbum', granted: true },
    ])
    expect(host.media.album()).toEqual([
      { filePath: tempFilePaths[0], size: statSync(files.png).size, kind: 'image' },
    ])

    host.device.setAuth('scope.writePhotosAlbum', false)
    await expect(wx.saveImageToPhotosAlbum({ filePath: tempFilePaths[0] })).rejects.toEqual({
      errMsg: 'saveImageToPhotosAlbum:fail auth deny',
    })
    host.device.setAuth('scope.writePhotosAlbum', undefined)
    host.device.answerNextAuthorize(false)
    await expect(wx.saveImageToPhotosAlbum({ filePath: tempFilePaths[0] })).rejects.toEqual({
      errMsg: 'saveImageToPhotosAlbum:fail auth deny',
    })
    expect(host.device.authSetting()).toEqual({ 'scope.writePhotosAlbum': false })
    expect(host.media.album()).toHaveLength(1)

    host.device.setAuth('scope.writePhotosAlbum', true)
    await expect(wx.saveImageToPhotosAlbum({ filePath: 'wxfile://tmp_gone.png' })).rejects.toEqual({
      errMsg: 'saveImageToPhotosAlbum:fail file not found',
    })
    host.device.setProfile({ albumAuthorized: 'denied' })
    await expect(wx.saveImageToPhotosAlbum({ filePath: tempFilePaths[0] })).rejects.toEqual({
      errMsg: 'saveImageToPhotosAlbum:fail system permission denied',
    })
  })
})

describe('the wx host: recording and voice', () => {
  let host: WxHost
  let wx: any

  beforeEach(() => ({ host, wx } = hostOnFakeTimers()))
  afterEach(() => closeAndExpectClean(host))

  const realPath = (wxPath: string) => join(host.root, 'tmp', wxPath.slice('wxfile://'.length))
  const listen = (rm: any) => {
    const events: Array<[string, any]> = []
    for (const name of [
      'Start',
      'Pause',
      'Resume',
      'Stop',
      'Error',
      'InterruptionBegin',
      'InterruptionEnd',
    ]) {
      rm['on' + name]((res: unknown) => events.push([name, res]))
    }
    return events
  }

  it('records a real WAV whose length is the time spent recording, pauses excluded', async () => {
    const rm = wx.getRecorderManager()
    expect(wx.getRecorderManager()).toBe(rm)
    const events = listen(rm)
    rm.start({ format: 'wav', sampleRate: 16000, numberOfChannels: 1 })
    await flush()
    jest.advanceTimersByTime(2000)
    rm.pause()
    await flush()
    jest.advanceTimersByTime(5000) // paused: not recorded
    expect(host.media.recorder()).toMatchObject({ state: 'paused', duration: 2000 })
    rm.resume()
    await flush()
    jest.advanceTimersByTime(1500)
    rm.stop()
    await flush()
    expect(events.map(([name]) => name)).toEqual(['Start', 'Pause', 'Resume', 'Stop'])
    const stop = events[3][1]
    expect(stop.duration).toBe(3500)
    expect(stop.tempFilePath).toMatch(/^wxfile:\/\/tmp_.*\.wav$/)
    const bytes = readFileSync(realPath(stop.tempFilePath))
    expect(stop.fileSize).toBe(bytes.length)
    expect(bytes.length).toBe(44 + 3.5 * 16000 * 2)
    expect(audioDuration(bytes)).toBeCloseTo(3.5, 6)
    expect(host.device.prompts()).toEqual([
      { scope: 'scope.record', api: 'RecorderManager.start', granted: true },
    ])
  })

  it('delivers mp3 frames of frameSize KB, the last one flagged, and an mp3 file of the right length', async () => {
    const rm = wx.getRecorderManager()
    const frames: Array<{ size: number; last: boolean }> = []
    rm.onFrameRecorded((f: { frameBuffer: ArrayBuffer; isLastFrame: boolean }) =>
      frames.push({ size: f.frameBuffer.byteLength, last: f.isLastFrame }),
    )
    let stop: any
    rm.onStop((res: unknown) => (stop = res))
    rm.start({
      format: 'mp3',
      sampleRate: 8000,
      numberOfChannels: 1,
      encodeBitRate: 48000,
      frameSize: 2,
    })
    jest.advanceTimersByTime(3000)
    rm.stop()
    await flush()
    const bytes = readFileSync(realPath(stop.tempFilePath))
    expect(stop).toMatchObject({ duration: 3000, fileSize: bytes.length })
    expect(frames.slice(0, -1).every((f) => f.size === 2048 && !f.last)).toBe(true)
    expect(frames[frames.length - 1].last).toBe(true)
    expect(frames.reduce((n, f) => n + f.size, 0)).toBe(bytes.length)
    expect(audioDuration(bytes)).toBeCloseTo(3, 1)
    expect(bytes[0]).toBe(0xff) // an MPEG frame header
  })

  it('writes ADTS AAC by default and stops by itself at `duration`', async () => {
    const rm = wx.getRecorderManager()
    const events = listen(rm)
    rm.start({ duration: 4000 })
    jest.advanceTimersByTime(10000)
    await flush()
    expect(events.map(([name]) => name)).toEqual(['Start', 'Stop'])
    const stop = events[1][1]
    expect(stop.duration).toBe(4000)
    expect(stop.tempFilePath).toMatch(/\.aac$/)
    const bytes = readFileSync(realPath(stop.tempFilePath))
    // whole 1024-sample frames: at 8 kHz the file is at most one frame (128 ms) longer
    const seconds = audioDuration(bytes)!
    expect(seconds).toBeGreaterThanOrEqual(4)
    expect(seconds).toBeLessThan(4 + 1024 / 8000)
    expect(host.media.recordings()).toHaveLength(1)
  })

  it('reports recorder misuse and a refused scope through onError', async () => {
    const rm = wx.getRecorderManager()
    const events = listen(rm)
    rm.stop()
    host.device.answerNextAuthorize(false)
    rm.start({ format: 'mp3' })
    await flush()
    rm.start({ format: 'mp3' }) // refused before: no dialog again
    rm.start({ format: 'ogg' })
    await flush()
    expect(events).toEqual([
      ['Error', { errMsg: 'operateRecorder:fail recorder not start' }],
      ['Error', { errMsg: 'operateRecorder:fail auth deny' }],
      ['Error', { errMsg: 'operateRecorder:fail auth deny' }],
      ['Error', { errMsg: 'operateRecorder:fail invalid format ogg' }],
    ])
    host.device.setAuth('scope.record', true)
    rm.start({})
    rm.start({})
    await flush()
    expect(events[4]).toEqual(['Start', undefined])
    expect(events[5]).toEqual(['Error', { errMsg: 'operateRecorder:fail is recording or paused' }])
    rm.stop()
    await flush()
  })

  it('pauses on an interruption and reports its end', async () => {
    const rm = wx.getRecorderManager()
    const events = listen(rm)
    rm.start({ format: 'PCM', sampleRate: 8000, numberOfChannels: 1 })
    jest.advanceTimersByTime(1000)
    host.media.interruptRecording()
    await flush()
    jest.advanceTimersByTime(1000)
    host.media.endInterruption()
    rm.resume()
    jest.advanceTimersByTime(500)
    rm.stop()
    await flush()
    expect(events.map(([name]) => name)).toEqual([
      'Start',
      'InterruptionBegin',
      'Pause',
      'InterruptionEnd',
      'Resume',
      'Stop',
    ])
    const stop = events[5][1]
    expect(stop.duration).toBe(1500)
    expect(stop.fileSize).toBe(1.5 * 8000 * 2) // raw 16-bit mono PCM
  })

  it('gives startRecord its tempFilePath after stopRecord, and needs scope.record', async () => {
    const recording = wx.startRecord()
    jest.advanceTimersByTime(2500)
    await expect(wx.stopRecord()).resolves.toEqual({ errMsg: 'stopRecord:ok' })
    const res = await recording
    expect(res.errMsg).toBe('startRecord:ok')
    expect(audioDuration(readFileSync(realPath(res.tempFilePath)))).toBeCloseTo(2.5, 6)

    const auto = wx.startRecord()
    jest.advanceTimersByTime(61000) // WeChat stops a legacy recording at 60 s
    const long = await auto
    expect(audioDuration(readFileSync(realPath(long.tempFilePath)))).toBeCloseTo(60, 6)

    host.device.setAuth('scope.record', false)
    await expect(wx.startRecord()).rejects.toEqual({ errMsg: 'startRecord:fail auth deny' })
  })

  it('fails a legacy recording still running when the host closes', async () => {
    const failed = expect(wx.startRecord()).rejects.toEqual({
      errMsg: 'startRecord:fail host closed',
    })
    await host.close()
    await failed
  })

  it('plays a recorded voice to its end, pauses, resumes and stops', async () => {
    const rm = wx.getRecorderManager()
    let file = ''
    rm.onStop((res: { tempFilePath: string }) => (file = res.tempFilePath))
    rm.start({ format: 'wav', numberOfChannels: 1 })
    jest.advanceTimersByTime(3000)
    rm.stop()
    await flush()

    const done = jest.fn()
    wx.playVoice({ filePath: file, success: done })
    await flush()
    jest.advanceTimersByTime(1000)
    await wx.pauseVoice()
    expect(host.media.voice()).toMatchObject({ filePath: file, state: 'paused' })
    expect(host.media.voice().currentTime).toBeCloseTo(1, 5)
    const resumed = wx.playVoice({ filePath: file })
    await flush()
    expect(done).toHaveBeenCalledWith({ errMsg: 'playVoice:ok' }) // the first call is superseded
    jest.advanceTimersByTime(2000)
    await expect(resumed).resolves.toEqual({ errMsg: 'playVoice:ok' })
    expect(host.media.voice().state).toBe('ended')

    const capped = wx.playVoice({ filePath: file, duration: 1 })
    await flush()
    jest.advanceTimersByTime(1000)
    await expect(capped).resolves.toEqual({ errMsg: 'playVoice:ok' })

    const stopped = wx.playVoice({ filePath: file })
    await flush()
    await wx.stopVoice()
    await expect(stopped).resolves.toEqual({ errMsg: 'playVoice:ok' })
  })

  it('fails playVoice for a missing file', async () => {
    await expect(wx.playVoice({ filePath: 'wxfile://tmp_none.silk' })).rejects.toEqual({
      errMsg: 'playVoice:fail file not found',
    })
    await expect(wx.playVoice({})).rejects.toMatchObject({
      errMsg:
        'playVoice:fail parameter error: parameter.filePath should be String instead of Undefined;',
    })
    expect(existsSync(host.root)).toBe(true)
  })
})
