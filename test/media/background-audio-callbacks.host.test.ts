// The background audio store owns BackgroundAudioManager's callbacks: on clients whose `onX`
// keep only the last callback set per event, it must still hear every event.
import { backgroundAudio } from '../../src/media/background-audio'
import { useLeakCheckedHost } from './leaks'

const A = { src: 'https://cdn.example/a.mp3', title: 'A' }
const B = { src: 'https://cdn.example/b.mp3', title: 'B' }

const host = useLeakCheckedHost(
  {
    audio: { durations: { [A.src]: 10, [B.src]: 20 }, managerCallbacks: 'last' },
  },
  /^BackgroundAudioManager\./,
)

describe('backgroundAudio where the manager keeps only the last callback per event', () => {
  it('sets each manager callback once, and only the store sets them', async () => {
    await backgroundAudio.play(A)
    await backgroundAudio.pause()
    await backgroundAudio.resume()
    await backgroundAudio.stop()
    const registrations: Record<string, number> = {}
    for (const call of host().calls) {
      if (/^BackgroundAudioManager\.on/.test(call.api)) {
        registrations[call.api] = (registrations[call.api] || 0) + 1
      }
    }
    expect(Object.keys(registrations).length).toBeGreaterThan(0)
    for (const api of Object.keys(registrations))
      expect([api, registrations[api]]).toEqual([api, 1])
    // One callback per event is what the store listens with.
    for (const [event, count] of Object.entries(host().listeners())) {
      if (/^BackgroundAudioManager\./.test(event)) expect([event, count]).toEqual([event, 1])
    }
  })

  it('plays, pauses, seeks, resumes, advances the queue and follows the system buttons', async () => {
    const statuses: string[] = []
    const sub = backgroundAudio.state$.subscribe((s) => {
      if (statuses[statuses.length - 1] !== s.status) statuses.push(s.status)
    })
    await backgroundAudio.queue([A, B])
    await jest.advanceTimersByTimeAsync(2000)
    expect(backgroundAudio.getState().position).toBeGreaterThanOrEqual(1.5)
    expect((await backgroundAudio.pause()).status).toBe('paused')
    expect((await backgroundAudio.seek(9)).position).toBe(9)
    expect((await backgroundAudio.resume()).status).toBe('playing')
    await jest.advanceTimersByTimeAsync(1000)
    await jest.advanceTimersByTimeAsync(0)
    expect(backgroundAudio.getState()).toMatchObject({ status: 'playing', src: B.src })
    host().audio.prev()
    await jest.advanceTimersByTimeAsync(0)
    await jest.advanceTimersByTimeAsync(0)
    expect(backgroundAudio.getState()).toMatchObject({ status: 'playing', src: A.src })
    await backgroundAudio.stop()
    sub.unsubscribe()
    expect(statuses).toEqual([
      'idle',
      'waiting',
      'playing',
      'paused',
      'playing',
      'ended',
      'waiting',
      'playing',
      'waiting',
      'playing',
      'stopped',
    ])
  })
})
