// pause() while a track is buffering (`waiting`): the player cannot confirm with onPause (it is
// not playing), so the store must settle the verb itself and show `paused`, not a spinner.
import { createAudioPlayer } from '../../src/media/audio-player'
import { backgroundAudio } from '../../src/media/background-audio'
import { useLeakCheckedHost } from './leaks'

const SONG = 'https://cdn.example/song.mp3'
const TRACK = { src: SONG, title: 'Song' }

const host = useLeakCheckedHost(
  { audio: { durations: { [SONG]: 30 }, loadTime: 2000 } },
  /^BackgroundAudioManager\./,
)

/** Whether `promise` has settled, and how. */
function track<T>(promise: Promise<T>) {
  const outcome: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(outcome, { settled: true, value }),
    (error) => Object.assign(outcome, { settled: true, error }),
  )
  return outcome
}

describe('pause() while buffering', () => {
  it('backgroundAudio: resolves paused at once and stays paused after the data arrives', async () => {
    await jest.advanceTimersByTimeAsync(0)
    const play = backgroundAudio.play(TRACK)
    await jest.advanceTimersByTimeAsync(2000)
    await play
    host().audio.stall(3000)
    await jest.advanceTimersByTimeAsync(10)
    expect(backgroundAudio.getState().status).toBe('waiting')

    const pause = track(backgroundAudio.pause())
    await jest.advanceTimersByTimeAsync(10)
    expect(pause.settled).toBe(true)
    expect(pause.error).toBeUndefined()
    expect(pause.value).toMatchObject({ status: 'paused' })
    expect(backgroundAudio.getState().status).toBe('paused')

    // The data arrives: the player stays paused, and so does the store.
    await jest.advanceTimersByTimeAsync(6000)
    expect(host().audio.background().paused).toBe(true)
    expect(backgroundAudio.getState().status).toBe('paused')

    const resumed = await backgroundAudio.resume()
    expect(resumed.status).toBe('playing')
    await backgroundAudio.stop()
  })

  it('createAudioPlayer: resolves paused at once while the first load buffers', async () => {
    const player = createAudioPlayer()
    const play = track(player.play({ src: SONG }))
    await jest.advanceTimersByTimeAsync(10)
    expect(player.getState().status).toBe('waiting')

    const pause = track(player.pause())
    await jest.advanceTimersByTimeAsync(10)
    expect(pause.settled).toBe(true)
    expect(pause.error).toBeUndefined()
    expect(pause.value).toMatchObject({ status: 'paused' })
    // The pause made the play moot.
    expect(play.settled).toBe(true)
    expect((play.error as Error).name).toBe('AbortError')

    await jest.advanceTimersByTimeAsync(6000)
    expect(host().audio.innerAudio()[0].state).not.toBe('playing')
    expect(player.getState().status).toBe('paused')

    expect((await player.resume()).status).toBe('playing')
    player.dispose()
    expect(host().listenerCount()).toBe(0)
  })
})
