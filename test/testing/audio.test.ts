// The host's audio: one simulated background player behind getBackgroundAudioManager() and
// the legacy background audio API, InnerAudioContext instances, all on jest's fake clock.
import { closeAndExpectClean, hostOnFakeTimers } from './clean-host'
import { writeFileSync } from 'node:fs'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { encodeAudioFile } from '../../src/testing/audio-files'

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

/** Records the events of a manager-like object: `on<Event>` for each name. */
function recordEvents(target: any, names: string[]): string[] {
  const seen: string[] = []
  for (const name of names)
    target['on' + name]((res?: unknown) =>
      seen.push(res === undefined ? name : name + ' ' + JSON.stringify(res)),
    )
  return seen
}

const MANAGER_EVENTS = [
  'Canplay',
  'Play',
  'Pause',
  'Stop',
  'Ended',
  'Waiting',
  'Error',
  'Seeking',
  'Seeked',
  'Next',
  'Prev',
]

describe('the wx host: background audio', () => {
  let host: WxHost
  let wx: any

  beforeEach(
    () =>
      ({ host, wx } = hostOnFakeTimers({
        audio: { durations: { 'https://x.test/short.mp3': 12 } },
      })),
  )
  afterEach(() => closeAndExpectClean(host))

  it('plays when src is set, advances with the clock, and ends with onEnded', async () => {
    const bam = wx.getBackgroundAudioManager()
    expect(wx.getBackgroundAudioManager()).toBe(bam)
    const seen = recordEvents(bam, MANAGER_EVENTS)
    let ticks = 0
    bam.onTimeUpdate(() => ticks++)
    bam.title = 'Song'
    bam.singer = 'Singer'
    bam.src = 'https://x.test/short.mp3'
    expect(bam.paused).toBe(false) // playing once loaded
    await flush()
    expect(seen).toEqual(['Canplay', 'Play'])
    expect(bam.duration).toBe(12)
    expect(bam.buffered).toBe(12)
    expect(bam.src).toBe('https://x.test/short.mp3')
    jest.advanceTimersByTime(5000)
    expect(bam.currentTime).toBeCloseTo(5, 5)
    expect(ticks).toBe(20) // every 250 ms
    bam.pause()
    expect(bam.paused).toBe(true)
    jest.advanceTimersByTime(3000)
    expect(bam.currentTime).toBeCloseTo(5, 5)
    bam.play()
    await flush()
    jest.advanceTimersByTime(7000)
    await flush()
    expect(seen).toEqual(['Canplay', 'Play', 'Pause', 'Play', 'Ended'])
    expect(bam.paused).toBe(true)
    expect(bam.currentTime).toBe(12)
    expect(host.audio.background()).toMatchObject({
      state: 'ended',
      title: 'Song',
      singer: 'Singer',
    })
  })

  it('seeks with onSeeking/onSeeked, stops back to 0, and play after stop starts over', async () => {
    const bam = wx.getBackgroundAudioManager()
    const seen = recordEvents(bam, MANAGER_EVENTS)
    bam.title = 'Song'
    bam.src = 'https://x.test/long.mp3'
    await flush()
    expect(bam.duration).toBe(180) // the default
    bam.seek(170)
    await flush()
    expect(bam.currentTime).toBeCloseTo(170, 5)
    jest.advanceTimersByTime(4000)
    expect(bam.currentTime).toBeCloseTo(174, 5)
    bam.stop()
    await flush()
    expect(bam.currentTime).toBe(0)
    bam.play()
    await flush()
    jest.advanceTimersByTime(1000)
    expect(bam.currentTime).toBeCloseTo(1, 5)
    expect(seen).toEqual(['Canplay', 'Play', 'Seeking', 'Seeked', 'Stop', 'Play'])
  })

  it('does not read title and coverImgUrl back, and refuses to play without a title', async () => {
    const bam = wx.getBackgroundAudioManager()
    const seen = recordEvents(bam, MANAGER_EVENTS)
    bam.src = 'https://x.test/a.mp3'
    await flush()
    expect(seen).toEqual([
      'Error {"errCode":-1,"errMsg":"setBackgroundAudioState:fail title is nil!"}',
    ])
    expect(bam.paused).toBe(true)
    bam.title = 'T'
    bam.coverImgUrl = 'https://x.test/c.png'
    bam.epname = 'Album'
    expect(bam.title).toBeUndefined()
    expect(bam.coverImgUrl).toBeUndefined()
    expect(bam.epname).toBe('Album')
    expect(host.audio.background()).toMatchObject({
      title: 'T',
      coverImgUrl: 'https://x.test/c.png',
    })
  })

  it('fails a src the test marks as failing, with WeChat errCodes', async () => {
    host.audio.failSrc('https://x.test/broken.mp3')
    host.audio.failSrc('https://x.test/bad-format.mp3', { errCode: 10004 })
    const bam = wx.getBackgroundAudioManager()
    const errors: unknown[] = []
    bam.onError((e: unknown) => errors.push(e))
    bam.title = 'T'
    bam.src = 'https://x.test/broken.mp3'
    await flush()
    bam.src = 'https://x.test/bad-format.mp3'
    await flush()
    expect(errors).toEqual([
      { errCode: 10002, errMsg: 'network error' },
      { errCode: 10004, errMsg: 'format error' },
    ])
    expect(bam.paused).toBe(true)
    await expect(wx.getBackgroundAudioPlayerState()).resolves.toEqual({
      status: 2,
      errMsg: 'getBackgroundAudioPlayerState:ok',
    })
  })

  it('reports next/prev taps and buffering stalls', async () => {
    const bam = wx.getBackgroundAudioManager()
    const seen = recordEvents(bam, MANAGER_EVENTS)
    bam.title = 'T'
    bam.src = 'https://x.test/a.mp3'
    await flush()
    host.audio.next()
    host.audio.prev()
    jest.advanceTimersByTime(1000)
    host.audio.stall(2000)
    await flush()
    expect(bam.currentTime).toBeCloseTo(1, 5)
    jest.advanceTimersByTime(2000)
    await flush()
    expect(seen).toEqual(['Canplay', 'Play', 'Next', 'Prev', 'Waiting', 'Canplay', 'Play'])
    jest.advanceTimersByTime(1000)
    expect(bam.currentTime).toBeCloseTo(2, 5)
  })

  it('waits loadTime before onCanplay when configured', async () => {
    const slow = createWxHost({ audio: { loadTime: 800 } })
    const bam: any = slow.wx.getBackgroundAudioManager()
    const seen = recordEvents(bam, MANAGER_EVENTS)
    bam.title = 'T'
    bam.src = 'https://x.test/a.mp3'
    await flush()
    expect(seen).toEqual(['Waiting'])
    jest.advanceTimersByTime(800)
    await flush()
    expect(seen).toEqual(['Waiting', 'Canplay', 'Play'])
    await slow.close()
  })

  it('drives the same player through the legacy API', async () => {
    const bam = wx.getBackgroundAudioManager()
    const legacy: string[] = []
    wx.onBackgroundAudioPlay(() => legacy.push('play'))
    wx.onBackgroundAudioPause(() => legacy.push('pause'))
    wx.onBackgroundAudioStop(() => legacy.push('stop'))
    expect(wx.offBackgroundAudioPlay).toBeUndefined() // WeChat has no off for these

    await expect(wx.getBackgroundAudioPlayerState()).resolves.toMatchObject({ status: 2 })
    await expect(
      wx.playBackgroundAudio({ dataUrl: 'https://x.test/short.mp3', title: 'Old API' }),
    ).resolves.toEqual({
      errMsg: 'playBackgroundAudio:ok',
    })
    await flush()
    expect(bam.src).toBe('https://x.test/short.mp3')
    jest.advanceTimersByTime(2000)
    await expect(wx.getBackgroundAudioPlayerState()).resolves.toEqual({
      status: 1,
      duration: 12,
      currentPosition: 2,
      downloadPercent: 100,
      dataUrl: 'https://x.test/short.mp3',
      errMsg: 'getBackgroundAudioPlayerState:ok',
    })
    await wx.pauseBackgroundAudio()
    await flush()
    await expect(wx.getBackgroundAudioPlayerState()).resolves.toMatchObject({
      status: 0,
      currentPosition: 2,
    })
    await wx.seekBackgroundAudio({ position: 10 })
    expect(bam.currentTime).toBe(10)
    bam.play()
    await flush()
    jest.advanceTimersByTime(2000)
    await flush()
    expect(legacy).toEqual(['play', 'pause', 'play', 'stop']) // the natural end reports stop
    await wx.playBackgroundAudio({ dataUrl: 'https://x.test/short.mp3' })
    await flush()
    await wx.stopBackgroundAudio()
    await flush()
    expect(legacy.slice(4)).toEqual(['play', 'stop'])
    expect(host.listenerCount('onBackgroundAudioStop')).toBe(1)
  })

  it('fails the legacy calls WeChat fails: missing dataUrl, bad position, failing src', async () => {
    host.audio.failSrc('https://x.test/gone.mp3', { errCode: 10003, errMsg: 'file error' })
    await expect(wx.playBackgroundAudio({})).rejects.toEqual({
      errMsg:
        'playBackgroundAudio:fail parameter error: parameter.dataUrl should be String instead of Undefined;',
      errno: 1001,
    })
    await expect(wx.seekBackgroundAudio({ position: '3' })).rejects.toMatchObject({
      errMsg:
        'seekBackgroundAudio:fail parameter error: parameter.position should be Number instead of String;',
    })
    const fail = jest.fn()
    const complete = jest.fn()
    wx.playBackgroundAudio({ dataUrl: 'https://x.test/gone.mp3', fail, complete })
    await flush()
    expect(fail).toHaveBeenCalledWith({ errMsg: 'playBackgroundAudio:fail file error' })
    expect(complete).toHaveBeenCalledTimes(1)
  })

  it('fails http sources while offline with errCode 10002', async () => {
    host.setNetwork({ isConnected: false })
    const bam = wx.getBackgroundAudioManager()
    const errors: unknown[] = []
    bam.onError((e: unknown) => errors.push(e))
    bam.title = 'T'
    bam.src = 'https://x.test/a.mp3'
    await flush()
    expect(errors).toEqual([{ errCode: 10002, errMsg: 'network error' }])
  })

  it('stops every timer on close, even mid-playback', async () => {
    const bam = wx.getBackgroundAudioManager()
    bam.title = 'T'
    bam.src = 'https://x.test/a.mp3'
    await flush()
    expect(jest.getTimerCount()).toBe(2) // timeUpdate + end
  })
})

describe('the wx host: audio after close', () => {
  it('refuses new players and ignores the old ones once the host is closed', async () => {
    const host = createWxHost()
    const wx: any = host.wx
    const bam = wx.getBackgroundAudioManager()
    bam.title = 'T'
    bam.src = 'https://x.test/a.mp3'
    expect(host.calls.map((c) => c.api)).toEqual([
      'getBackgroundAudioManager',
      'BackgroundAudioManager.title',
      'BackgroundAudioManager.src',
    ])
    await host.close()
    expect(() => wx.getBackgroundAudioManager()).toThrow(
      'getBackgroundAudioManager:fail host closed',
    )
    expect(() => wx.createInnerAudioContext()).toThrow('createInnerAudioContext:fail host closed')
    expect(() => wx.getRecorderManager()).toThrow('getRecorderManager:fail host closed')
    bam.play()
    bam.src = 'https://x.test/b.mp3'
    await flush()
    expect(bam.paused).toBe(true)
    await expect(wx.getBackgroundAudioPlayerState()).rejects.toEqual({
      errMsg: 'getBackgroundAudioPlayerState:fail host closed',
    })
  })
})

describe('the wx host: InnerAudioContext', () => {
  let host: WxHost
  let wx: any

  beforeEach(
    () =>
      ({ host, wx } = hostOnFakeTimers({ audio: { defaultDuration: 3, timeUpdateInterval: 500 } })),
  )
  afterEach(() => closeAndExpectClean(host))

  it('loads without playing, plays on play(), and ends', async () => {
    const audio = wx.createInnerAudioContext()
    const seen = recordEvents(audio, ['Canplay', 'Play', 'Pause', 'Stop', 'Ended', 'Error'])
    audio.src = 'https://x.test/a.mp3'
    await flush()
    expect(seen).toEqual(['Canplay'])
    expect(audio.paused).toBe(true)
    audio.play()
    await flush()
    jest.advanceTimersByTime(3000)
    await flush()
    expect(seen).toEqual(['Canplay', 'Play', 'Ended'])
    audio.destroy()
  })

  it('autoplays, loops without onEnded, and keeps several instances apart', async () => {
    const a = wx.createInnerAudioContext()
    const b = wx.createInnerAudioContext()
    const seenA = recordEvents(a, ['Play', 'Ended'])
    const seenB = recordEvents(b, ['Play', 'Ended'])
    a.src = 'https://x.test/a.mp3'
    a.autoplay = true // after src, in the same tick: still plays
    a.loop = true
    b.autoplay = true
    b.src = 'https://x.test/b.mp3'
    await flush()
    jest.advanceTimersByTime(4000)
    await flush()
    expect(seenA).toEqual(['Play'])
    expect(a.currentTime).toBeCloseTo(1, 5)
    expect(seenB).toEqual(['Play', 'Ended'])
    expect(host.audio.innerAudioCount()).toBe(2)
    a.destroy()
    b.destroy()
    expect(host.audio.innerAudioCount()).toBe(0)
    expect(host.audio.innerAudio().map((c) => c.destroyed)).toEqual([true, true])
  })

  it('removes a listener with off*, and destroy() removes the rest and stops the clock', async () => {
    const audio = wx.createInnerAudioContext()
    const onTime = jest.fn()
    const onPlay = jest.fn()
    audio.onTimeUpdate(onTime)
    audio.onPlay(onPlay)
    expect(host.listenerCount()).toBe(2)
    audio.autoplay = true
    audio.src = 'https://x.test/a.mp3'
    await flush()
    jest.advanceTimersByTime(1000)
    expect(onTime).toHaveBeenCalledTimes(2)
    audio.offTimeUpdate(onTime)
    expect(host.listenerCount()).toBe(1)
    jest.advanceTimersByTime(1000)
    expect(onTime).toHaveBeenCalledTimes(2)
    audio.destroy()
    expect(host.listenerCount()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
    audio.play() // a destroyed context does nothing
    await flush()
    expect(onPlay).toHaveBeenCalledTimes(1)
  })

  it('plays a sandbox WAV for its real length and fails a missing file with 10003', async () => {
    const { realPath, wxPath } = tempWav(host, 1.5)
    expect(realPath).toBeTruthy()
    const audio = wx.createInnerAudioContext()
    const errors: unknown[] = []
    audio.onError((e: unknown) => errors.push(e))
    audio.src = wxPath
    await flush()
    expect(audio.duration).toBeCloseTo(1.5, 5)
    audio.src = 'wxfile://tmp_missing.mp3'
    await flush()
    expect(errors).toEqual([
      { errCode: 10003, errMsg: 'file error: no such file wxfile://tmp_missing.mp3' },
    ])
    audio.play()
    audio.destroy()
  })

  it('reports play() without a src as an error', async () => {
    const audio = wx.createInnerAudioContext()
    const onError = jest.fn()
    audio.onError(onError)
    audio.play()
    await flush()
    expect(onError).toHaveBeenCalledWith({ errCode: -1, errMsg: 'src is empty' })
    audio.destroy()
  })

  it('honours startTime, seek and playbackRate', async () => {
    const audio = wx.createInnerAudioContext()
    host.audio.setDuration('https://x.test/long.mp3', 100)
    audio.startTime = 10
    audio.src = 'https://x.test/long.mp3'
    audio.play()
    await flush()
    jest.advanceTimersByTime(1000)
    expect(audio.currentTime).toBeCloseTo(11, 5)
    audio.playbackRate = 2
    jest.advanceTimersByTime(1000)
    expect(audio.currentTime).toBeCloseTo(13, 5)
    audio.seek(50)
    expect(audio.currentTime).toBeCloseTo(50, 5)
    audio.stop()
    expect(audio.currentTime).toBe(0)
    audio.destroy()
  })
})

function tempWav(host: WxHost, seconds: number): { realPath: string; wxPath: string } {
  const bytes = encodeAudioFile(
    { format: 'wav', sampleRate: 8000, numberOfChannels: 1, encodeBitRate: 0 },
    8000 * seconds,
  )
  const wxPath = 'wxfile://usr/voice.wav'
  const realPath = host.root + '/usr/voice.wav'
  writeFileSync(realPath, bytes)
  return { realPath, wxPath }
}
