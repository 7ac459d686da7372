// The public shape of the audio stores (`backgroundAudio`, `createAudioPlayer`) and the lazy
// wrapper that finds the engine behind them at each use. The engine is in audio-engine.ts.
import { Observable } from 'rxjs'
import type { NumberRule } from '../core/check'
import type { AudioEngine } from './audio-engine'
import { IDLE_AUDIO_STATE } from './audio-state'
import type { AudioState, AudioTrack } from './audio-state'

/** Deadlines of a store's verbs. */
export interface AudioStoreOptions {
  /**
   * How long `pause`, `resume`, `stop` and `seek` wait for the player to confirm, in ms.
   * @default 5000
   */
  timeout?: number
  /** How long `play` (and `next`, `previous`, `queue`) waits for playback to start, in ms. @default 15000 */
  loadTimeout?: number
}

/** The queue of a store: its tracks and the index of the current one (`-1` when empty). */
export interface AudioQueue {
  /** The tracks, in order. */
  tracks: readonly AudioTrack[]
  /** The index of the current track, `-1` when the queue is empty. */
  index: number
}

/** A player as a store: state, verbs that resolve when the player confirms, and a playlist. */
export interface AudioStore {
  /** The state: the current one first, then every change. */
  readonly state$: Observable<AudioState>
  /** The current state. */
  getState(): AudioState
  /**
   * Plays `track` (the queue becomes just this track); resolves with the state once the player
   * reports that it plays.
   */
  play(track: AudioTrack): Promise<AudioState>
  /** Pauses; resolves once the player reports it (at once when nothing plays). */
  pause(): Promise<AudioState>
  /** Resumes a paused track, or plays the current track again after a stop or the end. */
  resume(): Promise<AudioState>
  /** Stops; resolves once the player reports it (at once when nothing is loaded). */
  stop(): Promise<AudioState>
  /** Moves to `seconds`, clamped to `0..duration`; resolves once the player reports it. */
  seek(seconds: number): Promise<AudioState>
  /** Replaces the queue with `tracks` and plays `tracks[start]`; at the end of a track the next one plays. */
  queue(tracks: readonly AudioTrack[], start?: number): Promise<AudioState>
  /** The queue and the current index. */
  getQueue(): AudioQueue
  /** Plays the next track of the queue; resolves `false` (and does nothing) at the end of the queue. */
  next(): Promise<boolean>
  /** Plays the previous track of the queue; resolves `false` (and does nothing) at its start. */
  previous(): Promise<boolean>
}

/** A deadline in ms: a finite number above 0. */
export const DEADLINE_RULE: NumberRule = { type: 'number', min: 0, exclusiveMin: true }

/** The rules of `AudioStoreOptions`. */
export const STORE_OPTIONS = { timeout: DEADLINE_RULE, loadTimeout: DEADLINE_RULE }

/**
 * A store whose engine is found at each use by `resolve` (made on first use, or again when
 * the global `wx` changed); when there is none, verbs reject and `state$` errors with the
 * `Error` `resolve` returned, and `getState()` is the idle state.
 */
export function lazyStore(resolve: () => AudioEngine | Error): AudioStore {
  const withEngine = <R>(use: (engine: AudioEngine) => Promise<R>): Promise<R> => {
    const engine = resolve()
    return engine instanceof Error ? Promise.reject(engine) : use(engine)
  }
  return {
    state$: new Observable<AudioState>((subscriber) => {
      const engine = resolve()
      if (engine instanceof Error) return subscriber.error(engine)
      return engine.state$.subscribe(subscriber)
    }),
    getState() {
      const engine = resolve()
      return engine instanceof Error ? IDLE_AUDIO_STATE : engine.getState()
    },
    getQueue() {
      const engine = resolve()
      return engine instanceof Error ? { tracks: [], index: -1 } : engine.getQueue()
    },
    play: (track) => withEngine((engine) => engine.play(track)),
    queue: (tracks, start) => withEngine((engine) => engine.queue(tracks, start)),
    next: () => withEngine((engine) => engine.next()),
    previous: () => withEngine((engine) => engine.previous()),
    pause: () => withEngine((engine) => engine.pause()),
    resume: () => withEngine((engine) => engine.resume()),
    stop: () => withEngine((engine) => engine.stop()),
    seek: (seconds) => withEngine((engine) => engine.seek(seconds)),
  }
}
