// record$: the microphone as a stream, over RecorderManager or the legacy startRecord.
import { Observable, type Subscriber } from 'rxjs'
import { optionsError, type NumberRule } from '../core/check'
import { TimeoutError, toWxError, failure } from '../core/errors'
import { getWxMember } from '../core/wx'
import { waitForConfirmation, type PendingVerb } from './pending-verbs'
import {
  legacyChannel,
  managerChannel,
  type Recorder,
  type RecorderChannel,
  type RecorderEventName,
  type RecorderResult,
} from './recorder-channel'
import { createWxObject } from './wx-object'

/** Options of `record$`: those of `RecorderManager.start`, plus a deadline. */
export interface RecordOptions {
  /** Maximum length in ms, up to 600000 (60000 on the legacy API). @default 60000 */
  duration?: number
  /** Sample rate (`RecorderManager` only). */
  sampleRate?: WechatMiniprogram.RecorderManagerStartOption['sampleRate']
  /** Channels (`RecorderManager` only). */
  numberOfChannels?: 1 | 2
  /** Bit rate (`RecorderManager` only). */
  encodeBitRate?: number
  /** File format (`RecorderManager` only). @default 'aac' */
  format?: 'mp3' | 'aac' | 'wav' | 'PCM'
  /** Emit a `frame` event every `frameSize` KB (mp3 and PCM only, `RecorderManager` only). */
  frameSize?: number
  /** Microphone (`RecorderManager` only, base library 2.1.0+). */
  audioSource?: WechatMiniprogram.RecorderManagerStartOption['audioSource']
  /**
   * How long the recorder may take to confirm a start, pause, resume or stop, in ms; a
   * recording that runs past `duration` plus this fails with `TimeoutError`.
   * @default 5000
   */
  timeout?: number
}

/** Where a recording is. */
export type RecordState = 'recording' | 'paused' | 'interrupted'

/** The recorded file. */
export interface RecordFile {
  /** The file's temporary path. */
  tempFilePath: string
  /** Its length in ms (measured by the SDK on the legacy API). */
  duration: number
  /** Its size in bytes (`0` when the legacy API cannot tell). */
  fileSize: number
}

/** What `record$` emits: state changes, frames (with `frameSize`), then the file, last. */
export type RecordEvent =
  | { type: 'state'; state: RecordState }
  | { type: 'frame'; frameBuffer: ArrayBuffer; isLastFrame: boolean }
  | ({ type: 'file' } & RecordFile)

/** The recording stream, with controls acting on its running recording. */
export interface RecordObservable extends Observable<RecordEvent> {
  /** Pauses the running recording; resolves when the recorder confirms. */
  pause(): Promise<void>
  /** Resumes it; resolves when the recorder confirms. */
  resume(): Promise<void>
  /** Ends it normally: the stream emits the file and completes; resolves with the file. */
  stop(): Promise<RecordFile>
}

const API = 'record$'
// One recording at a time: the device has one recorder.
let busy = false

const POSITIVE: NumberRule = { type: 'number', min: 0, exclusiveMin: true }
// The SDK checks what it relies on (types, and the length its deadlines follow); the recorder
// itself judges which sample rates and bit rates go together.
const RULES = {
  format: { type: 'oneOf', values: ['mp3', 'aac', 'wav', 'PCM'] },
  numberOfChannels: { type: 'oneOf', values: [1, 2] },
  duration: { type: 'number', min: 0, max: 600000, exclusiveMin: true },
  frameSize: POSITIVE,
  encodeBitRate: POSITIVE,
  sampleRate: POSITIVE,
  timeout: POSITIVE,
} as const

/** A control of a running recording. */
type RecordVerb = 'pause' | 'resume' | 'stop'
// The event confirming each control.
const CONFIRMED_BY: Record<RecordVerb, RecorderEventName> = {
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop',
}
// The state each recorder event puts the recording in.
const STATES: Partial<Record<RecorderEventName, RecordState>> = {
  Start: 'recording',
  Pause: 'paused',
  Resume: 'recording',
  InterruptionBegin: 'interrupted',
  InterruptionEnd: 'paused',
}

// After an unsubscribe stopped a recording, the next recording waits here until the recorder
// reported that stop (or a deadline passed), so the old onStop cannot end the new recording.
// One recording at a time: at most one start waits.
interface CancelledRecording {
  /** The start of the next recording, waiting for the cancelled one's stop. */
  startNext?: () => void
}
let cancelled: CancelledRecording | undefined

/** What a recording needs to know besides its channel. */
interface RecordingSettings {
  /** The longest recording, ms. */
  maxDuration: number
  /** How long the recorder may take to answer, ms. */
  timeout: number
  /** What `start` is called with. */
  startOptions: object
}

/** How a recording ends: with the file, with an error, or cancelled (neither). */
interface RecordingEnd {
  file?: RecordFile
  error?: Error
}

/** One recording, from its subscribe to its end. */
class Recording {
  private readonly pending: PendingVerb[] = []
  private finished = false
  private queued = true
  private started = false
  private stopWanted = false
  private watchdog: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly channel: RecorderChannel,
    private readonly subscriber: Subscriber<RecordEvent>,
    private readonly settings: RecordingSettings,
  ) {}

  /** Starts now, or once a cancelled recording's stop has been reported. */
  begin(): void {
    if (cancelled) cancelled.startNext = () => this.start()
    else this.start()
  }

  /** Calls a control of the recorder and waits for the event confirming it. */
  control(verb: RecordVerb): Promise<RecordFile | void> {
    const api = API + '.' + verb
    const recorder = this.channel.recorder
    if (!recorder[verb]) return Promise.reject(failure(api, 'not supported'))
    if (verb !== 'stop' && !this.started) return Promise.reject(failure(api, 'not started'))
    const spec = { api, confirmedBy: CONFIRMED_BY[verb] }
    return waitForConfirmation(this.pending, spec, this.settings.timeout, () => {
      // A stop before the recorder started is sent once it starts.
      if (this.started) recorder[verb]!()
      else this.stopWanted = true
    })
  }

  /** The teardown of an unsubscribe: stops the recorder and emits nothing more. */
  cancel(): void {
    if (this.finished) return
    // A start still waiting for an earlier cancelled recording is this one's: drop it.
    if (cancelled) cancelled.startNext = undefined
    this.end({})
    if (this.queued) return
    const current: CancelledRecording = (cancelled = {})
    const done = () => {
      if (cancelled !== current) return
      cancelled = undefined
      clearTimeout(timer)
      if (current.startNext) current.startNext()
    }
    const timer = setTimeout(done, this.settings.timeout)
    this.channel.listener = (name) => {
      if (name === 'Stop' || name === 'Error') done()
    }
    try {
      this.channel.recorder.stop()
    } catch {
      done()
    }
  }

  private start(): void {
    this.queued = false
    this.channel.listener = (name, result) => this.onEvent(name, result || {})
    this.guard(this.settings.timeout)
    try {
      this.channel.recorder.start(this.settings.startOptions)
    } catch (error) {
      this.end({ error: toWxError('RecorderManager.start', error) })
    }
  }

  // The recorder must answer (start, or stop at the end of the recording) within `ms`.
  private guard(ms: number): void {
    this.clearWatchdog()
    this.watchdog = setTimeout(
      () => this.end({ error: new TimeoutError({ api: API, errMsg: API + ':fail timeout' }) }),
      ms,
    )
  }

  private clearWatchdog(): void {
    if (this.watchdog !== undefined) clearTimeout(this.watchdog)
    this.watchdog = undefined
  }

  private onEvent(name: RecorderEventName, result: RecorderResult): void {
    if (this.finished || (name === 'Start' && this.started)) return
    switch (name) {
      case 'Stop':
        this.end({
          file: {
            tempFilePath: result.tempFilePath || '',
            duration: result.duration || 0,
            fileSize: result.fileSize || 0,
          },
        })
        return
      case 'Error':
        this.end({ error: toWxError('RecorderManager', result) })
        return
      case 'FrameRecorded':
        this.subscriber.next({
          type: 'frame',
          frameBuffer: result.frameBuffer as ArrayBuffer,
          isLastFrame: !!result.isLastFrame,
        })
        return
      default:
        this.onStateEvent(name)
    }
  }

  private onStateEvent(name: RecorderEventName): void {
    if (name === 'Start') {
      this.started = true
      this.guard(this.settings.maxDuration + this.settings.timeout)
    }
    this.subscriber.next({ type: 'state', state: STATES[name]! })
    // An interruption pauses: it confirms a pause() waiting for it.
    const confirms = name === 'InterruptionBegin' ? 'Pause' : name
    this.pending.slice().forEach((verb) => {
      if (verb.confirmedBy === confirms) verb.resolve()
    })
    if (name === 'Start' && this.stopWanted) this.channel.recorder.stop()
  }

  private end({ file, error }: RecordingEnd): void {
    if (this.finished) return
    this.finished = true
    busy = false
    this.clearWatchdog()
    // The file settles stop(); what else waits fails with the error, or as not recording.
    const left = error || failure(API + '.stop', 'not recording')
    this.pending.slice().forEach((verb) => {
      if (file && verb.confirmedBy === 'Stop') verb.resolve(file)
      else verb.reject(left)
    })
    if (file) {
      this.subscriber.next({ type: 'file', ...file })
      this.subscriber.complete()
    } else if (error) {
      this.subscriber.error(error)
    }
  }
}

/**
 * Records from the microphone while subscribed: emits `{ type: 'state' }` on start, pause,
 * resume and interruptions, `{ type: 'frame' }` every `frameSize` KB when set, and finally
 * `{ type: 'file', tempFilePath, duration, fileSize }`, then completes. Unsubscribing before
 * the end stops the recorder and emits nothing more. The returned observable's `pause()`,
 * `resume()` and `stop()` act on its running recording.
 *
 * Uses `wx.getRecorderManager()` (base library 1.6.0+), else the legacy
 * `wx.startRecord`/`wx.stopRecord` (no pause, no frames, at most 60 s). Needs the
 * `scope.record` permission (see `ensureScope`). Errors: `TypeError` for bad options, the
 * recorder's `WxError`, `record$.start:fail busy` while another recording runs, and
 * `TimeoutError` when the recorder does not answer.
 *
 * @example
 * const rec = record$({ format: 'mp3', duration: 10000 })
 * rec.subscribe(e => { if (e.type === 'file') this.setData({ voice: e.tempFilePath }) })
 * // later: const file = await rec.stop()
 */
export function record$(options?: RecordOptions): RecordObservable {
  // The recording running now, for the controls.
  let running: Recording | undefined
  const recordings = new Observable<RecordEvent>((subscriber) => {
    const invalid =
      optionsError(API, options, RULES, { optional: true }) ||
      (busy ? failure(API + '.start', 'busy') : undefined)
    if (invalid) return subscriber.error(invalid)
    const recordOptions: RecordOptions = options || {}
    const manager = createWxObject<Recorder>('getRecorderManager')
    // Neither RecorderManager nor the legacy startRecord: the manager's error.
    if (manager instanceof Error && !getWxMember('startRecord')) return subscriber.error(manager)
    const legacy = manager instanceof Error
    const maxDuration = Math.min(recordOptions.duration || 60000, legacy ? 60000 : 600000)
    const startOptions: RecordOptions = { ...recordOptions }
    delete startOptions.timeout
    const recording = new Recording(
      manager instanceof Error ? legacyChannel(maxDuration) : managerChannel(manager),
      subscriber,
      { maxDuration, timeout: recordOptions.timeout || 5000, startOptions },
    )
    busy = true
    running = recording
    recording.begin()
    return () => {
      if (running === recording) running = undefined
      recording.cancel()
    }
  })
  const control = (verb: RecordVerb): Promise<RecordFile | void> =>
    running ? running.control(verb) : Promise.reject(failure(API + '.' + verb, 'not recording'))
  const rec = recordings as RecordObservable
  rec.pause = () => control('pause').then(() => undefined)
  rec.resume = () => control('resume').then(() => undefined)
  rec.stop = () => control('stop') as Promise<RecordFile>
  return rec
}
