import { TimeoutError, WxError } from '../../src/core/errors'
import { createAudioPlayer, playVoice } from '../../src/media/voice'
import { createFakeMediaWx, flush, type FakeMediaWx } from './fake-media-wx'

let fake: FakeMediaWx
let restore: () => void

beforeEach(() => {
  jest.useFakeTimers()
})

afterEach(() => {
  restore?.()
  jest.useRealTimers()
})

describe('createAudioPlayer', () => {
  beforeEach(() => {
    fake = createFakeMediaWx()
    restore = fake.install()
  })

  it('creates the context on first use, plays, and resolves on onPlay', async () => {
    const player = createAudioPlayer({ loop: true, volume: 0.5 })
    expect(fake.contexts).toHaveLength(0)
    const p = player.play({ src: '/a.mp3', startTime: 3 })
    const c = fake.contexts[0]
    expect(c).toMatchObject({ loop: true, volume: 0.5, startTime: 3 })
    expect(fake.calls).toEqual(['Inner1.src=/a.mp3', 'Inner1.play'])
    c.duration = 30
    c.currentTime = 3
    fake.emit('Inner1.Play')
    expect(await p).toMatchObject({
      status: 'playing',
      src: '/a.mp3',
      title: '',
      duration: 30,
      position: 3,
    })
    player.dispose()
  })

  it('has the same shape as the background store: pause, resume, seek, stop, queue', async () => {
    const player = createAudioPlayer()
    const p = player.queue([{ src: '/a.mp3' }, { src: '/b.mp3', title: 'B' }])
    fake.contexts[0].duration = 10
    fake.emit('Inner1.Play')
    await p
    const paused = player.pause()
    fake.emit('Inner1.Pause')
    expect((await paused).status).toBe('paused')
    const resumed = player.resume()
    fake.emit('Inner1.Play')
    await resumed
    const sought = player.seek(99)
    expect(fake.calls).toContain('Inner1.seek(10)')
    fake.contexts[0].currentTime = 10
    fake.emit('Inner1.Seeked')
    expect((await sought).position).toBe(10)
    fake.emit('Inner1.Ended')
    expect(player.getState()).toMatchObject({ status: 'waiting', src: '/b.mp3', title: 'B' })
    fake.emit('Inner1.Play')
    const stopped = player.stop()
    fake.emit('Inner1.Stop')
    expect((await stopped).status).toBe('stopped')
    player.dispose()
    expect(jest.getTimerCount()).toBe(0)
  })

  it('dispose removes exactly its listeners with off, destroys the context and completes state$', async () => {
    const player = createAudioPlayer()
    const done = jest.fn()
    player.state$.subscribe({ complete: done })
    expect(fake.count()).toBe(9)
    const pending = player.play({ src: '/a.mp3' }).catch((e) => e)
    player.dispose()
    expect(fake.count()).toBe(0)
    expect(fake.contexts[0].destroyed).toBe(true)
    expect(done).toHaveBeenCalled()
    expect((await pending).message).toMatch(/audioPlayer.play:fail disposed/)
    await expect(player.play({ src: '/a.mp3' })).rejects.toThrow(/disposed/)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('a player disposed before first use never creates a context', async () => {
    const player = createAudioPlayer()
    player.dispose()
    await expect(player.pause()).rejects.toThrow(/audioPlayer:fail disposed/)
    expect(fake.contexts).toHaveLength(0)
  })

  it('rejects bad options with a TypeError naming the field', () => {
    expect(() => createAudioPlayer({ volume: 2 })).toThrow(/createAudioPlayer: `options.volume`/)
    expect(() => createAudioPlayer({ loop: 'yes' as never })).toThrow(/`options.loop`/)
    expect(() => createAudioPlayer({ loadTimeout: 0 })).toThrow(/`options.loadTimeout`/)
    expect(() => createAudioPlayer('x' as never)).toThrow(/`options`/)
  })

  it('rejects verbs when the base library has no createInnerAudioContext', async () => {
    restore()
    restore = createFakeMediaWx({ inner: false }).install()
    const player = createAudioPlayer()
    await expect(player.play({ src: '/a.mp3' })).rejects.toThrow(
      /createInnerAudioContext:fail not supported/,
    )
    expect(player.getState().status).toBe('idle')
  })

  it('times out a play the context never confirms', async () => {
    const player = createAudioPlayer({ loadTimeout: 500 })
    const p = player.play({ src: '/a.mp3' }).catch((e) => e)
    jest.advanceTimersByTime(500)
    expect(await p).toBeInstanceOf(TimeoutError)
    player.dispose()
    expect(jest.getTimerCount()).toBe(0)
  })
})

describe('playVoice', () => {
  it('plays through a temporary inner audio context and resolves ended', async () => {
    fake = createFakeMediaWx()
    restore = fake.install()
    const p = playVoice('wxfile://tmp_1.wav')
    expect(fake.calls).toEqual(['Inner1.src=wxfile://tmp_1.wav', 'Inner1.play'])
    fake.contexts[0].duration = 4
    fake.emit('Inner1.Play')
    fake.emit('Inner1.Ended')
    expect(await p).toBe('ended')
    expect(fake.contexts[0].destroyed).toBe(true)
    expect(fake.count()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('stops after `duration` seconds and on stop(), and one voice stops the previous', async () => {
    fake = createFakeMediaWx()
    restore = fake.install()
    const first = playVoice('wxfile://tmp_1.wav', { duration: 2 })
    fake.emit('Inner1.Play')
    jest.advanceTimersByTime(2000)
    expect(await first).toBe('ended')
    expect(fake.calls).toContain('Inner1.stop')

    const second = playVoice('wxfile://tmp_2.wav')
    const third = playVoice('wxfile://tmp_3.wav')
    expect(await second).toBe('stopped')
    third.stop()
    expect(await third).toBe('stopped')
    expect(fake.count()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('rejects with the player error, and with TimeoutError when it never plays', async () => {
    fake = createFakeMediaWx()
    restore = fake.install()
    const failed = playVoice('wxfile://tmp_1.wav').catch((e) => e)
    fake.emit('Inner1.Error', { errCode: 10003, errMsg: 'file error' })
    expect(await failed).toBeInstanceOf(WxError)
    const silent = playVoice('wxfile://tmp_2.wav', { timeout: 1000 }).catch((e) => e)
    jest.advanceTimersByTime(1000)
    const error = await silent
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error.message).toMatch(/^playVoice:fail timeout/)
    expect(fake.count()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('uses wx.playVoice on the legacy API, which succeeds at the end', async () => {
    fake = createFakeMediaWx({ inner: false })
    restore = fake.install()
    expect(await playVoice('wxfile://tmp_1.silk', { duration: 5 })).toBe('ended')
    expect(fake.options.playVoice[0]).toMatchObject({
      filePath: 'wxfile://tmp_1.silk',
      duration: 5,
    })
    fake.answer('playVoice', () => 'never')
    const p = playVoice('wxfile://tmp_2.silk')
    p.stop()
    expect(await p).toBe('stopped')
    await flush()
    expect(fake.calls).toContain('stopVoice')
    const silent = playVoice('wxfile://tmp_3.silk', { duration: 1 }).catch((e) => e)
    jest.advanceTimersByTime(11000)
    expect(await silent).toBeInstanceOf(TimeoutError)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('rejects bad input with a TypeError naming the field', async () => {
    fake = createFakeMediaWx()
    restore = fake.install()
    await expect(playVoice('')).rejects.toThrow(/playVoice: `filePath`/)
    await expect(playVoice('a', { duration: -1 })).rejects.toThrow(/`options.duration`/)
    await expect(playVoice('a', 3 as never)).rejects.toThrow(/`options`/)
    expect(fake.calls).toEqual([])
  })
})
