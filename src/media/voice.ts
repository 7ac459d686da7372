// playVoice: one voice file played once, over a temporary InnerAudioContext or wx.playVoice.
import { noop } from 'rxjs'
import { optionsError, ruleError } from '../core/check'
import { TimeoutError, toWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { withoutUndefined } from '../core/without-undefined'
import { createWxObject, listenAll } from './wx-object'

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

const POSITIVE = { type: 'number', min: 0, exclusiveMin: true } as const
const OPTIONS = { duration: POSITIVE, timeout: POSITIVE }
const FILE_PATH = { type: 'string', nonEmpty: true, required: true } as const

/** What a voice player needs of an InnerAudioContext. */
interface VoiceContext {
  src: string
  readonly duration: number
  play(): void
  stop(): void
  destroy(): void
}

/** How a playback ends: as `VoiceEnd`, or with an error. */
type PlaybackEnd = { end: VoiceEnd } | { error: Error }

/** What a voice player gets from playVoice: how to end the playback and set its deadline. */
interface VoiceControl {
  finish(outcome: PlaybackEnd): void
  deadline(ms: number, outcome: 'ended' | 'timeout'): void
}

/** What playVoice gets back from a voice player. */
interface VoicePlayer {
  /** Starts playing (after playVoice has taken `release` and `halt`). */
  start(): void
  /** Releases what the player holds. */
  release(): void
  /** Tells the player to stop. */
  halt(): void
}

// Plays over a temporary InnerAudioContext, destroyed at the end.
function playInContext(
  context: VoiceContext,
  filePath: string,
  options: PlayVoiceOptions,
  control: VoiceControl,
): VoicePlayer {
  const api = 'playVoice'
  const slack = options.timeout || 10000
  const unlisten = listenAll(context, {
    Play() {
      // Played for `duration` seconds, or not ended by the file's length plus the slack.
      const duration = options.duration
      const length = context.duration > 0 ? context.duration : duration || 60
      if (duration && duration <= length) control.deadline(duration * 1000, 'ended')
      else control.deadline(length * 1000 + slack, 'timeout')
    },
    Ended: () => control.finish({ end: 'ended' }),
    Stop: () => control.finish({ end: 'stopped' }),
    Error: (result) => control.finish({ error: toWxError(api, result) }),
  })
  return {
    start() {
      control.deadline(slack, 'timeout')
      try {
        context.src = filePath
        context.play()
      } catch (error) {
        control.finish({ error: toWxError(api, error) })
      }
    },
    release() {
      unlisten()
      context.destroy()
    },
    halt: () => context.stop(),
  }
}

// Without createInnerAudioContext (base library < 1.6.0): wx.playVoice, which calls success
// when the voice has played to its end.
function playLegacy(
  filePath: string,
  options: PlayVoiceOptions,
  control: VoiceControl,
): VoicePlayer {
  return {
    start() {
      control.deadline((options.duration || 60) * 1000 + (options.timeout || 10000), 'timeout')
      invoke('playVoice', withoutUndefined({ filePath, duration: options.duration })).then(
        () => control.finish({ end: 'ended' }),
        (error) => control.finish({ error }),
      )
    },
    release: noop,
    halt: () => {
      invoke('stopVoice').then(noop, noop)
    },
  }
}

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
      ruleError(api, 'filePath', filePath, FILE_PATH) ||
      optionsError(api, options, OPTIONS, { optional: true })
    if (error) return reject(error)
    const voiceOptions: PlayVoiceOptions = options || {}
    let done = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const clearDeadline = () => {
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    }
    let release = noop
    let haltPlayer = noop
    // Ends the playback. `byUs`: it ends by a decision of the SDK, so the player is told to stop.
    const finish = (outcome: PlaybackEnd, { byUs = false } = {}) => {
      if (done) return
      if (byUs) haltPlayer()
      done = true
      clearDeadline()
      if (playing === stop) playing = undefined
      release()
      if ('end' in outcome) resolve(outcome.end)
      else reject(outcome.error)
    }
    const timedOut = () => new TimeoutError({ api, errMsg: api + ':fail timeout' })
    // Ends the playback after `ms`: as played to its end, or as a timeout.
    const deadline = (ms: number, outcome: 'ended' | 'timeout') => {
      clearDeadline()
      timer = setTimeout(
        () =>
          finish(outcome === 'ended' ? { end: 'ended' } : { error: timedOut() }, { byUs: true }),
        ms,
      )
    }
    stop = () => finish({ end: 'stopped' }, { byUs: true })
    if (playing) playing()
    playing = stop

    const context = createWxObject<VoiceContext>('createInnerAudioContext', api)
    const player =
      context instanceof Error
        ? playLegacy(filePath, voiceOptions, { finish, deadline })
        : playInContext(context, filePath, voiceOptions, { finish, deadline })
    release = player.release
    haltPlayer = player.halt
    player.start()
  }) as VoicePlayback
  playback.stop = () => stop()
  return playback
}
