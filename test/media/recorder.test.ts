import { TimeoutError, WxError } from '../../src/core/errors'
import { record$, type RecordEvent } from '../../src/media/recorder'
import { flush, type FakeMediaWx } from './fake-media-wx'
import { useLeakCheckedFake } from './leaks'

const installFake = useLeakCheckedFake(/^Recorder\./)
let fake: FakeMediaWx

function collect(events: RecordEvent[]) {
  const log = { events, error: undefined as unknown, completed: false }
  return {
    log,
    observer: {
      next: (e: RecordEvent) => events.push(e),
      error: (e: unknown) => (log.error = e),
      complete: () => (log.completed = true),
    },
  }
}

const FILE = { tempFilePath: 'wxfile://tmp_1.mp3', duration: 3000, fileSize: 4800 }

describe('record$ over RecorderManager', () => {
  beforeEach(() => {
    fake = installFake()
  })

  it('is lazy, starts on subscribe, emits state, frames and the file, then completes', () => {
    const rec = record$({ format: 'mp3', frameSize: 1, duration: 3000 })
    expect(fake.calls).toEqual([])
    const events: RecordEvent[] = []
    const { log, observer } = collect(events)
    rec.subscribe(observer)
    expect(fake.calls).toEqual(['recorder.start'])
    expect(fake.options['recorder.start'][0]).toEqual({
      format: 'mp3',
      frameSize: 1,
      duration: 3000,
    })
    fake.emit('Recorder.Start')
    const frame = new ArrayBuffer(1024)
    fake.emit('Recorder.FrameRecorded', { frameBuffer: frame, isLastFrame: false })
    fake.emit('Recorder.Stop', FILE)
    expect(events).toEqual([
      { type: 'state', state: 'recording' },
      { type: 'frame', frameBuffer: frame, isLastFrame: false },
      { type: 'file', ...FILE },
    ])
    expect(log.completed).toBe(true)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('pauses and resumes through the controls, each resolving on its event', async () => {
    const rec = record$()
    const events: RecordEvent[] = []
    const sub = rec.subscribe((e) => events.push(e))
    await expect(rec.pause()).rejects.toThrow(/record\$.pause:fail not started/)
    fake.emit('Recorder.Start')
    const paused = rec.pause()
    expect(fake.calls).toContain('recorder.pause')
    fake.emit('Recorder.Pause')
    await paused
    const resumed = rec.resume()
    fake.emit('Recorder.Resume')
    await resumed
    fake.emit('Recorder.InterruptionBegin')
    fake.emit('Recorder.InterruptionEnd')
    expect(events.map((e) => (e.type === 'state' ? e.state : e.type))).toEqual([
      'recording',
      'paused',
      'recording',
      'interrupted',
      'paused',
    ])
    const stopped = rec.stop()
    fake.emit('Recorder.Stop', FILE)
    expect(await stopped).toEqual(FILE)
    expect(sub.closed).toBe(true)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('stops the recorder on unsubscribe and waits for that stop before the next start', () => {
    const events: RecordEvent[] = []
    const sub = record$().subscribe((e) => events.push(e))
    fake.emit('Recorder.Start')
    sub.unsubscribe()
    expect(fake.calls).toEqual(['recorder.start', 'recorder.stop'])
    const next: RecordEvent[] = []
    const { log, observer } = collect(next)
    record$().subscribe(observer)
    expect(fake.calls.filter((c) => c === 'recorder.start')).toHaveLength(1) // queued
    fake.emit('Recorder.Stop', FILE) // the old recording's stop: nobody receives it
    expect(events).toHaveLength(1)
    expect(next).toEqual([])
    expect(fake.calls.filter((c) => c === 'recorder.start')).toHaveLength(2)
    fake.emit('Recorder.Start')
    fake.emit('Recorder.Stop', FILE)
    expect(next.map((e) => e.type)).toEqual(['state', 'file'])
    expect(log.completed).toBe(true)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('registers the manager listeners once, whatever the number of recordings', () => {
    record$().subscribe().unsubscribe()
    fake.emit('Recorder.Stop', FILE)
    const registered = fake.count()
    expect(fake.count('Recorder.Stop')).toBe(1)
    for (let i = 0; i < 3; i++) {
      const sub = record$().subscribe()
      fake.emit('Recorder.Start')
      sub.unsubscribe()
      fake.emit('Recorder.Stop', FILE)
    }
    expect(fake.count()).toBe(registered)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('allows one recording at a time', () => {
    const first = record$().subscribe()
    const { log, observer } = collect([])
    record$().subscribe(observer)
    expect((log.error as Error).message).toMatch(/record\$.start:fail busy/)
    fake.emit('Recorder.Start')
    first.unsubscribe()
    fake.emit('Recorder.Stop', FILE)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('errors with the recorder error, and with TimeoutError when it never starts or stops', () => {
    const a = collect([])
    record$().subscribe(a.observer)
    fake.emit('Recorder.Error', { errMsg: 'operateRecorder:fail auth deny' })
    expect(a.log.error).toBeInstanceOf(WxError)
    expect((a.log.error as WxError).errMsg).toBe('operateRecorder:fail auth deny')

    const b = collect([])
    record$({ timeout: 1000 }).subscribe(b.observer)
    jest.advanceTimersByTime(1000)
    expect(b.log.error).toBeInstanceOf(TimeoutError)

    const c = collect([])
    record$({ timeout: 1000, duration: 2000 }).subscribe(c.observer)
    fake.emit('Recorder.Start')
    jest.advanceTimersByTime(2999)
    expect(c.log.error).toBeUndefined()
    jest.advanceTimersByTime(1)
    expect(c.log.error).toBeInstanceOf(TimeoutError)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('rejects bad options with a TypeError naming the field', () => {
    for (const [options, field] of [
      ['x', 'options'],
      [{ format: 'ogg' }, 'options.format'],
      [{ duration: 0 }, 'options.duration'],
      [{ duration: 700000 }, 'options.duration'],
      [{ numberOfChannels: 3 }, 'options.numberOfChannels'],
      [{ frameSize: -1 }, 'options.frameSize'],
    ] as const) {
      const { log, observer } = collect([])
      record$(options as never).subscribe(observer)
      expect(log.error).toBeInstanceOf(TypeError)
      expect((log.error as Error).message).toContain('record$: `' + field + '`')
    }
    expect(fake.calls).toEqual([])
  })

  it('controls reject when nothing records', async () => {
    await expect(record$().stop()).rejects.toThrow(/record\$.stop:fail not recording/)
  })
})

describe('record$ over the legacy startRecord', () => {
  beforeEach(() => {
    fake = installFake({ recorder: false })
    fake.answer('startRecord', () => 'never')
  })

  it('records until stop(), then emits the file with its measured duration and size', async () => {
    let finish: ((r: unknown) => void) | undefined
    fake.answer('startRecord', (o) => {
      finish = o.success
      return 'never'
    })
    fake.answer('stopRecord', () => {
      finish!({ tempFilePath: 'wxfile://tmp_9.silk', errMsg: 'startRecord:ok' })
      return { ok: {} }
    })
    fake.answer('getFileInfo', () => ({ ok: { size: 2048 } }))
    const rec = record$()
    const events: RecordEvent[] = []
    const { log, observer } = collect(events)
    rec.subscribe(observer)
    expect(events).toEqual([{ type: 'state', state: 'recording' }])
    await expect(rec.pause()).rejects.toThrow(/record\$.pause:fail not supported/)
    jest.advanceTimersByTime(1500)
    const file = await rec.stop()
    expect(file).toEqual({ tempFilePath: 'wxfile://tmp_9.silk', duration: 1500, fileSize: 2048 })
    expect(events[1]).toEqual({ type: 'file', ...file })
    expect(log.completed).toBe(true)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('stops by itself at `duration` (at most 60 s)', async () => {
    let finish: ((r: unknown) => void) | undefined
    fake.answer('startRecord', (o) => {
      finish = o.success
      return 'never'
    })
    fake.answer('stopRecord', () => {
      finish!({ tempFilePath: 'wxfile://tmp_9.silk' })
      return { ok: {} }
    })
    const { log, observer } = collect([])
    record$({ duration: 2000 }).subscribe(observer)
    await jest.advanceTimersByTimeAsync(2000)
    expect(fake.calls).toContain('stopRecord')
    await flush()
    expect(log.completed).toBe(true)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('calls stopRecord on unsubscribe and emits nothing more', async () => {
    const events: RecordEvent[] = []
    const sub = record$().subscribe((e) => events.push(e))
    await flush()
    sub.unsubscribe()
    await flush()
    expect(fake.calls).toEqual(['startRecord', 'stopRecord'])
    expect(events).toHaveLength(1)
    // the drain waits for startRecord, which this fake never answers: the deadline ends it
    jest.advanceTimersByTime(5000)
    expect(jest.getTimerCount()).toBe(0)
  })
})
