// record$ through the Node wx host: the host's recorder writes real files whose length follows
// the fake clock.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { record$, type RecordEvent } from '../../src/media/recorder'
import { playVoice } from '../../src/media/voice'
import { expectNoLeaks } from './leaks'

let host: WxHost
let restore: () => void

function realPath(wxPath: string): string {
  return join(host.root, 'tmp', wxPath.replace(/^wxfile:\/\//, ''))
}

function collect() {
  const events: RecordEvent[] = []
  const log = { events, error: undefined as unknown, completed: false }
  const observer = {
    next: (e: RecordEvent) => events.push(e),
    error: (e: unknown) => (log.error = e),
    complete: () => (log.completed = true),
  }
  return { log, observer }
}

beforeEach(() => {
  jest.useFakeTimers()
  host = createWxHost({ device: { auth: { 'scope.record': true } } })
  restore = host.install()
})

afterEach(async () => {
  expectNoLeaks(host.listeners(), /^RecorderManager\./)
  restore()
  await host.close()
  jest.useRealTimers()
})

describe('record$ on the host, RecorderManager', () => {
  it('records with pause and resume, emits frames and a real file, then completes', async () => {
    const rec = record$({ format: 'mp3', frameSize: 1, sampleRate: 16000 })
    const { log, observer } = collect()
    rec.subscribe(observer)
    await jest.advanceTimersByTimeAsync(2000)
    await rec.pause()
    expect(host.media.recorder().state).toBe('paused')
    await jest.advanceTimersByTimeAsync(5000) // paused time does not count
    await rec.resume()
    await jest.advanceTimersByTimeAsync(1000)
    const file = await rec.stop()
    expect(file.duration).toBe(3000)
    expect(file.fileSize).toBe(statSync(realPath(file.tempFilePath)).size)
    expect(file.fileSize).toBeGreaterThan(0)
    const states = log.events
      .filter((e) => e.type === 'state')
      .map((e) => (e as { state: string }).state)
    expect(states).toEqual(['recording', 'paused', 'recording'])
    const frames = log.events.filter((e) => e.type === 'frame') as {
      frameBuffer: ArrayBuffer
      isLastFrame: boolean
    }[]
    expect(frames.length).toBeGreaterThan(0)
    expect(frames.reduce((n, f) => n + f.frameBuffer.byteLength, 0)).toBe(file.fileSize)
    expect(frames[frames.length - 1].isLastFrame).toBe(true)
    expect(log.events[log.events.length - 1]).toEqual({ type: 'file', ...file })
    expect(log.completed).toBe(true)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('stops at `duration` by itself', async () => {
    const { log, observer } = collect()
    record$({ duration: 1500 }).subscribe(observer)
    await jest.advanceTimersByTimeAsync(1500)
    expect(log.completed).toBe(true)
    expect(log.events[log.events.length - 1]).toMatchObject({ type: 'file', duration: 1500 })
    expect(jest.getTimerCount()).toBe(0)
  })

  it('stops the recorder on unsubscribe; the next recording starts clean', async () => {
    const first = collect()
    const sub = record$().subscribe(first.observer)
    await jest.advanceTimersByTimeAsync(1000)
    sub.unsubscribe()
    const second = collect()
    const rec = record$()
    rec.subscribe(second.observer)
    await jest.advanceTimersByTimeAsync(0)
    expect(host.media.recordings()).toHaveLength(1) // the first, stopped by the unsubscribe
    await jest.advanceTimersByTimeAsync(2000)
    const file = await rec.stop()
    expect(file.duration).toBe(2000)
    expect(first.log.events.map((e) => e.type)).toEqual(['state'])
    expect(second.log.completed).toBe(true)
    expect(host.media.recorder().state).toBe('idle')
    expect(jest.getTimerCount()).toBe(0)
  })

  it('errors when the user refused scope.record', async () => {
    host.device.setAuth('scope.record', false)
    const { log, observer } = collect()
    record$().subscribe(observer)
    await jest.advanceTimersByTimeAsync(0)
    expect(log.error).toMatchObject({ name: 'WxError' })
    expect((log.error as Error).message).toMatch(/auth deny/)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('records a voice that playVoice then plays to its end', async () => {
    const rec = record$({ format: 'wav' })
    rec.subscribe()
    await jest.advanceTimersByTimeAsync(2000)
    const file = await rec.stop()
    const played = playVoice(file.tempFilePath)
    await jest.advanceTimersByTimeAsync(2000)
    expect(await played).toBe('ended')
    expect(host.audio.innerAudioCount()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })
})

describe('record$ on the host, legacy startRecord', () => {
  beforeEach(() => {
    const wx = host.wx as unknown as Record<string, unknown>
    delete wx.getRecorderManager
    delete wx.createInnerAudioContext
  })

  it('records until stop() and gives the file with its duration and real size', async () => {
    const rec = record$()
    const { log, observer } = collect()
    rec.subscribe(observer)
    await jest.advanceTimersByTimeAsync(1500)
    const file = await rec.stop()
    expect(file.duration).toBe(1500)
    expect(file.fileSize).toBe(statSync(realPath(file.tempFilePath)).size)
    expect(host.media.recordings()[0]).toMatchObject({
      source: 'legacy',
      tempFilePath: file.tempFilePath,
    })
    expect(log.events.map((e) => e.type)).toEqual(['state', 'file'])
    expect(log.completed).toBe(true)
    // and the legacy voice player plays it back
    const played = playVoice(file.tempFilePath)
    await jest.advanceTimersByTimeAsync(1500)
    expect(await played).toBe('ended')
    expect(jest.getTimerCount()).toBe(0)
  })

  it('calls stopRecord on unsubscribe', async () => {
    const sub = record$().subscribe()
    await jest.advanceTimersByTimeAsync(500)
    sub.unsubscribe()
    await jest.advanceTimersByTimeAsync(0)
    expect(host.calls.some((c) => c.api === 'stopRecord')).toBe(true)
    expect(host.media.recordings()).toHaveLength(1)
    expect(jest.getTimerCount()).toBe(0)
  })
})
