import { TimeoutError } from '../../src/core/errors'
import { createAudioPlayer } from '../../src/media/audio-player'
import { createFakeMediaWx, type FakeMediaWx } from './fake-media-wx'
import { expectNoLeaks } from './leaks'

let fake: FakeMediaWx
let restore: () => void

beforeEach(() => {
  jest.useFakeTimers()
})

afterEach(() => {
  expectNoLeaks(fake.summary())
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
