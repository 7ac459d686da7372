// playVoice: one voice file played once, over a temporary InnerAudioContext or wx.playVoice.
import { noop } from 'rxjs'
import { TimeoutError, toWxError, failure } from '../core/errors'
import { invoke } from '../core/promisify'
import { NEEDED, POSITIVE, ruleError, objectError } from '../core/check-legacy'
import { defined } from './shorthands'
import { listenAll, make } from './player-driver'

/** How a `playVoice` ended: at the end of the file (or `duration`), or by `stop()`. */
export type VoiceEnd = 'ended' | 'stopped'

/** Options of `playVoice`. */
export interface PlayVoiceOptions {
  /** Stop after this many seconds. @default 60 */
  duration?: number
  /**
   * How long to wait for playback to start (modern path), in ms. Once it plays, the deadline
   * is the file's length (or `duration`, or 60 s) plus this.
   * @default 10000
   */
  timeout?: number
}

/** The promise of a voice playback, with `stop()`. */
export type VoicePlayback = Promise<VoiceEnd> & {
  /** Stops the playback; the promise resolves `'stopped'`. */
  stop(): void
}

// The stop of the voice playing now: only one plays at a time, as with wx.playVoice.
let playing: (() => void) | undefined

const OPTIONS = { duration: POSITIVE, timeout: POSITIVE }

/**
 * Plays a local voice file (a recording) once; resolves `'ended'` at its end (or after
 * `duration` seconds) and `'stopped'` after `stop()` or when another `playVoice` starts (only
 * one voice plays at a time, as with `wx.playVoice`).
 *
 * Uses a temporary `createInnerAudioContext()` (destroyed at the end) where the base library
 * has it, else the legacy `wx.playVoice`/`wx.stopVoice`. Rejects with `TypeError` for bad
 * input, the player's `WxError`, or `TimeoutError` when the player never answers.
 *
 * @example
 * const { tempFilePath } = await lastValueFrom(record$({ duration: 5000 }).pipe(filter(e => e.type === 'file')))
 * await playVoice(tempFilePath)
 */
export function playVoice(filePath: string, options?: PlayVoiceOptions): VoicePlayback {
  const api = 'playVoice'
  let stop = noop
  const playback = new Promise<VoiceEnd>((resolve, reject) => {
    const error = ruleError(api, 'filePath', filePath, NEEDED) || objectError(api, options, OPTIONS)
    if (error) return reject(error)
    const o = options || {}
    const slack = o.timeout || 10000
    let done = false
    // (`any`: a number in mini programs, an object in Node; clearTimeout takes undefined)
    let timer: any
    let release = noop
    let halt = noop
    // Ends the playback; `ours` when it ends by a decision of ours: the player is told to stop.
    const finish = (end: VoiceEnd | 0, error?: Error | 0, ours?: 1) => {
      if (done) return
      if (ours) halt()
      done = true
      clearTimeout(timer)
      if (playing === stop) playing = undefined
      release()
      if (end) resolve(end)
      else reject(error)
    }
    // Ends the playback after `ms`: as played to its end when `ended`, else as a timeout.
    const deadline = (ms: number, ended?: boolean) => {
      clearTimeout(timer)
      timer = setTimeout(
        () =>
          ended
            ? finish('ended', 0, 1)
            : finish(0, failure(api, 'timeout', '', undefined, TimeoutError), 1),
        ms,
      )
    }
    stop = () => finish('stopped', 0, 1)
    if (playing) playing()
    playing = stop

    const context = make('createInnerAudioContext', api)
    if (!(context instanceof Error)) {
      const unlisten = listenAll(context, {
        Play() {
          // Played for `duration` seconds, or not ended by the file's length plus the slack.
          const d = o.duration
          const length = context.duration > 0 ? context.duration : d || 60
          if (d && d <= length) deadline(d * 1000, true)
          else deadline(length * 1000 + slack)
        },
        Ended: () => finish('ended'),
        Stop: () => finish('stopped'),
        Error: (result) => finish(0, toWxError(api, result)),
      })
      release = () => {
        unlisten()
        context.destroy()
      }
      halt = () => context.stop()
      deadline(slack)
      try {
        context.src = filePath
        context.play()
      } catch (error) {
        finish(0, toWxError(api, error))
      }
      return
    }
    // Without createInnerAudioContext (base library < 1.6.0): wx.playVoice, which calls
    // success when the voice has played to its end.
    halt = () => {
      invoke('stopVoice').then(noop, noop)
    }
    deadline((o.duration || 60) * 1000 + slack)
    invoke(api, defined({ filePath, duration: o.duration })).then(
      () => finish('ended'),
      (error) => finish(0, error),
    )
  }) as VoicePlayback
  playback.stop = () => stop()
  return playback
}
