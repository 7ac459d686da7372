// playVoice: one voice file played once, over a temporary InnerAudioContext or wx.playVoice.
import { noop } from 'rxjs'
import { TimeoutError, notSupported, toWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWxMember } from '../core/wx'
import { MS, PATH, check, checkObject, defined, num } from './checks'
import { createContext, listenAll, playerError } from './player-driver'
import { failure } from './waiters'

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

const OPTIONS = { duration: num(0, Infinity, 1), timeout: MS }

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
    const error =
      check(api, 'filePath', filePath, PATH) || checkObject(api, 'options', options, OPTIONS, 1)
    if (error) return reject(error)
    const o = options || {}
    const slack = o.timeout || 10000
    let done = false
    // (`any`: a number in mini programs, an object in Node; clearTimeout takes undefined)
    let timer: any
    let limit: any
    let release = noop
    let halt = noop
    const finish = (end: VoiceEnd | 0, error?: Error) => {
      if (done) return
      done = true
      clearTimeout(timer)
      clearTimeout(limit)
      if (playing === stop) playing = undefined
      release()
      if (end) resolve(end)
      else reject(error)
    }
    // Ends by a decision of ours: the player is told to stop first.
    const end = (how: VoiceEnd | 0, error?: Error) => {
      if (done) return
      halt()
      finish(how, error)
    }
    const deadline = (ms: number) => {
      clearTimeout(timer)
      timer = setTimeout(
        () => end(0, failure(api, 'timeout', 'no answer in ' + ms + ' ms', TimeoutError)),
        ms,
      )
    }
    stop = () => end('stopped')
    if (playing) playing()
    playing = stop

    if (getWxMember('createInnerAudioContext')) {
      const context = createContext(api)
      if (context instanceof Error) return finish(0, context)
      const unlisten = listenAll(context, {
        Play() {
          const length = context.duration > 0 ? context.duration : o.duration || 60
          deadline(Math.min(length, o.duration || length) * 1000 + slack)
        },
        Ended: () => finish('ended'),
        Stop: () => finish('stopped'),
        Error: (result) => finish(0, playerError(api, result)),
      })
      release = () => {
        unlisten()
        context.destroy()
      }
      halt = () => context.stop()
      if (o.duration) limit = setTimeout(() => end('ended'), o.duration * 1000)
      deadline(slack)
      try {
        context.src = filePath
        context.play()
      } catch (error) {
        finish(0, toWxError(api, error))
      }
      return
    }
    if (!getWxMember(api)) return finish(0, notSupported(api))
    // wx.playVoice calls success when the voice has played to its end.
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
