// record$: the microphone as a stream, over RecorderManager or the legacy startRecord.
import { Observable, Subject, noop } from 'rxjs'
import { TimeoutError, notSupported, toWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWxMember } from '../core/wx'
import { checkObject, num, oneOf, remove } from './checks'
import { listenAll, playerError } from './player-driver'
import { failure, wait, type Waiter } from './waiters'

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
type RawEvent = { name: string; result?: any; seq: number }

// The events of one recorder, numbered, so a recording started while an event is being
// delivered (the stop that ends a drain) does not take that event as its own.
interface Hub {
  /** The recorder: the RecorderManager, or the legacy calls in its shape. */
  m: any
  events: Subject<RawEvent>
  seq: number
  emit(name: string, result?: unknown): void
}

const API = 'record$'
// One recording at a time: the device has one recorder.
let busy = false

const upTo = (max: number) => num(0, max, 1)
const RULES = {
  format: oneOf(['mp3', 'aac', 'wav', 'PCM']),
  numberOfChannels: oneOf([1, 2]),
  duration: upTo(600000),
  frameSize: upTo(1048576),
  encodeBitRate: upTo(320000),
  sampleRate: upTo(48000),
  timeout: upTo(3600000),
}

// What a recording may be told: its verb, and the event confirming it.
const VERBS = { pause: 'Pause', resume: 'Resume', stop: 'Stop' }

const number = (value: unknown) => (typeof value === 'number' ? value : 0)

function createHub(m: object): Hub {
  const hub: Hub = {
    m,
    events: new Subject<RawEvent>(),
    seq: 0,
    emit: (name, result) => hub.events.next({ name, result, seq: ++hub.seq }),
  }
  return hub
}

// RecorderManager has no off*: one set of listeners per manager, registered once, fanned out.
const hubs: Hub[] = []
function hubOf(m: any): Hub {
  for (let i = 0; i < hubs.length; i++) if (hubs[i].m === m) return hubs[i]
  const hub = createHub(m)
  const handlers: Record<string, (result?: unknown) => void> = {}
  'Start Pause Resume Stop FrameRecorded Error InterruptionBegin InterruptionEnd'
    .split(' ')
    .forEach((name) => (handlers[name] = (result) => hub.emit(name, result)))
  listenAll(m, handlers)
  hubs.push(hub)
  return hub
}

function fileSizeOf(filePath: string): Promise<number> {
  const fs = getWxMember('getFileSystemManager')
  return invoke('getFileInfo', { filePath }, fs && (fs.fn.call(fs.host) as object)).then(
    (r: any) => number(r.size),
    () => 0,
  )
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
  const hub = createHub({
    stop,
    start() {
      const startedAt = Date.now()
      limit = setTimeout(stop, max)
      invoke('startRecord').then(
        (r: any) => {
          clearTimeout(limit)
          const tempFilePath = typeof r.tempFilePath === 'string' ? r.tempFilePath : ''
          fileSizeOf(tempFilePath).then((fileSize) =>
            hub.emit('Stop', {
              tempFilePath,
              duration: Math.min(Date.now() - startedAt, max),
              fileSize,
            }),
          )
        },
        (error) => {
          clearTimeout(limit)
          hub.emit('Error', error)
        },
      )
      hub.emit('Start')
    },
  })
  return hub
}

// After an unsubscribe stopped a recording, the next start waits until the recorder reported
// that stop (or a deadline passed), so the old onStop cannot end the new recording.
let draining: (() => void)[] | undefined

// Runs `start` now, or after the drain in progress; returns what cancels a queued start.
function whenDrained(start: () => void): () => void {
  const list = draining
  if (!list) {
    start()
    return noop
  }
  list.push(start)
  return () => remove(list, start)
}

// Holds later starts until `events` reports the stop of the recording being stopped (or
// until `timeout` ms); returns what ends the drain at once.
function beginDrain(timeout: number, events: Subject<RawEvent>): () => void {
  const list: (() => void)[] = (draining = [])
  const done = () => {
    if (watcher.closed) return
    watcher.unsubscribe()
    clearTimeout(timer)
    if (draining === list) draining = undefined
    list.slice().forEach((start) => start())
  }
  const timer = setTimeout(done, timeout)
  const watcher = events.subscribe(({ name }) => {
    if (name === 'Stop' || name === 'Error') done()
  })
  return done
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
  let control: Record<string, () => Promise<any>> | undefined
  const recording = new Observable<RecordEvent>((subscriber) => {
    const o = (options || {}) as RecordOptions
    const timeout = o.timeout || 5000
    const modern = getWxMember('getRecorderManager')
    const max = Math.min(o.duration || 60000, modern ? 600000 : 60000)
    const invalid =
      checkObject(API, 'options', options, RULES, 1) ||
      (!modern && !getWxMember('startRecord') && notSupported('getRecorderManager')) ||
      (busy && failure(API + '.start', 'busy', 'another recording is running'))
    if (invalid) return subscriber.error(invalid)
    let hub: Hub
    try {
      hub = modern ? hubOf(modern.fn.call(modern.host)) : legacyHub(max)
    } catch (error) {
      return subscriber.error(toWxError('getRecorderManager', error))
    }
    busy = true
    const m = hub.m
    const waiters: Waiter[] = []
    let finished = false
    let queued = true
    let started = false
    let stopWanted = false
    // Events up to this number came before our start call.
    let since = Infinity
    let watchdog: Timer
    const guard = (ms: number, detail: string) => {
      clearTimeout(watchdog)
      watchdog = setTimeout(() => end(failure(API, 'timeout', detail, TimeoutError)), ms)
    }
    const settle = (on: string, value?: unknown) =>
      waiters.slice().forEach((w) => w.on === on && w.done(0, value))
    const state = (state: RecordState) => subscriber.next({ type: 'state', state })
    const end = (error: Error | 0, file?: RecordFile) => {
      if (finished) return
      finished = true
      busy = false
      control = undefined
      clearTimeout(watchdog)
      subscription.unsubscribe()
      settle('Stop', file)
      const left = error || failure(API + '.stop', 'not recording', 'unsubscribed')
      waiters.slice().forEach((w) => w.done(left))
      if (file) {
        subscriber.next({ type: 'file', ...file })
        subscriber.complete()
      } else if (error) {
        subscriber.error(error)
      }
    }

    const subscription = hub.events.subscribe(({ name, result, seq }) => {
      // Events before our start call belong to an earlier recording.
      if (finished || seq <= since) return
      const r = result || {}
      if (name === 'Start') {
        if (started) return
        started = true
        guard(max + timeout, 'the recorder did not stop')
        state('recording')
        if (stopWanted) m.stop()
      } else if (name === 'Pause' || name === 'InterruptionBegin') {
        state(name === 'Pause' ? 'paused' : 'interrupted')
        settle('Pause')
      } else if (name === 'InterruptionEnd') {
        state('paused')
      } else if (name === 'Resume') {
        state('recording')
        settle(name)
      } else if (name === 'FrameRecorded') {
        subscriber.next({ type: 'frame', frameBuffer: r.frameBuffer, isLastFrame: !!r.isLastFrame })
      } else if (name === 'Stop') {
        end(0, {
          tempFilePath: typeof r.tempFilePath === 'string' ? r.tempFilePath : '',
          duration: number(r.duration),
          fileSize: number(r.fileSize),
        })
      } else if (name === 'Error') {
        end(playerError('RecorderManager', result))
      }
    })
    const startOptions: Record<string, unknown> = { ...o }
    delete startOptions.timeout
    const cancelQueued = whenDrained(() => {
      queued = false
      since = hub.seq
      guard(timeout, 'the recorder did not start')
      try {
        m.start(startOptions)
      } catch (error) {
        end(toWxError('RecorderManager.start', error))
      }
    })
    control = {}
    for (const verb in VERBS) {
      const api = API + '.' + verb
      const on = VERBS[verb as 'stop']
      control[verb] = () =>
        !m[verb]
          ? Promise.reject(failure(api, 'not supported', 'the legacy recorder cannot ' + verb))
          : on === 'Stop' || started
            ? wait(waiters, { api, on }, timeout, () => {
                // A stop before the recorder started is sent once it starts.
                if (started) m[verb]()
                else stopWanted = true
              })
            : Promise.reject(failure(api, 'not started'))
    }
    return () => {
      if (finished) return
      cancelQueued()
      end(0)
      if (queued) return
      const done = beginDrain(timeout, hub.events)
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
      control ? control[verb]() : Promise.reject(failure(API + '.' + verb, 'not recording'))
  }
  return rec
}
