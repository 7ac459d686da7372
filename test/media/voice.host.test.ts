// playVoice through the Node wx host (simulated players on fake timers).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { playVoice } from '../../src/media/voice'
import { expectNoLeaks } from './leaks'

const SONG = 'https://cdn.example/song.mp3'
const DING = 'https://cdn.example/ding.mp3'

let host: WxHost
let restore: () => void

// A real 8 kHz mono 16-bit WAV of `seconds` of silence, written into the sandbox's tmp/.
function wav(name: string, seconds: number): string {
  const data = Buffer.alloc(8000 * 2 * seconds)
  const header = Buffer.alloc(44)
  header.write('RIFF', 0)
  header.writeUInt32LE(36 + data.length, 4)
  header.write('WAVEfmt ', 8)
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(1, 22)
  header.writeUInt32LE(8000, 24)
  header.writeUInt32LE(16000, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36)
  header.writeUInt32LE(data.length, 40)
  writeFileSync(join(host.root, 'tmp', name), Buffer.concat([header, data]))
  return 'wxfile://tmp/' + name
}

beforeEach(() => {
  jest.useFakeTimers()
  host = createWxHost({ audio: { durations: { [SONG]: 8, [DING]: 1 } } })
  restore = host.install()
})

afterEach(async () => {
  expectNoLeaks(host.listeners())
  restore()
  await host.close()
  jest.useRealTimers()
})

describe('playVoice on the host', () => {
  it('plays a real file to its end through an inner audio context', async () => {
    const file = wav('voice.wav', 2)
    const p = playVoice(file)
    await jest.advanceTimersByTimeAsync(1999)
    expect(host.audio.innerAudioCount()).toBe(1)
    await jest.advanceTimersByTimeAsync(1)
    expect(await p).toBe('ended')
    expect(host.audio.innerAudioCount()).toBe(0)
    expect(host.listenerCount()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('fails for a missing file', async () => {
    const error = await playVoice('wxfile://tmp/missing.wav').catch((e) => e)
    expect(error.errMsg).toMatch(/file error/)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('uses wx.playVoice where the base library has no createInnerAudioContext', async () => {
    delete (host.wx as unknown as Record<string, unknown>).createInnerAudioContext
    const file = wav('voice.wav', 3)
    const p = playVoice(file)
    await jest.advanceTimersByTimeAsync(3000)
    expect(await p).toBe('ended')
    expect(host.calls.some((c) => c.api === 'playVoice')).toBe(true)
    const cut = playVoice(file, { duration: 1 })
    await jest.advanceTimersByTimeAsync(1000)
    expect(await cut).toBe('ended')
    const stopped = playVoice(file)
    stopped.stop()
    expect(await stopped).toBe('stopped')
    await jest.advanceTimersByTimeAsync(0)
    expect(host.media.voice().state).toBe('stopped')
    expect(jest.getTimerCount()).toBe(0)
  })
})
