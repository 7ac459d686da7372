// playVoice through the Node wx host (simulated players on fake timers).
import { encodeAudioFile } from 'miniprogram-rx/testing'
import { playVoice } from '../../src/media/voice'
import { useLeakCheckedHost } from './leaks'

const SONG = 'https://cdn.example/song.mp3'
const DING = 'https://cdn.example/ding.mp3'

const host = useLeakCheckedHost({ audio: { durations: { [SONG]: 8, [DING]: 1 } } })

// A real 8 kHz mono 16-bit WAV of `seconds` (the host's own encoder), in the sandbox's tmp/.
function wav(seconds: number): string {
  const spec = {
    format: 'wav',
    sampleRate: 8000,
    numberOfChannels: 1,
    encodeBitRate: 16000,
  } as const
  return host().files.addTempFile(encodeAudioFile(spec, 8000 * seconds), 'wav')
}

describe('playVoice on the host', () => {
  it('plays a real file to its end through an inner audio context', async () => {
    const file = wav(2)
    const p = playVoice(file)
    await jest.advanceTimersByTimeAsync(1999)
    expect(host().audio.innerAudioCount()).toBe(1)
    await jest.advanceTimersByTimeAsync(1)
    expect(await p).toBe('ended')
    expect(host().audio.innerAudioCount()).toBe(0)
    expect(host().listenerCount()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('fails for a missing file', async () => {
    const error = await playVoice('wxfile://tmp/missing.wav').catch((e) => e)
    expect(error.errMsg).toMatch(/file error/)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('uses wx.playVoice where the base library has no createInnerAudioContext', async () => {
    delete (host().wx as unknown as Record<string, unknown>).createInnerAudioContext
    const file = wav(3)
    const p = playVoice(file)
    await jest.advanceTimersByTimeAsync(3000)
    expect(await p).toBe('ended')
    expect(host().calls.some((c) => c.api === 'playVoice')).toBe(true)
    const cut = playVoice(file, { duration: 1 })
    await jest.advanceTimersByTimeAsync(1000)
    expect(await cut).toBe('ended')
    const stopped = playVoice(file)
    stopped.stop()
    expect(await stopped).toBe('stopped')
    await jest.advanceTimersByTimeAsync(0)
    expect(host().media.voice().state).toBe('stopped')
    expect(jest.getTimerCount()).toBe(0)
  })
})
