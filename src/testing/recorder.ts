// Recording of the host: `getRecorderManager()` (one per app) and the legacy
// `startRecord`/`stopRecord`. Both need scope.record (and WeChat's microphone permission) and
// write a REAL audio file (audio-files.ts) whose length matches the time spent recording,
// measured with Date.now() between ctx timers, so jest's fake timers drive it. Paused time
// does not count. The legacy API records 8 kHz mono WAV (WeChat's silk is not reproduced).
import { writeFileSync } from 'node:fs'
import {
  encodeUnits,
  extensionOf,
  unitsFor,
  wavHeader,
  type AudioSpec,
  type RecordFormat,
} from './audio-files'
import { authOf } from './auth'
import { HostFail, type HostContext, type Settle } from './context'

/** A finished recording. */
export interface RecordingRecord {
  /** `manager` (RecorderManager) or `legacy` (startRecord). */
  source: 'manager' | 'legacy'
  tempFilePath: string
  /** Milliseconds recorded. */
  duration: number
  fileSize: number
  format: RecordFormat
  sampleRate: number
  numberOfChannels: number
}

/** The recorder manager as the host sees it. */
export interface RecorderSnapshot {
  state: 'idle' | 'recording' | 'paused'
  /** Milliseconds recorded so far (0 when idle). */
  duration: number
  /** The options of the running recording. */
  spec?: AudioSpec
}

/** Recorder controls (part of `host.media`). */
export interface RecorderHostControls {
  /** The recorder manager's state. */
  recorder(): RecorderSnapshot
  /** Every finished recording, in order. */
  recordings(): RecordingRecord[]
  /** A phone call takes the microphone: `onInterruptionBegin`, then the recording pauses. */
  interruptRecording(): void
  /** The call ends: `onInterruptionEnd` (the page decides whether to resume). */
  endInterruption(): void
}

const FORMATS: RecordFormat[] = ['aac', 'mp3', 'wav', 'PCM']
const SAMPLE_RATES = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]
const MAX_DURATION = 600000
const EVENTS = [
  'Start',
  'Pause',
  'Resume',
  'Stop',
  'FrameRecorded',
  'Error',
  'InterruptionBegin',
  'InterruptionEnd',
]

/** One recording in progress: its clock and the bytes encoded so far. */
class Take {
  elapsed = 0
  private segmentStart = 0
  private units = 0
  private readonly chunks: Buffer[] = []
  running = false

  constructor(readonly spec: AudioSpec) {}

  resume(): void {
    this.segmentStart = Date.now()
    this.running = true
  }

  pause(): void {
    if (this.running) this.elapsed += Date.now() - this.segmentStart
    this.running = false
  }

  /** Milliseconds recorded up to now. */
  now(): number {
    return this.elapsed + (this.running ? Date.now() - this.segmentStart : 0)
  }

  /** Encodes the audio recorded since the last call (a final call rounds a partial frame up). */
  encode(final: boolean): Buffer {
    const samples = Math.floor((this.now() * this.spec.sampleRate) / 1000)
    const units = Math.max(this.units, unitsFor(this.spec, samples, final))
    const bytes = encodeUnits(this.spec, this.units, units)
    this.units = units
    this.chunks.push(bytes)
    return bytes
  }

  /** The whole file. */
  file(): Buffer {
    const body = Buffer.concat(this.chunks)
    return this.spec.format === 'wav'
      ? Buffer.concat([wavHeader(this.spec, body.length), body])
      : body
  }
}

/** Adds getRecorderManager, startRecord and stopRecord to `ctx.wx`. */
export function installRecorder(ctx: HostContext, options: { tick: number }): RecorderHostControls {
  const auth = authOf(ctx)
  const recordings: RecordingRecord[] = []
  const save = (take: Take, source: RecordingRecord['source']): RecordingRecord => {
    const bytes = take.file()
    const temp = ctx.tempPath(extensionOf(take.spec.format))
    writeFileSync(temp.realPath, bytes)
    const record: RecordingRecord = {
      source,
      tempFilePath: temp.wxPath,
      duration: Math.round(take.now()),
      fileSize: bytes.length,
      format: take.spec.format,
      sampleRate: take.spec.sampleRate,
      numberOfChannels: take.spec.numberOfChannels,
    }
    recordings.push(record)
    return record
  }

  // ---- RecorderManager ---------------------------------------------------------------------
  let take: Take | undefined
  let limit = 60000
  let frameBytes = 0
  let pending = Buffer.alloc(0)
  let timers: Array<() => void> = []
  let manager: Record<string, unknown> | undefined
  const emit = (event: string, payload?: unknown) => ctx.emit('RecorderManager.' + event, payload)
  const emitLater = (event: string, payload?: unknown) =>
    ctx.later(() => {
      if (!ctx.closed) emit(event, payload)
    })
  const error = (reason: string) => emitLater('Error', { errMsg: 'operateRecorder:fail ' + reason })
  const clearTimers = () => {
    for (const cancel of timers) cancel()
    timers = []
  }
  const frame = (bytes: Buffer, isLastFrame: boolean) => ({
    frameBuffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    isLastFrame,
  })
  // Moves encoded audio into frames of `frameSize` KB (mp3 and PCM only, as in WeChat).
  const pump = (final: boolean): Array<ReturnType<typeof frame>> => {
    if (!take) return []
    const bytes = take.encode(final)
    if (frameBytes <= 0) return []
    pending = Buffer.concat([pending, bytes])
    const frames = []
    while (pending.length >= frameBytes && !(final && pending.length === frameBytes)) {
      frames.push(frame(pending.subarray(0, frameBytes), false))
      pending = pending.subarray(frameBytes)
    }
    if (final) {
      frames.push(frame(pending, true))
      pending = Buffer.alloc(0)
    }
    return frames
  }
  const schedule = () => {
    if (!take) return
    timers.push(ctx.setTimer(() => stop(), Math.max(0, limit - take.now())))
    if (frameBytes > 0) {
      timers.push(
        ctx.setRepeatingTimer(() => {
          for (const f of pump(false)) emit('FrameRecorded', f)
        }, options.tick),
      )
    }
  }
  const start = (raw: unknown) => {
    if (take) return error('is recording or paused')
    const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>
    const format = o.format ?? 'aac'
    const sampleRate = o.sampleRate ?? 8000
    const numberOfChannels = o.numberOfChannels ?? 2
    if (!FORMATS.includes(format)) return error('invalid format ' + String(format))
    if (!SAMPLE_RATES.includes(sampleRate)) return error('invalid sampleRate ' + String(sampleRate))
    if (numberOfChannels !== 1 && numberOfChannels !== 2) {
      return error('invalid numberOfChannels ' + String(numberOfChannels))
    }
    try {
      auth.require('scope.record', 'RecorderManager.start', 'microphoneAuthorized')
    } catch (e) {
      return error(e instanceof HostFail ? e.reason : String(e))
    }
    const duration = typeof o.duration === 'number' && o.duration > 0 ? o.duration : 60000
    limit = Math.min(MAX_DURATION, duration)
    frameBytes =
      typeof o.frameSize === 'number' && o.frameSize > 0 && (format === 'mp3' || format === 'PCM')
        ? Math.round(o.frameSize * 1024)
        : 0
    pending = Buffer.alloc(0)
    take = new Take({
      format,
      sampleRate,
      numberOfChannels,
      encodeBitRate: o.encodeBitRate ?? 48000,
    })
    take.resume()
    schedule()
    emitLater('Start')
  }
  const pause = () => {
    if (!take || !take.running) return error('recorder is not recording')
    take.pause()
    const frames = pump(false)
    clearTimers()
    ctx.later(() => {
      if (ctx.closed) return
      for (const f of frames) emit('FrameRecorded', f)
      emit('Pause')
    })
  }
  const resume = () => {
    if (!take || take.running) return error('recorder is not paused')
    take.resume()
    schedule()
    emitLater('Resume')
  }
  const stop = () => {
    if (!take) return error('recorder not start')
    const current = take
    current.pause()
    const frames = pump(true)
    clearTimers()
    take = undefined
    const record = save(current, 'manager')
    ctx.later(() => {
      if (ctx.closed) return
      for (const f of frames) emit('FrameRecorded', f)
      emit('Stop', {
        tempFilePath: record.tempFilePath,
        duration: record.duration,
        fileSize: record.fileSize,
      })
    })
  }
  ctx.track({ close: () => clearTimers() })

  ctx.wx.getRecorderManager = () => {
    ctx.log('getRecorderManager', [])
    if (ctx.closed) throw new Error('getRecorderManager:fail host closed')
    if (manager) return manager
    const m: Record<string, unknown> = {}
    const verb = (name: string, fn: (...args: any[]) => void) => {
      m[name] = (...args: any[]) => {
        ctx.log('RecorderManager.' + name, args)
        if (!ctx.closed) fn(...args)
      }
    }
    verb('start', start)
    verb('pause', pause)
    verb('resume', resume)
    verb('stop', stop)
    for (const event of EVENTS) {
      m['on' + event] = (listener: (...args: any[]) => void) => {
        ctx.log('RecorderManager.on' + event, [listener])
        ctx.on('RecorderManager.' + event, listener)
      }
    }
    manager = m
    return m
  }
  ctx.defineAsync('getAvailableAudioSources', (_o, settle) =>
    settle.ok({ audioSources: ['auto', 'buildInMic', 'headsetMic'] }),
  )

  // ---- legacy startRecord / stopRecord -----------------------------------------------------
  let legacy:
    { take: Take; settle: Settle; cancelTimer: () => void; untrack: () => void } | undefined
  const finishLegacy = () => {
    if (!legacy) return
    const { take: current, settle, cancelTimer, untrack } = legacy
    legacy = undefined
    cancelTimer()
    untrack()
    current.pause()
    current.encode(true)
    settle.ok({ tempFilePath: save(current, 'legacy').tempFilePath })
  }
  ctx.defineAsync('startRecord', (_o, settle) => {
    auth.require('scope.record', 'startRecord', 'microphoneAuthorized')
    if (legacy) throw new HostFail('is recording')
    const current = new Take({
      format: 'wav',
      sampleRate: 8000,
      numberOfChannels: 1,
      encodeBitRate: 16000,
    })
    current.resume()
    legacy = {
      take: current,
      settle,
      // WeChat stops a legacy recording after 60 s and delivers it.
      cancelTimer: ctx.setTimer(() => finishLegacy(), 60000),
      untrack: ctx.track({ close: () => settle.fail('host closed') }),
    }
  })
  ctx.defineAsync('stopRecord', (_o, settle) => {
    finishLegacy()
    settle.ok({})
  })

  return {
    recorder: () =>
      take
        ? {
            state: take.running ? 'recording' : 'paused',
            duration: Math.round(take.now()),
            spec: { ...take.spec },
          }
        : { state: 'idle', duration: 0 },
    recordings: () => recordings.map((r) => ({ ...r })),
    interruptRecording() {
      if (!take || !take.running || ctx.closed) return
      emitLater('InterruptionBegin')
      pause()
    },
    endInterruption() {
      if (!ctx.closed) emitLater('InterruptionEnd')
    },
  }
}
