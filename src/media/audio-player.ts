// An in-page audio player store over InnerAudioContext, the same shape as backgroundAudio.
import { createAudioEngine, type AudioEngine } from './audio-engine'
import { lazyStore, type AudioStore, type AudioStoreOptions } from './audio-store'
import { BOOLEAN, POSITIVE, objectError, num } from '../core/check-legacy'
import { make } from './player-driver'
import { failure } from '../core/errors'

const PLAYER_OPTIONS = {
  timeout: POSITIVE,
  loadTimeout: POSITIVE,
  useWebAudioImplement: BOOLEAN,
  loop: BOOLEAN,
  volume: /*#__PURE__*/ num(0, 1),
  playbackRate: /*#__PURE__*/ num(0.5, 2),
}

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
  const name = 'audioPlayer'
  const error = objectError(api, options, PLAYER_OPTIONS)
  if (error) throw error
  const o: Record<string, any> = options || {}
  const settings = { timeout: o.timeout || 5000, loadTimeout: o.loadTimeout || 15000 }
  let engine: AudioEngine | undefined
  let disposed = false
  const player = lazyStore(() => {
    if (engine) return engine
    if (disposed) return failure(name, 'disposed')
    const context = make('createInnerAudioContext', api, {
      useWebAudioImplement: !!o.useWebAudioImplement,
    })
    if (context instanceof Error) return context
    ;['loop', 'volume', 'playbackRate'].forEach((key) => {
      if (o[key] !== undefined) context[key] = o[key]
    })
    return (engine = createAudioEngine(name, settings, false, context))
  }) as AudioPlayer
  player.dispose = () => {
    disposed = true
    if (engine) engine.dispose()
  }
  return player
}
