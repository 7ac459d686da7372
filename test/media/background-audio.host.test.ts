// backgroundAudio through the Node wx host: a simulated player whose clock runs on fake timers.
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import type { AudioState } from '../../src/media/audio-state'
import { backgroundAudio } from '../../src/media/background-audio'
import { expectNoLeaks } from './leaks'

const A = {
  src: 'https://cdn.example/a.mp3',
  title: 'A',
  singer: 'S',
  coverImgUrl: 'https://cdn.example/a.jpg',
}
const B = { src: 'https://cdn.example/b.mp3', title: 'B', coverImgUrl: 'https://cdn.example/b.jpg' }

let host: WxHost
let restore: () => void

async function setUp(legacy: boolean) {
  host = createWxHost({ audio: { durations: { [A.src]: 10, [B.src]: 20 } } })
  if (legacy) delete (host.wx as unknown as Record<string, unknown>).getBackgroundAudioManager
  restore = host.install()
}

beforeEach(() => {
  jest.useFakeTimers()
})

afterEach(async () => {
  expectNoLeaks(host.listeners(), /^(BackgroundAudioManager\.|BackgroundAudio(Play|Pause|Stop)$)/)
  restore()
  await host.close()
  jest.useRealTimers()
})

for (const legacy of [false, true]) {
  describe(
    legacy
      ? 'backgroundAudio on the host, legacy API'
      : 'backgroundAudio on the host, BackgroundAudioManager',
    () => {
      beforeEach(() => setUp(legacy))

      it('plays, follows the clock, pauses, resumes, seeks and stops', async () => {
        const seen: AudioState[] = []
        const sub = backgroundAudio.state$.subscribe((s) => seen.push(s))
        const state = await backgroundAudio.play(A)
        expect(state).toMatchObject({
          status: 'playing',
          src: A.src,
          title: 'A',
          coverImgUrl: A.coverImgUrl,
        })
        await jest.advanceTimersByTimeAsync(3000)
        const at = backgroundAudio.getState()
        expect(at.duration).toBe(10)
        expect(at.position).toBeGreaterThanOrEqual(2)
        expect(at.position).toBeLessThanOrEqual(3)

        const paused = await backgroundAudio.pause()
        expect(paused.status).toBe('paused')
        expect(host.audio.background().state).toBe('paused')
        const sought = await backgroundAudio.seek(6)
        expect(sought.position).toBe(6)
        const resumed = await backgroundAudio.resume()
        expect(resumed.status).toBe('playing')
        await jest.advanceTimersByTimeAsync(2000)
        expect(backgroundAudio.getState().position).toBeGreaterThanOrEqual(7)
        expect(host.audio.background().currentTime).toBeCloseTo(8, 1)

        const stopped = await backgroundAudio.stop()
        expect(stopped).toMatchObject({ status: 'stopped', position: 0, title: 'A' })
        expect(host.audio.background().state).toBe('stopped')
        sub.unsubscribe()
        expect(seen[0].status).toBe('idle')
        expect(seen.map((s) => s.status)).toContain('paused')
        expect(jest.getTimerCount()).toBe(0)
      })

      it('advances the queue at the end of a track', async () => {
        await backgroundAudio.queue([A, B])
        await jest.advanceTimersByTimeAsync(10000)
        await jest.advanceTimersByTimeAsync(0)
        expect(backgroundAudio.getState()).toMatchObject({
          status: 'playing',
          src: B.src,
          title: 'B',
          duration: 20,
        })
        expect(host.audio.background().src).toBe(B.src)
        await jest.advanceTimersByTimeAsync(20000)
        expect(backgroundAudio.getState().status).toBe('ended')
        expect(backgroundAudio.getQueue().index).toBe(1)
        expect(jest.getTimerCount()).toBe(0)
      })

      it('reports a failing source as an error and rejects play', async () => {
        host.audio.failSrc(A.src, { errCode: 10002 })
        const error = await backgroundAudio.play(A).catch((e) => e)
        expect(error).toBeInstanceOf(Error)
        expect(error.name).toBe('WxError')
        if (!legacy) expect(backgroundAudio.getState()).toMatchObject({ status: 'error', error })
        expect(jest.getTimerCount()).toBe(0)
      })

      it('keeps its listeners constant while subscribers come and go', async () => {
        backgroundAudio.getState()
        const before = host.listeners()
        const subs = [1, 2, 3].map(() => backgroundAudio.state$.subscribe())
        await backgroundAudio.play(A)
        subs.forEach((s) => s.unsubscribe())
        backgroundAudio.state$.subscribe().unsubscribe()
        await backgroundAudio.stop()
        expect(host.listeners()).toEqual(before)
        expect(jest.getTimerCount()).toBe(0)
      })
    },
  )
}

describe('backgroundAudio on the host, legacy polling', () => {
  beforeEach(() => setUp(true))

  it('polls getBackgroundAudioPlayerState once a second only while playing and subscribed', async () => {
    await backgroundAudio.play(A)
    const polls = () => host.calls.filter((c) => c.api === 'getBackgroundAudioPlayerState').length
    await jest.advanceTimersByTimeAsync(0)
    const start = polls()
    await jest.advanceTimersByTimeAsync(3000)
    expect(polls()).toBe(start)
    const sub = backgroundAudio.state$.subscribe()
    await jest.advanceTimersByTimeAsync(3000)
    expect(polls()).toBe(start + 3)
    expect(backgroundAudio.getState().position).toBeCloseTo(6, 0)
    await backgroundAudio.pause()
    await jest.advanceTimersByTimeAsync(3000)
    expect(polls()).toBe(start + 3)
    sub.unsubscribe()
    await backgroundAudio.stop()
    expect(jest.getTimerCount()).toBe(0)
  })
})
