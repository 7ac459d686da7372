// An in-page audio player store over InnerAudioContext, the same shape as backgroundAudio.
import { argumentError } from '../core/describe'
import { WxError, notSupported, toWxError } from '../core/errors'
import { getWx } from '../core/wx'
import {
  createAudioEngine,
  playerError,
  type AudioDriver,
  type AudioDriverHost,
  type AudioEngine,
} from './audio-engine'
import type { AudioAction } from './audio-state'
import { lazyStore, readStoreOptions, type AudioStore, type AudioStoreOptions } from './audio-store'

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

/** Registers each handler with `onX`; the function returned removes exactly those with `offX`. */
// Registers each handler with onX and returns what removes exactly those with offX.
export function listenAll(target: object, handlers: Record<string, Listener>): () => void {
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

/** A new InnerAudioContext, or the error saying why there is none. */
export function createContext(
  api: string,
  useWebAudioImplement: boolean | undefined,
): Context | Error {
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
