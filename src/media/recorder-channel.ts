// The recorders record$ drives, each as a channel: the recorder object and the one listener
// its events go to now (the running recording, or the stop of one that was cancelled).
import { noop } from 'rxjs'
import { invoke } from '../core/promisify'
import { listenAll, type WxObjectListener } from './wx-object'

/** A recorder event as wx names it (`onStart` → `Start`). */
export type RecorderEventName =
  | 'Start'
  | 'Pause'
  | 'Resume'
  | 'Stop'
  | 'FrameRecorded'
  | 'Error'
  | 'InterruptionBegin'
  | 'InterruptionEnd'

/** What a recorder event carries (the fields of onStop, onFrameRecorded and onError). */
export interface RecorderResult {
  tempFilePath?: string
  duration?: number
  fileSize?: number
  frameBuffer?: ArrayBuffer
  isLastFrame?: boolean
  errMsg?: string
}

/** Receives the events of a recorder, with wx's result object. */
export type RecorderListener = (name: RecorderEventName, result?: RecorderResult) => void

/** What record$ uses of a recorder: the RecorderManager, or the legacy calls in its shape. */
export interface Recorder {
  start(options: object): void
  stop(): void
  /** Absent on the legacy API. */
  pause?(): void
  /** Absent on the legacy API. */
  resume?(): void
}

/**
 * A recorder and the one listener its events go to. A recording takes the events only from
 * its start call on, so an event being delivered when it starts (the stop of a cancelled
 * recording) is not its own.
 */
export interface RecorderChannel {
  readonly recorder: Recorder
  listener?: RecorderListener
}

const EVENTS: readonly RecorderEventName[] = [
  'Start',
  'Pause',
  'Resume',
  'Stop',
  'FrameRecorded',
  'Error',
  'InterruptionBegin',
  'InterruptionEnd',
]

function deliver(channel: RecorderChannel, name: RecorderEventName, result?: RecorderResult): void {
  if (channel.listener) channel.listener(name, result)
}

// RecorderManager has no off*: one set of callbacks per manager, set once, here.
const managerChannels: RecorderChannel[] = []

/** The channel of a RecorderManager (the same one for each use of that manager). */
export function managerChannel(manager: Recorder): RecorderChannel {
  for (const channel of managerChannels) if (channel.recorder === manager) return channel
  const channel: RecorderChannel = { recorder: manager }
  const handlers: Record<string, WxObjectListener> = {}
  EVENTS.forEach((name) => {
    handlers[name] = (result) => deliver(channel, name, result)
  })
  listenAll(manager, handlers)
  managerChannels.push(channel)
  return channel
}

/**
 * The legacy startRecord/stopRecord (no pause, no frames, at most 60 s) as a recorder for one
 * recording: startRecord succeeds when the recording ends (by stopRecord, or after
 * `maxDuration` ms), and the SDK measures the length.
 */
export function legacyChannel(maxDuration: number): RecorderChannel {
  let limitTimer: ReturnType<typeof setTimeout> | undefined
  const clearLimit = () => {
    if (limitTimer !== undefined) clearTimeout(limitTimer)
    limitTimer = undefined
  }
  const stop = () => {
    clearLimit()
    invoke('stopRecord').then(noop, noop)
  }
  const finish = (tempFilePath: string, startedAt: number) => {
    // (wx.getFileInfo: FileSystemManager is newer than any client without RecorderManager)
    invoke('getFileInfo', { filePath: tempFilePath })
      .then(
        (info) => (info as { size?: number }).size || 0,
        () => 0,
      )
      .then((fileSize) =>
        deliver(channel, 'Stop', {
          tempFilePath,
          duration: Math.min(Date.now() - startedAt, maxDuration),
          fileSize,
        }),
      )
  }
  const start = () => {
    const startedAt = Date.now()
    limitTimer = setTimeout(stop, maxDuration)
    invoke('startRecord').then(
      (result) => {
        clearLimit()
        finish((result as { tempFilePath?: string }).tempFilePath || '', startedAt)
      },
      (error: RecorderResult) => {
        clearLimit()
        deliver(channel, 'Error', error)
      },
    )
    deliver(channel, 'Start')
  }
  const channel: RecorderChannel = { recorder: { start, stop } }
  return channel
}
