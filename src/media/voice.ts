// playVoice: one voice file played once, over a temporary InnerAudioContext or wx.playVoice.
import { argumentError, isPlainObject } from '../core/describe'
import { TimeoutError, notSupported, toWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import { playerError } from './audio-engine'
import { createContext, listenAll } from './audio-player'

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

let playing: { stop(): void } | undefined

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
  let stop: () => void = () => undefined
  const promise = new Promise<VoiceEnd>((resolve, reject) => {
    if (typeof filePath !== 'string' || filePath === '') {
      reject(argumentError(api, 'filePath', 'a non-empty string', filePath))
      return
    }
    if (options !== undefined && !isPlainObject(options)) {
      reject(argumentError(api, 'options', 'an object', options))
      return
    }
    const o: PlayVoiceOptions = options || {}
    if (
      o.duration !== undefined &&
      !(typeof o.duration === 'number' && o.duration > 0 && isFinite(o.duration))
    ) {
      reject(argumentError(api, 'options.duration', 'a positive number of seconds', o.duration))
      return
    }
    if (o.timeout !== undefined && !(typeof o.timeout === 'number' && o.timeout > 0)) {
      reject(argumentError(api, 'options.timeout', 'a positive number of ms', o.timeout))
      return
    }
    const slack = o.timeout || 10000
    const w = getWx() as unknown as Record<string, unknown> | undefined
    let done = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let limit: ReturnType<typeof setTimeout> | undefined
    let release: () => void = () => undefined
    let halt: () => void = () => undefined
    const me = { stop: () => stop() }
    const finish = (end: VoiceEnd | null, error?: Error) => {
      if (done) return
      done = true
      if (timer !== undefined) clearTimeout(timer)
      if (limit !== undefined) clearTimeout(limit)
      if (playing === me) playing = undefined
      release()
      if (end) resolve(end)
      else reject(error)
    }
    const deadline = (ms: number) => {
      if (timer !== undefined) clearTimeout(timer)
      timer = setTimeout(() => {
        halt()
        finish(
          null,
          new TimeoutError({ api, errMsg: api + ':fail timeout' }, 'no answer in ' + ms + ' ms'),
        )
      }, ms)
    }
    stop = () => {
      if (done) return
      halt()
      finish('stopped')
    }
    if (playing) playing.stop()
    playing = me

    if (w && typeof w.createInnerAudioContext === 'function') {
      const context = createContext(api, false)
      if (context instanceof Error) {
        finish(null, context)
        return
      }
      const unlisten = listenAll(context, {
        Play: () => {
          const length = context.duration > 0 ? context.duration : o.duration || 60
          deadline(Math.min(length, o.duration || length) * 1000 + slack)
        },
        Ended: () => finish('ended'),
        Stop: () => finish('stopped'),
        Error: (result) => finish(null, playerError(api, result)),
      })
      release = () => {
        unlisten()
        context.destroy()
      }
      halt = () => context.stop()
      if (o.duration) {
        limit = setTimeout(() => {
          halt()
          finish('ended')
        }, o.duration * 1000)
      }
      deadline(slack)
      try {
        context.src = filePath
        context.play()
      } catch (error) {
        finish(null, toWxError(api, error))
      }
      return
    }
    if (!w || typeof w.playVoice !== 'function') {
      finish(null, notSupported(api))
      return
    }
    // wx.playVoice calls success when the voice has played to its end.
    halt = () => {
      invoke('stopVoice').then(undefined, () => undefined)
    }
    deadline((o.duration || 60) * 1000 + slack)
    const call: Record<string, unknown> = { filePath }
    if (o.duration) call.duration = o.duration
    invoke(api, call).then(
      () => finish('ended'),
      (error) => finish(null, error),
    )
  })
  const playback = promise as VoicePlayback
  playback.stop = () => stop()
  return playback
}
