import { Observable } from 'rxjs'
import { argumentError, isPlainObject } from '../core/describe'
import { TimeoutError, WxError, notSupported, toWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import { playerError } from './audio-engine'
import { beginDrain, createWaits, hubOf, whenDrained } from './recorder-hub'

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

type Timer = ReturnType<typeof setTimeout>
type Manager = WechatMiniprogram.RecorderManager

const API = 'record$'
// One recording at a time: the device has one recorder.
let busy = false

const FORMATS = ['mp3', 'aac', 'wav', 'PCM']

function checkOptions(options: unknown): TypeError | null {
  if (options === undefined) return null
  if (!isPlainObject(options)) return argumentError(API, 'options', 'an object', options)
  const o = options as RecordOptions
  if (o.format !== undefined && FORMATS.indexOf(o.format) < 0) {
    return argumentError(API, 'options.format', "'mp3', 'aac', 'wav' or 'PCM'", o.format)
  }
  if (o.numberOfChannels !== undefined && o.numberOfChannels !== 1 && o.numberOfChannels !== 2) {
    return argumentError(API, 'options.numberOfChannels', '1 or 2', o.numberOfChannels)
  }
  const limits: [keyof RecordOptions, number][] = [
    ['duration', 600000],
    ['frameSize', 1048576],
    ['encodeBitRate', 320000],
    ['sampleRate', 48000],
    ['timeout', 3600000],
  ]
  for (let i = 0; i < limits.length; i++) {
    const field = limits[i][0]
    const v = o[field]
    if (v !== undefined && !(typeof v === 'number' && v > 0 && v <= limits[i][1])) {
      return argumentError(API, 'options.' + field, 'a number above 0, at most ' + limits[i][1], v)
    }
  }
  return null
}

function failure(verb: string, reason: string, detail?: string): WxError {
  const api = API + '.' + verb
  return new WxError({ api, errMsg: api + ':fail ' + reason }, detail)
}

function timeoutError(detail: string): TimeoutError {
  return new TimeoutError({ api: API, errMsg: API + ':fail timeout' }, detail)
}

function fileSizeOf(filePath: string): Promise<number> {
  const w = getWx() as unknown as Record<string, unknown> | undefined
  const fs =
    w && typeof w.getFileSystemManager === 'function' ? w.getFileSystemManager() : undefined
  const info = invoke('getFileInfo', { filePath }, (fs as object) || undefined) as Promise<{
    size?: unknown
  }>
  return info.then(
    (r) => (typeof r.size === 'number' ? r.size : 0),
    () => 0,
  )
}

interface Control {
  pause(): Promise<void>
  resume(): Promise<void>
  stop(): Promise<RecordFile>
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
  let control: Control | undefined
  const source = new Observable<RecordEvent>((subscriber) => {
    const invalid = checkOptions(options)
    if (invalid) {
      subscriber.error(invalid)
      return undefined
    }
    const o = (options || {}) as RecordOptions
    const timeout = o.timeout || 5000
    const w = getWx() as unknown as Record<string, unknown> | undefined
    const modern = !!w && typeof w.getRecorderManager === 'function'
    if (!w || (!modern && typeof w.startRecord !== 'function')) {
      subscriber.error(notSupported('getRecorderManager'))
      return undefined
    }
    if (busy) {
      subscriber.error(failure('start', 'busy', 'another recording is running'))
      return undefined
    }
    busy = true
    const waits = createWaits(timeout)
    let finished = false
    let queued = true
    let watchdog: Timer | undefined
    let release: () => void = () => undefined
    const guard = (ms: number, detail: string) => {
      if (watchdog !== undefined) clearTimeout(watchdog)
      watchdog = setTimeout(() => end(timeoutError(detail)), ms)
    }
    const end = (error: Error | null, file?: RecordFile) => {
      if (finished) return
      finished = true
      busy = false
      control = undefined
      if (watchdog !== undefined) clearTimeout(watchdog)
      release()
      if (file) waits.settle('Stop', file)
      waits.rejectAll(error || failure('stop', 'not recording', 'unsubscribed'))
      if (file) {
        subscriber.next({ type: 'file', ...file })
        subscriber.complete()
      } else if (error) {
        subscriber.error(error)
      }
    }

    if (modern) {
      let manager: Manager
      try {
        manager = (w.getRecorderManager as () => Manager)()
      } catch (error) {
        end(toWxError('getRecorderManager', error))
        return undefined
      }
      const hub = hubOf(manager)
      const events = hub.events
      // Events up to this number came before our start call.
      let since = Infinity
      let started = false
      let stopWanted = false
      const subscription = events.subscribe(({ name, result, seq }) => {
        // Events before our start call belong to an earlier recording.
        if (finished || seq <= since) return
        const r = (isPlainObject(result) ? result : {}) as Record<string, unknown>
        if (name === 'Start') {
          if (started) return
          started = true
          guard((o.duration || 60000) + timeout, 'the recorder did not stop')
          subscriber.next({ type: 'state', state: 'recording' })
          if (stopWanted) manager.stop()
        } else if (name === 'Pause' || name === 'InterruptionBegin') {
          subscriber.next({ type: 'state', state: name === 'Pause' ? 'paused' : 'interrupted' })
          waits.settle('Pause')
        } else if (name === 'InterruptionEnd') {
          subscriber.next({ type: 'state', state: 'paused' })
        } else if (name === 'Resume') {
          subscriber.next({ type: 'state', state: 'recording' })
          waits.settle('Resume')
        } else if (name === 'FrameRecorded') {
          subscriber.next({
            type: 'frame',
            frameBuffer: r.frameBuffer as ArrayBuffer,
            isLastFrame: !!r.isLastFrame,
          })
        } else if (name === 'Stop') {
          end(null, {
            tempFilePath: typeof r.tempFilePath === 'string' ? r.tempFilePath : '',
            duration: typeof r.duration === 'number' ? r.duration : 0,
            fileSize: typeof r.fileSize === 'number' ? r.fileSize : 0,
          })
        } else if (name === 'Error') {
          end(playerError('RecorderManager', result))
        }
      })
      release = () => subscription.unsubscribe()
      const startOptions: Record<string, unknown> = {}
      for (const key in o) {
        if (key !== 'timeout' && Object.prototype.hasOwnProperty.call(o, key)) {
          startOptions[key] = (o as Record<string, unknown>)[key]
        }
      }
      const cancelQueued = whenDrained(() => {
        queued = false
        if (finished) return
        since = hub.seq
        guard(timeout, 'the recorder did not start')
        try {
          manager.start(startOptions as WechatMiniprogram.RecorderManagerStartOption)
        } catch (error) {
          end(toWxError('RecorderManager.start', error))
        }
      })
      const notStarted = (verb: string) => Promise.reject(failure(verb, 'not started'))
      control = {
        pause: () =>
          started ? waits.wait('pause', 'Pause', () => manager.pause()) : notStarted('pause'),
        resume: () =>
          started ? waits.wait('resume', 'Resume', () => manager.resume()) : notStarted('resume'),
        stop: () =>
          waits.wait<RecordFile>('stop', 'Stop', () => {
            if (started) manager.stop()
            else stopWanted = true
          }),
      }
      return () => {
        if (finished) return
        const wasQueued = queued
        cancelQueued()
        end(null)
        if (wasQueued) return
        const done = beginDrain(timeout, (over) => {
          const s = events.subscribe(({ name }) => {
            if (name === 'Stop' || name === 'Error') over()
          })
          return () => s.unsubscribe()
        })
        try {
          manager.stop()
        } catch {
          done()
        }
      }
    }

    // Legacy: startRecord's success arrives when the recording ends (stopRecord, or 60 s).
    let call: Promise<unknown> | undefined
    let limit: Timer | undefined
    const stopRecord = () => {
      invoke('stopRecord').then(undefined, () => undefined)
    }
    release = () => {
      if (limit !== undefined) clearTimeout(limit)
    }
    const cancelQueued = whenDrained(() => {
      queued = false
      if (finished) return
      const startedAt = Date.now()
      const max = Math.min(o.duration || 60000, 60000)
      limit = setTimeout(stopRecord, max)
      guard(max + timeout, 'the recorder did not stop')
      call = invoke('startRecord')
      call.then(
        (result) => {
          if (finished) return
          const path = (result as { tempFilePath?: unknown }).tempFilePath
          const tempFilePath = typeof path === 'string' ? path : ''
          const duration = Math.min(Date.now() - startedAt, max)
          fileSizeOf(tempFilePath).then((fileSize) =>
            end(null, { tempFilePath, duration, fileSize }),
          )
        },
        (error) => end(toWxError('startRecord', error)),
      )
      subscriber.next({ type: 'state', state: 'recording' })
    })
    const unsupported = (verb: string) => () =>
      Promise.reject(failure(verb, 'not supported', 'the legacy recorder cannot ' + verb))
    control = {
      pause: unsupported('pause'),
      resume: unsupported('resume'),
      stop: () => waits.wait<RecordFile>('stop', 'Stop', stopRecord),
    }
    return () => {
      if (finished) return
      const running = call
      cancelQueued()
      end(null)
      if (!running) return
      beginDrain(timeout, (over) => {
        running.then(over, over)
        return () => undefined
      })
      stopRecord()
    }
  })
  const recording = source as RecordObservable
  const notRecording = (verb: string) => Promise.reject(failure(verb, 'not recording'))
  recording.pause = () => (control ? control.pause() : notRecording('pause'))
  recording.resume = () => (control ? control.resume() : notRecording('resume'))
  recording.stop = () => (control ? control.stop() : notRecording('stop'))
  return recording
}
