import { AbortError, TimeoutError, WxError } from '../../src/core/errors'
import type { AudioState } from '../../src/media/audio-state'
import { backgroundAudio } from '../../src/media/background-audio'
import { createFakeMediaWx, flush, type FakeMediaWx } from './fake-media-wx'
import { expectNoLeaks } from './leaks'

const A = {
  src: 'https://cdn.example/a.mp3',
  title: 'A',
  singer: 'S',
  coverImgUrl: 'https://cdn.example/a.jpg',
}
const B = { src: 'https://cdn.example/b.mp3', title: 'B' }
const C = { src: 'https://cdn.example/c.mp3', title: 'C' }

let fake: FakeMediaWx
let restore: () => void

function playing(duration = 200, at = 0) {
  fake.manager.duration = duration
  fake.manager.currentTime = at
  fake.manager.paused = false
  fake.emit('Manager.Play')
}

beforeEach(() => {
  jest.useFakeTimers()
})

afterEach(() => {
  expectNoLeaks(fake.summary(), /^(Manager\.|BackgroundAudio(Play|Pause|Stop)$)/)
  restore?.()
  jest.useRealTimers()
})

describe('backgroundAudio over BackgroundAudioManager', () => {
  beforeEach(() => {
    fake = createFakeMediaWx({ legacyAudio: false })
    restore = fake.install()
  })

  it('does nothing at import and fetches the manager once, on first use', () => {
    const spy = jest.spyOn(fake.wx, 'getBackgroundAudioManager')
    expect(spy).not.toHaveBeenCalled()
    expect(backgroundAudio.getState().status).toBe('idle')
    backgroundAudio.getState()
    expect(spy).toHaveBeenCalledTimes(1)
  })

  it('plays a track: sets metadata then src, resolves on onPlay, keeps title and cover itself', async () => {
    const p = backgroundAudio.play(A)
    expect(fake.calls).toEqual(['manager.src=' + A.src])
    expect(fake.manager.title).toBe('A')
    expect(backgroundAudio.getState()).toMatchObject({ status: 'waiting', src: A.src, title: 'A' })
    // The manager does not read title/cover back: the state must not depend on it.
    fake.manager.title = undefined
    fake.manager.coverImgUrl = undefined
    playing(200)
    const state = await p
    expect(state).toMatchObject({
      status: 'playing',
      title: 'A',
      singer: 'S',
      coverImgUrl: A.coverImgUrl,
      duration: 200,
      error: null,
    })
    expect(jest.getTimerCount()).toBe(0)
  })

  it('state$ gives the current state first, then only changes, driven by onTimeUpdate', async () => {
    const p = backgroundAudio.play(A)
    playing(200)
    await p
    const seen: AudioState[] = []
    const sub = backgroundAudio.state$.subscribe((s) => seen.push(s))
    expect(seen).toHaveLength(1)
    expect(seen[0].status).toBe('playing')
    fake.manager.currentTime = 1
    fake.emit('Manager.TimeUpdate')
    fake.emit('Manager.TimeUpdate') // nothing changed: no emission
    fake.manager.currentTime = 2
    fake.emit('Manager.TimeUpdate')
    expect(seen.map((s) => s.position)).toEqual([0, 1, 2])
    sub.unsubscribe()
  })

  it('registers one set of manager listeners, however many subscribers come and go', () => {
    backgroundAudio.getState()
    const registered = fake.count()
    expect(fake.count('Manager.Play')).toBe(1)
    const subs = [1, 2, 3].map(() => backgroundAudio.state$.subscribe())
    subs.forEach((s) => s.unsubscribe())
    backgroundAudio.state$.subscribe().unsubscribe()
    expect(fake.count()).toBe(registered)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('pause, resume, stop and seek each resolve on their confirming event', async () => {
    const p = backgroundAudio.play(A)
    playing(100)
    await p
    const paused = backgroundAudio.pause()
    expect(fake.calls).toContain('manager.pause')
    fake.emit('Manager.Pause')
    expect((await paused).status).toBe('paused')

    const resumed = backgroundAudio.resume()
    expect(fake.calls).toContain('manager.play')
    fake.emit('Manager.Play')
    expect((await resumed).status).toBe('playing')

    const sought = backgroundAudio.seek(30)
    expect(fake.calls).toContain('manager.seek(30)')
    fake.manager.currentTime = 30
    fake.emit('Manager.Seeked')
    expect((await sought).position).toBe(30)

    const stopped = backgroundAudio.stop()
    fake.emit('Manager.Stop')
    expect(await stopped).toMatchObject({ status: 'stopped', position: 0 })
    expect(jest.getTimerCount()).toBe(0)
  })

  it('clamps seek to 0..duration', async () => {
    const p = backgroundAudio.play(A)
    playing(100)
    await p
    const high = backgroundAudio.seek(500)
    const low = backgroundAudio.seek(-5)
    await expect(high).rejects.toBeInstanceOf(AbortError) // superseded by the second seek
    expect(fake.calls.filter((c) => c.startsWith('manager.seek'))).toEqual([
      'manager.seek(100)',
      'manager.seek(0)',
    ])
    fake.emit('Manager.Seeked')
    await low
  })

  it('resolves at once when there is nothing to do', async () => {
    expect((await backgroundAudio.pause()).status).toBe('idle')
    expect((await backgroundAudio.stop()).status).toBe('idle')
    expect(fake.calls).toEqual([])
    await expect(backgroundAudio.resume()).rejects.toThrow(
      /backgroundAudio.resume:fail nothing to resume/,
    )
    await expect(backgroundAudio.seek(3)).rejects.toThrow(
      /backgroundAudio.seek:fail nothing to seek/,
    )
  })

  it('rejects with TimeoutError when the player never confirms, and leaves no timer', async () => {
    backgroundAudio.configure({ timeout: 1000, loadTimeout: 3000 })
    try {
      const p = backgroundAudio.play(A)
      const caught = p.catch((e) => e)
      jest.advanceTimersByTime(2999)
      await flush()
      expect(jest.getTimerCount()).toBe(1)
      jest.advanceTimersByTime(1)
      const error = await caught
      expect(error).toBeInstanceOf(TimeoutError)
      expect(error.message).toMatch(/^backgroundAudio\.play:fail timeout/)
      playing(100)
      const paused = backgroundAudio.pause().catch((e) => e)
      jest.advanceTimersByTime(1000)
      expect(await paused).toBeInstanceOf(TimeoutError)
      expect(jest.getTimerCount()).toBe(0)
    } finally {
      backgroundAudio.configure({ timeout: 5000, loadTimeout: 15000 })
    }
  })

  it('rejects an earlier verb made moot by a later one with AbortError', async () => {
    const play = backgroundAudio.play(A).catch((e) => e)
    const pause = backgroundAudio.pause()
    const error = await play
    expect(error).toBeInstanceOf(AbortError)
    expect(error.message).toMatch(/superseded by pause/)
    fake.emit('Manager.Pause')
    await pause
    expect(jest.getTimerCount()).toBe(0)
  })

  it('puts onError in the state and rejects what waits', async () => {
    const p = backgroundAudio.play(A).catch((e) => e)
    fake.emit('Manager.Error', { errMsg: 'network error', errCode: 10002 })
    const error = await p
    expect(error).toBeInstanceOf(WxError)
    expect(error.errMsg).toBe('network error')
    expect(backgroundAudio.getState()).toMatchObject({ status: 'error', error })
    expect(jest.getTimerCount()).toBe(0)
  })

  it('rejects bad input with a TypeError naming the API and the field', async () => {
    await expect(backgroundAudio.play({ src: 'x' } as never)).rejects.toThrow(
      new TypeError(
        'backgroundAudio.play: `track.title` must be a non-empty string, got undefined',
      ),
    )
    await expect(backgroundAudio.play(null as never)).rejects.toThrow(TypeError)
    await expect(backgroundAudio.play({ src: '', title: 'x' })).rejects.toThrow(/`track.src`/)
    await expect(backgroundAudio.play({ ...A, startTime: -1 })).rejects.toThrow(/`track.startTime`/)
    await expect(backgroundAudio.seek(NaN)).rejects.toThrow(/backgroundAudio.seek: `seconds`/)
    await expect(backgroundAudio.queue([])).rejects.toThrow(/`tracks`/)
    await expect(backgroundAudio.queue([A, { src: 'b' } as never])).rejects.toThrow(
      /`tracks\[1\].title`/,
    )
    await expect(backgroundAudio.queue([A], 1)).rejects.toThrow(/`start`/)
    expect(() => backgroundAudio.configure({ timeout: -1 })).toThrow(/`options.timeout`/)
    expect(fake.calls).toEqual([])
  })

  it('plays a queue, advances by itself at the end, and moves with next/previous', async () => {
    const first = backgroundAudio.queue([A, B, C])
    playing(100)
    await first
    expect(backgroundAudio.getQueue().index).toBe(0)
    fake.manager.currentTime = 100
    fake.emit('Manager.Ended')
    expect(backgroundAudio.getState()).toMatchObject({ status: 'waiting', src: B.src, title: 'B' })
    expect(fake.calls).toContain('manager.src=' + B.src)
    playing(50)
    await flush()
    expect(backgroundAudio.getQueue().index).toBe(1)

    const next = backgroundAudio.next()
    playing(60)
    expect(await next).toBe(true)
    expect(backgroundAudio.getState().title).toBe('C')
    expect(await backgroundAudio.next()).toBe(false)

    const previous = backgroundAudio.previous()
    playing(50)
    expect(await previous).toBe(true)
    expect(backgroundAudio.getState().src).toBe(B.src)

    // the system player's buttons
    fake.emit('Manager.Next')
    expect(backgroundAudio.getState().src).toBe(C.src)
    playing(60)
    fake.emit('Manager.Prev')
    playing(50)
    await flush()
    expect(backgroundAudio.getQueue()).toMatchObject({ index: 1 })
    // the end of the last track stops there
    const last = backgroundAudio.queue([A, B], 1)
    playing(50)
    await last
    fake.emit('Manager.Ended')
    expect(backgroundAudio.getState().status).toBe('ended')
    expect(jest.getTimerCount()).toBe(0)
  })

  it('resume after the end plays the track again', async () => {
    const p = backgroundAudio.play(A)
    playing(100)
    await p
    fake.emit('Manager.Ended')
    const again = backgroundAudio.resume()
    expect(fake.calls.filter((c) => c === 'manager.src=' + A.src)).toHaveLength(2)
    playing(100)
    expect((await again).status).toBe('playing')
  })

  it('starts from what the manager already plays', () => {
    fake.manager.src = 'https://cdn.example/running.mp3'
    fake.manager.paused = false
    fake.manager.currentTime = 12
    fake.manager.duration = 90
    expect(backgroundAudio.getState()).toMatchObject({
      status: 'playing',
      src: 'https://cdn.example/running.mp3',
      position: 12,
      duration: 90,
    })
  })

  it('shows buffering as waiting and moving time as playing', async () => {
    const p = backgroundAudio.play(A)
    playing(100)
    await p
    fake.emit('Manager.Waiting')
    expect(backgroundAudio.getState().status).toBe('waiting')
    fake.manager.currentTime = 3
    fake.emit('Manager.TimeUpdate')
    expect(backgroundAudio.getState().status).toBe('playing')
  })
})

describe('backgroundAudio over the legacy API', () => {
  beforeEach(() => {
    fake = createFakeMediaWx({ manager: false })
    restore = fake.install()
    fake.answer('getBackgroundAudioPlayerState', () => ({ ok: { status: 2 } }))
  })

  function legacyPlaying(duration: number, position: number) {
    fake.answer('getBackgroundAudioPlayerState', () => ({
      ok: { status: 1, duration, currentPosition: position, downloadPercent: 50, dataUrl: A.src },
    }))
    fake.emit('BackgroundAudioPlay')
  }

  it('plays with playBackgroundAudio and resolves on onBackgroundAudioPlay', async () => {
    const p = backgroundAudio.play(A)
    await flush()
    expect(fake.options.playBackgroundAudio[0]).toMatchObject({
      dataUrl: A.src,
      title: 'A',
      coverImgUrl: A.coverImgUrl,
    })
    legacyPlaying(200, 0)
    expect((await p).status).toBe('playing')
    await flush()
    expect(backgroundAudio.getState()).toMatchObject({ duration: 200, buffered: 100 })
    expect(jest.getTimerCount()).toBe(0)
  })

  it('polls about once a second, only while playing and only while subscribed', async () => {
    const p = backgroundAudio.play(A)
    legacyPlaying(200, 0)
    await p
    await flush()
    const polls = () => fake.calls.filter((c) => c === 'getBackgroundAudioPlayerState').length
    const before = polls()
    await jest.advanceTimersByTimeAsync(5000)
    expect(polls()).toBe(before) // nobody subscribed
    expect(jest.getTimerCount()).toBe(0)

    const positions: number[] = []
    const sub = backgroundAudio.state$.subscribe((s) => positions.push(s.position))
    expect(jest.getTimerCount()).toBe(1)
    for (let second = 1; second <= 3; second++) {
      fake.answer('getBackgroundAudioPlayerState', () => ({
        ok: { status: 1, duration: 200, currentPosition: second, downloadPercent: 100 },
      }))
      await jest.advanceTimersByTimeAsync(1000)
    }
    expect(polls()).toBe(before + 3)
    expect(positions).toEqual([0, 1, 2, 3])

    fake.emit('BackgroundAudioPause')
    expect(jest.getTimerCount()).toBe(0) // paused: no polling
    await jest.advanceTimersByTimeAsync(3000)
    expect(polls()).toBe(before + 3)
    fake.emit('BackgroundAudioPlay')
    expect(jest.getTimerCount()).toBe(1)
    sub.unsubscribe()
    expect(jest.getTimerCount()).toBe(0)
    expect(fake.count()).toBe(3) // the three legacy events, registered once
  })

  it('tells the end of a track (a stop nobody asked for, at the end) from a stop', async () => {
    const p = backgroundAudio.queue([A, B])
    legacyPlaying(10, 0)
    await p
    await flush()
    jest.advanceTimersByTime(10000)
    fake.emit('BackgroundAudioStop')
    // ended, so the queue moved on to B
    expect(backgroundAudio.getState()).toMatchObject({ status: 'waiting', src: B.src })
    await flush()
    expect(fake.options.playBackgroundAudio[1]).toMatchObject({ dataUrl: B.src })
    legacyPlaying(10, 0)
    await flush()
    const stopped = backgroundAudio.stop()
    await flush()
    expect(fake.calls).toContain('stopBackgroundAudio')
    fake.emit('BackgroundAudioStop')
    expect((await stopped).status).toBe('stopped')
    expect(jest.getTimerCount()).toBe(0)
  })

  it('seeks with seekBackgroundAudio and resumes by playing again from where it paused', async () => {
    const p = backgroundAudio.play(A)
    legacyPlaying(100, 0)
    await p
    await flush()
    const sought = await backgroundAudio.seek(40)
    expect(sought.position).toBe(40)
    expect(fake.options.seekBackgroundAudio[0]).toMatchObject({ position: 40 })
    const paused = backgroundAudio.pause()
    await flush()
    fake.emit('BackgroundAudioPause')
    await paused
    const resumed = backgroundAudio.resume()
    await flush()
    expect(fake.options.playBackgroundAudio).toHaveLength(2)
    fake.emit('BackgroundAudioPlay')
    await resumed
    await flush()
    expect(fake.options.seekBackgroundAudio[1]).toMatchObject({ position: 40 })
  })

  it('rejects a verb whose call fails with the call WxError', async () => {
    fake.answer('playBackgroundAudio', () => ({ fail: 'network error' }))
    const error = await backgroundAudio.play(A).catch((e) => e)
    expect(error).toBeInstanceOf(WxError)
    expect(error.errMsg).toBe('playBackgroundAudio:fail network error')
    expect(jest.getTimerCount()).toBe(0)
  })

  it('reports not supported without any player API', async () => {
    restore()
    restore = createFakeMediaWx({ manager: false, legacyAudio: false }).install()
    await expect(backgroundAudio.play(A)).rejects.toThrow(
      /getBackgroundAudioManager:fail not supported/,
    )
    expect(backgroundAudio.getState().status).toBe('idle')
  })
})
