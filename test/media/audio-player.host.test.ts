// createAudioPlayer through the Node wx host (simulated players on fake timers).
import { createAudioPlayer } from '../../src/media/audio-player'
import { useLeakCheckedHost } from './leaks'

const SONG = 'https://cdn.example/song.mp3'
const DING = 'https://cdn.example/ding.mp3'

const host = useLeakCheckedHost({ audio: { durations: { [SONG]: 8, [DING]: 1 } } })

describe('createAudioPlayer on the host', () => {
  it('plays on the clock, pauses, seeks, resumes, ends, and leaves nothing after dispose', async () => {
    const player = createAudioPlayer()
    const statuses: string[] = []
    player.state$.subscribe((s) => {
      if (statuses[statuses.length - 1] !== s.status) statuses.push(s.status)
    })
    expect(await player.play({ src: SONG, title: 'Song' })).toMatchObject({
      status: 'playing',
      duration: 8,
    })
    await jest.advanceTimersByTimeAsync(2000)
    expect(player.getState().position).toBeGreaterThanOrEqual(1.5)
    await player.pause()
    expect((await player.seek(6)).position).toBe(6)
    await player.resume()
    await jest.advanceTimersByTimeAsync(2000)
    expect(player.getState()).toMatchObject({ status: 'ended', position: 8, title: 'Song' })
    expect(statuses).toEqual(['idle', 'waiting', 'playing', 'paused', 'playing', 'ended'])
    expect(host().audio.innerAudioCount()).toBe(1)
    player.dispose()
    expect(host().audio.innerAudioCount()).toBe(0)
    expect(host().listenerCount()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('plays a queue through, one track after the other', async () => {
    const player = createAudioPlayer()
    await player.queue([{ src: DING }, { src: SONG }])
    await jest.advanceTimersByTimeAsync(1000)
    await jest.advanceTimersByTimeAsync(0)
    expect(player.getState()).toMatchObject({ status: 'playing', src: SONG })
    await player.stop()
    expect(host().audio.innerAudio()[0].state).toBe('stopped')
    player.dispose()
    expect(jest.getTimerCount()).toBe(0)
  })

  it('rejects play for a source that fails, with the player error in the state', async () => {
    host().audio.failSrc(SONG, { errCode: 10004 })
    const player = createAudioPlayer()
    const error = await player.play({ src: SONG }).catch((e) => e)
    expect(error.name).toBe('WxError')
    expect(player.getState()).toMatchObject({ status: 'error', error })
    player.dispose()
    expect(host().listenerCount()).toBe(0)
  })
})
