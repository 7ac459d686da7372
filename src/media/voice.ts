import { argumentError, isPlainObject } from '../core/describe'
import { TimeoutError, WxError, notSupported, toWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import type { AudioAction } from './audio-state'
import {
  createAudioEngine,
  lazyStore,
  playerError,
  readStoreOptions,
  type AudioDriver,
  type AudioDriverHost,
  type AudioEngine,
  type AudioStore,
  type AudioStoreOptions,
} from './audio-store'

type Context = WechatMiniprogram.InnerAudioContext
type Listener = (result?: unknown) => void
type Listen = (listener: Listener) => void

/** Options of `createAudioPlayer`: deadlines plus the context's settings. */
export interface AudioPlayerOptions extends AudioStoreOptions {
  /** Use WebAudio underneath (short, frequent sounds). Base library 2.19.0+. @default false */
  useWebAudioImplement?: boolean
  /** Play the track again and again. @default false */
  loop?: boolean
  /** Volume from 0 to 1. @default 1 */
  volume?: number
  /** Speed from 0.5 to 2.0. Base library 2.11.0+. @default 1 */
  playbackRate?: number
}

/** An in-page audio player as a store (see `AudioStore`), released with `dispose()`. */
export interface AudioPlayer extends AudioStore {
  /**
   * Stops listening (`offX` with the same handlers), destroys the context, rejects pending
   * verbs and completes `state$`. Later verbs reject.
   */
  dispose(): void
}

// Registers each handler with onX and returns what removes exactly those with offX.
function listenAll(target: object, handlers: Record<string, Listener>): () => void {
  const t = target as Record<string, unknown>
  const added: string[] = []
  for (const event in handlers) {
    const on = t['on' + event]
    if (typeof on === 'function') {
      ;(on as Listen).call(target, handlers[event])
      added.push(event)
    }
  }
  return () => {
    added.forEach((event) => {
      const off = t['off' + event]
      if (typeof off === 'function') (off as Listen).call(target, handlers[event])
    })
  }
}

function innerDriver(api: string, c: Context, host: AudioDriverHost): AudioDriver {
  const time = (): AudioAction => ({
    type: 'time',
    position: c.currentTime,
    duration: c.duration,
    buffered: c.buffered,
  })
  const unlisten = listenAll(c, {
    Canplay: () => host.dispatch(time()),
    Waiting: () => host.dispatch({ type: 'waiting' }),
    Play: () => {
      host.dispatch(time())
      host.dispatch({ type: 'play' })
    },
    Pause: () => host.dispatch({ type: 'pause' }),
    Stop: () => host.dispatch({ type: 'stop' }),
    Ended: () => {
      host.dispatch(time())
      host.dispatch({ type: 'ended' })
    },
    TimeUpdate: () => host.dispatch(time()),
    Seeked: () => host.dispatch({ type: 'seeked', position: c.currentTime }),
    Error: (result) => host.dispatch({ type: 'error', error: playerError(api, result) }),
  })
  return {
    init: () => undefined,
    load(track) {
      // startTime is read when src is set.
      c.startTime = track.startTime || 0
      c.src = track.src
      c.play()
    },
    resume: () => c.play(),
    pause: () => c.pause(),
    stop: () => c.stop(),
    seek: (position) => c.seek(position),
    watch: () => undefined,
    dispose() {
      unlisten()
      c.destroy()
    },
  }
}

function checkNumber(api: string, field: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw argumentError(api, field, 'a number from ' + min + ' to ' + max, value)
  }
}

function createContext(api: string, useWebAudioImplement: boolean | undefined): Context | Error {
  const w = getWx() as unknown as Record<string, unknown> | undefined
  const create = w && w.createInnerAudioContext
  if (typeof create !== 'function') return notSupported('createInnerAudioContext')
  try {
    const context = (create as (o?: object) => Context).call(
      w,
      useWebAudioImplement ? { useWebAudioImplement: true } : undefined,
    )
    if (!context || typeof context !== 'object') return notSupported('createInnerAudioContext')
    return context
  } catch (error) {
    return toWxError(api, error)
  }
}

/**
 * An in-page audio player over `wx.createInnerAudioContext()` with the same shape as
 * `backgroundAudio`: `state$`, `getState()`, `play`/`pause`/`resume`/`stop`/`seek` resolving
 * when the context confirms, `queue`/`next`/`previous`, plus `dispose()` (call it in the
 * page's `onUnload`). The context is created on first use. `track.title` and the other
 * display fields are optional and only kept in the state.
 *
 * Throws a `TypeError` for bad options. Without `createInnerAudioContext` (base library
 * < 1.6.0) verbs reject with `WxError('createInnerAudioContext:fail not supported')`; use
 * `playVoice` there.
 *
 * @example
 * const player = createAudioPlayer()
 * await player.play({ src: '/assets/ding.mp3' })
 * // onUnload: player.dispose()
 */
export function createAudioPlayer(options?: AudioPlayerOptions): AudioPlayer {
  const api = 'createAudioPlayer'
  const settings = readStoreOptions(api, options)
  const o = (options || {}) as AudioPlayerOptions
  if (o.useWebAudioImplement !== undefined && typeof o.useWebAudioImplement !== 'boolean') {
    throw argumentError(api, 'options.useWebAudioImplement', 'a boolean', o.useWebAudioImplement)
  }
  if (o.loop !== undefined && typeof o.loop !== 'boolean') {
    throw argumentError(api, 'options.loop', 'a boolean', o.loop)
  }
  checkNumber(api, 'options.volume', o.volume, 0, 1)
  checkNumber(api, 'options.playbackRate', o.playbackRate, 0.5, 2)

  let engine: AudioEngine | undefined
  let disposed = false
  const resolve = (): AudioEngine | Error => {
    if (engine) return engine
    if (disposed) {
      return new WxError({ api: 'audioPlayer', errMsg: 'audioPlayer:fail disposed' })
    }
    const context = createContext(api, o.useWebAudioImplement)
    if (context instanceof Error) return context
    if (o.loop !== undefined) context.loop = o.loop
    if (o.volume !== undefined) context.volume = o.volume
    if (o.playbackRate !== undefined) context.playbackRate = o.playbackRate
    engine = createAudioEngine(
      'audioPlayer',
      (host) => innerDriver('audioPlayer', context, host),
      settings,
      false,
    )
    return engine
  }
  const player = lazyStore(resolve) as AudioPlayer
  player.dispose = () => {
    disposed = true
    if (engine) engine.dispose()
  }
  return player
}

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
