// An in-page audio player store over InnerAudioContext, the same shape as backgroundAudio.
import { optionsError } from '../core/check'
import { failure } from '../core/errors'
import { AudioEngine } from './audio-engine'
import { DEADLINE_RULE, lazyStore, type AudioStore, type AudioStoreOptions } from './audio-store'
import { createWxObject } from './wx-object'
import { contextPlayerDriver, type ContextPlayer } from './wx-player-driver'

const PLAYER_OPTIONS = {
  timeout: DEADLINE_RULE,
  loadTimeout: DEADLINE_RULE,
  useWebAudioImplement: { type: 'boolean' },
  loop: { type: 'boolean' },
  volume: { type: 'number', min: 0, max: 1 },
  playbackRate: { type: 'number', min: 0.5, max: 2 },
} as const

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
  const error = optionsError(api, options, PLAYER_OPTIONS, { optional: true })
  if (error) throw error
  const settings: AudioPlayerOptions = options || {}
  const deadlines = {
    timeout: settings.timeout || 5000,
    loadTimeout: settings.loadTimeout || 15000,
  }
  let engine: AudioEngine | undefined
  let disposed = false
  const resolveEngine = (): AudioEngine | Error => {
    if (engine) return engine
    if (disposed) return failure(name, 'disposed')
    const context = createWxObject<ContextPlayer & AudioPlayerOptions>(
      'createInnerAudioContext',
      api,
      { useWebAudioImplement: !!settings.useWebAudioImplement },
    )
    if (context instanceof Error) return context
    if (settings.loop !== undefined) context.loop = settings.loop
    if (settings.volume !== undefined) context.volume = settings.volume
    if (settings.playbackRate !== undefined) context.playbackRate = settings.playbackRate
    engine = new AudioEngine({
      name,
      deadlines,
      requireTitle: false,
      createDriver: (host) => contextPlayerDriver(name, context, host),
    })
    return engine
  }
  return {
    ...lazyStore(resolveEngine),
    dispose() {
      disposed = true
      if (engine) engine.dispose()
    },
  }
}
