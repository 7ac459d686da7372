// The engine behind the audio stores: one state object changed only by `reduceAudio`, verbs
// that resolve when the player's confirming event arrives (or reject after a deadline), and a
// small playlist. What differs between players lives in a driver.
import { BehaviorSubject, Observable, noop } from 'rxjs'
import { argumentError } from '../core/describe'
import { AbortError, failure } from '../core/errors'
import {
  ENDED,
  IDLE_AUDIO_STATE,
  PAUSE,
  PLAY,
  PLAYING,
  SEEKED,
  STOP,
  isActive,
  isDone,
  isLoaded,
  reduceAudio,
} from './audio-state'
import type { AudioEvent, AudioState, AudioTrack } from './audio-state'
import type { AudioStore, AudioStoreOptions } from './audio-store'
import { NEEDED, TEXT, ruleError, objectError, num } from '../core/check-legacy'
import { reject } from './shorthands'
import { legacyDriver } from './background-audio-legacy'
import { playerDriver } from './player-driver'
import { wait, type Waiter } from './waiters'

/**
 * What differs between players, as one function of a command: `load` gives the player the
 * track `arg` (what it shows, then its source; playback starts); `play` (resume the track
 * `arg`), `pause`, `stop` and `seek` (to `arg` seconds) call the player; `watch` says whether
 * someone subscribes to a playing store (`arg`; legacy polling); `dispose` releases what the
 * driver holds. `fail` rejects the verb's promise.
 */
export type AudioDriver = (
  command: 'load' | 'play' | 'pause' | 'stop' | 'seek' | 'watch' | 'dispose',
  arg?: any,
  fail?: (error: unknown) => void,
) => void

/** What a driver gets from the store. */
export interface AudioDriverHost {
  /** Feeds the reducer with what the player reported. */
  dispatch(event: AudioEvent, data?: unknown): void
  /** The current state. */
  getState(): AudioState
  /** The system player's "next" (`1`) and "previous" (`-1`) buttons. */
  move(step: number): void
}

/** A store over one driver, plus `dispose`. */
export interface AudioEngine extends AudioStore {
  /** Rejects pending verbs, releases the driver and completes `state$`. */
  dispose(): void
}

/**
 * Builds a store over `player` (an InnerAudioContext, or with `background` the
 * BackgroundAudioManager; none: the legacy background calls). `name` prefixes error messages
 * (`backgroundAudio.play:fail timeout`); the background player requires `track.title`.
 */
export function createAudioEngine(
  name: string,
  options: Required<AudioStoreOptions>,
  background: boolean,
  player?: object,
): AudioEngine {
  let state = IDLE_AUDIO_STATE
  const subject = new BehaviorSubject(state)
  const waiters: Waiter[] = []
  // the rules of a track; `title` is required by the background player
  const rules = {
    src: NEEDED,
    title: background ? NEEDED : TEXT,
    singer: TEXT,
    coverImgUrl: TEXT,
    epname: TEXT,
    webUrl: TEXT,
    startTime: num(0, Infinity),
  }
  let tracks: AudioTrack[] = []
  let index = -1
  let watchers = 0
  let watching = false
  let disposed = false

  const watch = () => {
    const active = !disposed && watchers > 0 && state.status === PLAYING
    // The driver is not there yet while it reports what the player already plays; nobody
    // watches then.
    if (active !== watching) driver('watch', (watching = active))
  }

  const dispatch = (event: AudioEvent, data?: any) => {
    if (disposed) return
    const next = reduceAudio(state, event, data)
    if (next !== state) subject.next((state = next))
    waiters.slice().forEach((w) => {
      if (event === 'error') w.done(data)
      else if (w.on === event) w.done(0, state)
      else if (event === STOP && w.abortOnStop) {
        w.done(failure(w.api, 'interrupted'))
      }
    })
    watch()
    // The result shows in the state; nobody awaits an automatic advance.
    if (event === ENDED && index + 1 < tracks.length) load('next', index + 1).then(noop, noop)
  }

  // Starts a verb: earlier verbs it makes moot are rejected with AbortError (a seek only
  // replaces a seek), then the player is called (with `arg`), and the promise waits for the
  // event `on`. A verb waiting for `play` that a stop does not interrupt loads the track
  // `tracks[arg]`: some players report the old track's stop after a new source is set.
  const run = (verb: string, on: string, abortOnStop: boolean, arg?: any): Promise<AudioState> => {
    const api = name + '.' + verb
    const loading = on === PLAY && !abortOnStop
    if (disposed) return reject(failure(api, 'disposed'))
    waiters.slice().forEach((w) => {
      if (on !== SEEKED || w.on === on) {
        w.done(failure(w.api, 'abort', 'superseded by ' + verb, undefined, AbortError))
      }
    })
    const timeout = loading ? options.loadTimeout : options.timeout
    return wait(waiters, { api, on, abortOnStop }, timeout, (fail) => {
      if (!loading) return driver(verb === 'resume' ? PLAY : (verb as 'stop'), arg, fail)
      dispatch('track', tracks[(index = arg)])
      driver('load', tracks[arg], fail)
    })
  }

  const load = (verb: string, to: number) => run(verb, PLAY, false, to)

  // What a verb with nothing to do resolves with at once.
  const now = () => Promise.resolve(state)

  const move = (step: number): Promise<boolean> => {
    const to = index + step
    return disposed || to < 0 || to >= tracks.length
      ? Promise.resolve(false)
      : load(step > 0 ? 'next' : 'previous', to).then(() => true)
  }

  const setQueue = (verb: string, list: readonly AudioTrack[], start: number) => {
    // Copies, so later changes by the caller do not reach the store.
    tracks = list.map((track) => ({ ...track }))
    return load(verb, start)
  }

  const getState = () => state
  const host: AudioDriverHost = {
    dispatch,
    getState,
    move: (step) => {
      move(step).then(noop, noop)
    },
  }
  const driver = player ? playerDriver(name, player, host, background) : legacyDriver(host)

  return {
    state$: new Observable<AudioState>((subscriber) => {
      const subscription = subject.subscribe(subscriber)
      watchers++
      watch()
      return () => {
        subscription.unsubscribe()
        watchers--
        watch()
      }
    }),
    getState,
    play(track) {
      const error = objectError(name + '.play', track, rules, 'track')
      return error ? reject(error) : setQueue(PLAY, [track], 0)
    },
    queue(list, start = 0) {
      const api = name + '.queue'
      let error =
        Array.isArray(list) && list.length
          ? ruleError(api, 'start', start, num(0, list.length - 1, 0, 1))
          : argumentError(api, 'tracks', 'a non-empty array of tracks', list)
      for (let i = 0; !error && i < list.length; i++) {
        error = objectError(api, list[i], rules, 'tracks[' + i + ']')
      }
      return error ? reject(error) : setQueue('queue', list, start)
    },
    getQueue: () => ({ tracks: tracks.slice(), index }),
    next: () => move(1),
    previous: () => move(-1),
    pause: () => (isActive(state.status) ? run(PAUSE, PAUSE, true) : now()),
    resume() {
      const status = state.status
      if (status === PLAYING) return now()
      if (index < 0) return reject(failure(name + '.resume', 'nothing to resume'))
      // Stopped, ended or failed: players need the source again to start over.
      return isLoaded(status) ? run('resume', PLAY, true, tracks[index]) : load('resume', index)
    },
    stop: () => (isDone(state.status) ? now() : run(STOP, STOP, false)),
    seek(seconds) {
      const api = name + '.seek'
      const status = state.status
      if (typeof seconds !== 'number' || !isFinite(seconds)) {
        return reject(argumentError(api, 'seconds', 'a finite number', seconds))
      }
      if (!isLoaded(status)) {
        return reject(failure(api, 'nothing to seek'))
      }
      const position = Math.max(0, Math.min(seconds, state.duration || Infinity))
      return run('seek', SEEKED, true, position)
    },
    dispose() {
      if (disposed) return
      waiters.slice().forEach((w) => w.done(failure(w.api, 'disposed')))
      disposed = true
      watch()
      driver('dispose')
      subject.complete()
    },
  }
}
