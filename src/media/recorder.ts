// record$: the microphone as a stream, over RecorderManager or the legacy startRecord.
import { Observable, noop } from 'rxjs'
import { TimeoutError, toWxError, failure } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWxMember } from '../core/wx'
import { POSITIVE, objectError, num, oneOf } from '../core/check-legacy'
import { reject } from './shorthands'
import { listenAll, make } from './player-driver'
import { wait, type Waiter } from './waiters'

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

// A number in mini programs, an object in Node; clearTimeout takes undefined too.
type Timer = any
type Listener = (name: string, result?: any) => void

// One recorder (the RecorderManager, or the legacy calls in its shape) and the one listener
// its events go to: the running recording, or the drain after one was stopped. A recording
// takes the events only from its start call on, so an event being delivered when it starts
// (the stop that ends a drain) is not its own.
interface Hub {
  m: any
  to?: Listener
}

const API = 'record$'
// One recording at a time: the device has one recorder.
let busy = false

// The SDK checks what it relies on (types, and the length its deadlines follow); the recorder
// itself judges which sample rates and bit rates go together.
const RULES = {
  format: /*#__PURE__*/ oneOf(['mp3', 'aac', 'wav', 'PCM']),
  numberOfChannels: /*#__PURE__*/ oneOf([1, 2]),
  duration: /*#__PURE__*/ num(0, 600000, 1),
  frameSize: POSITIVE,
  encodeBitRate: POSITIVE,
  sampleRate: POSITIVE,
  timeout: POSITIVE,
}

// The verbs of a recording and the events confirming them.
const VERBS = { pause: 'Pause', resume: 'Resume', stop: 'Stop' }
// The state each recorder event puts the recording in.
const STATES: Record<string, RecordState> = {
  Start: 'recording',
  Pause: 'paused',
  Resume: 'recording',
  InterruptionBegin: 'interrupted',
  InterruptionEnd: 'paused',
}

// Gives the event to the listener of `hub`, if any.
const emit = (hub: Hub, name: string, result?: unknown) => hub.to && hub.to(name, result)

// RecorderManager has no off*: one set of listeners per manager, registered once.
const hubs: Hub[] = []
function hubOf(m: any): Hub {
  for (const hub of hubs) if (hub.m === m) return hub
  const hub: Hub = { m }
  const handlers: Record<string, (result?: unknown) => void> = {}
  'Start Pause Resume Stop FrameRecorded Error InterruptionBegin InterruptionEnd'
    .split(' ')
    .forEach((name) => (handlers[name] = (result) => emit(hub, name, result)))
  listenAll(m, handlers)
  hubs.push(hub)
  return hub
}

// The legacy startRecord/stopRecord (no pause, no frames, at most 60 s) in the shape of a
// RecorderManager, for one recording: startRecord succeeds when the recording ends (by
// stopRecord, or after 60 s), and the SDK measures the length.
function legacyHub(max: number): Hub {
  let limit: Timer
  const stop = () => {
    clearTimeout(limit)
    invoke('stopRecord').then(noop, noop)
  }
  const start = () => {
    const startedAt = Date.now()
    limit = setTimeout(stop, max)
    invoke('startRecord').then(
      (r: any) => {
        clearTimeout(limit)
        const tempFilePath: string = r.tempFilePath || ''
        // (wx.getFileInfo: FileSystemManager is newer than any client without RecorderManager)
        invoke('getFileInfo', { filePath: tempFilePath })
          .then(
            (info: any) => info.size || 0,
            () => 0,
          )
          .then((fileSize) =>
            emit(hub, 'Stop', {
              tempFilePath,
              duration: Math.min(Date.now() - startedAt, max),
              fileSize,
            }),
          )
      },
      (error) => {
        clearTimeout(limit)
        emit(hub, 'Error', error)
      },
    )
    emit(hub, 'Start')
  }
  const hub: Hub = { m: { start, stop } }
  return hub
}

// After an unsubscribe stopped a recording, the next start waits here until the recorder
// reported that stop (or a deadline passed), so the old onStop cannot end the new recording.
// One recording at a time: at most one start waits.
let drain: { start?: () => void } | undefined

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
  // The verbs of the running recording.
  let control: ((verb: string) => Promise<any>) | undefined
  const recording = new Observable<RecordEvent>((subscriber) => {
    const o = (options || {}) as RecordOptions
    const timeout = o.timeout || 5000
    const invalid = objectError(API, options, RULES) || (busy && failure(API + '.start', 'busy'))
    if (invalid) return subscriber.error(invalid)
    const manager = make('getRecorderManager')
    const legacy = manager instanceof Error
    // Neither RecorderManager nor the legacy startRecord: the manager's error.
    if (legacy && !getWxMember('startRecord')) return subscriber.error(manager)
    const max = Math.min(o.duration || 60000, legacy ? 60000 : 600000)
    const hub = legacy ? legacyHub(max) : hubOf(manager)
    busy = true
    const m = hub.m
    const waiters: Waiter[] = []
    let finished = false
    let queued = true
    let started = false
    let stopWanted = false
    let watchdog: Timer
    // The recorder must answer (start, or stop at the end of `duration`) within `ms`.
    const guard = (ms: number) => {
      clearTimeout(watchdog)
      watchdog = setTimeout(() => end(failure(API, 'timeout', '', undefined, TimeoutError)), ms)
    }
    const settle = (on: string, value?: unknown) =>
      waiters.slice().forEach((w) => w.on === on && w.done(0, value))
    const end = (error: Error | 0, file?: RecordFile) => {
      if (finished) return
      finished = true
      busy = false
      control = undefined
      clearTimeout(watchdog)
      // The file settles stop(); what else waits fails with the error, or as not recording.
      const left = error || failure(API + '.stop', 'not recording')
      waiters.slice().forEach((w) => w.done(file && w.on === 'Stop' ? 0 : left, file))
      if (file) {
        subscriber.next({ type: 'file', ...file })
        subscriber.complete()
      } else if (error) {
        subscriber.error(error)
      }
    }
    const listener: Listener = (name, result) => {
      const r = result || {}
      if (finished || (name === 'Start' && started)) return
      if (name === 'Stop') {
        end(0, {
          tempFilePath: r.tempFilePath || '',
          duration: r.duration || 0,
          fileSize: r.fileSize || 0,
        })
      } else if (name === 'Error') {
        end(toWxError('RecorderManager', result))
      } else if (name === 'FrameRecorded') {
        subscriber.next({ type: 'frame', frameBuffer: r.frameBuffer, isLastFrame: !!r.isLastFrame })
      } else {
        if (name === 'Start') {
          started = true
          guard(max + timeout)
        }
        subscriber.next({ type: 'state', state: STATES[name] })
        settle(name === 'InterruptionBegin' ? 'Pause' : name)
        if (name === 'Start' && stopWanted) m.stop()
      }
    }
    const startOptions: Record<string, unknown> = { ...o }
    delete startOptions.timeout
    const start = () => {
      queued = false
      hub.to = listener
      guard(timeout)
      try {
        m.start(startOptions)
      } catch (error) {
        end(toWxError('RecorderManager.start', error))
      }
    }
    if (drain) drain.start = start
    else start()
    control = (verb) => {
      const api = API + '.' + verb
      const on = VERBS[verb as 'stop']
      return !m[verb]
        ? reject(failure(api, 'not supported'))
        : on === 'Stop' || started
          ? wait(waiters, { api, on }, timeout, () => {
              // A stop before the recorder started is sent once it starts.
              if (started) m[verb]()
              else stopWanted = true
            })
          : reject(failure(api, 'not started'))
    }
    return () => {
      if (finished) return
      // While a drain runs, the start waiting in it is ours: it no longer waits.
      if (drain) drain.start = undefined
      end(0)
      if (queued) return
      const d: typeof drain = (drain = {})
      const done = () => {
        if (drain !== d) return
        drain = undefined
        clearTimeout(timer)
        if (d.start) d.start()
      }
      const timer = setTimeout(done, timeout)
      hub.to = (name) => (name === 'Stop' || name === 'Error') && done()
      try {
        m.stop()
      } catch {
        done()
      }
    }
  })
  const rec = recording as RecordObservable
  for (const verb in VERBS) {
    ;(rec as any)[verb] = () =>
      control ? control(verb) : reject(failure(API + '.' + verb, 'not recording'))
  }
  return rec
}
