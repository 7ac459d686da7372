// The engine behind the audio stores: one state object changed only by `reduceAudio`, verbs
// that resolve when the player's confirming event arrives (or reject after a deadline), and a
// small playlist. What differs between players lives in a driver.
import { BehaviorSubject, Observable } from 'rxjs'
import { argumentError, isPlainObject } from '../core/describe'
import { AbortError, TimeoutError, WxError, toWxError } from '../core/errors'
import { IDLE_AUDIO_STATE, reduceAudio } from './audio-state'
import type { AudioAction, AudioState, AudioTrack } from './audio-state'
import type { AudioStore, AudioStoreOptions } from './audio-store'
import { checkTrack, copyTrack } from './audio-track'

/** What a driver does with a verb; `fail` rejects the verb's promise. */
export interface AudioDriver {
  load(track: AudioTrack, fail: (error: unknown) => void): void
  resume(track: AudioTrack, fail: (error: unknown) => void): void
  pause(fail: (error: unknown) => void): void
  stop(fail: (error: unknown) => void): void
  seek(position: number, fail: (error: unknown) => void): void
  /** Told `true` while someone subscribes to a playing store (legacy polling), else `false`. */
  watch(active: boolean): void
  /** Called once the store is built: the driver may read the player's current state. */
  init(): void
  /** Releases what the driver holds (listeners where the player can remove them, the player). */
  dispose(): void
}

/** What a driver gets from the store. */
export interface AudioDriverHost {
  /** Feeds the reducer with what the player reported. */
  dispatch(action: AudioAction): void
  /** The current state. */
  getState(): AudioState
  /** The system player's "next" and "previous" buttons. */
  next(): void
  previous(): void
}

/** A store over one driver, plus `dispose`. */
export interface AudioEngine extends AudioStore {
  /** Rejects pending verbs, releases the driver and completes `state$`. */
  dispose(): void
}

type Kind = 'transport' | 'seek'

interface Waiter {
  verb: string
  kind: Kind
  until: string[]
  abortOn: string[]
  resolve: (state: AudioState) => void
  reject: (error: Error) => void
  timer: ReturnType<typeof setTimeout> | undefined
}

/**
 * Builds a store over the driver `makeDriver` returns. `name` prefixes error messages
 * (`backgroundAudio.play:fail timeout`); `requireTitle` makes `track.title` required.
 */
export function createAudioEngine(
  name: string,
  makeDriver: (host: AudioDriverHost) => AudioDriver,
  options: Required<AudioStoreOptions>,
  requireTitle: boolean,
): AudioEngine {
  let state: AudioState = IDLE_AUDIO_STATE
  const subject = new BehaviorSubject<AudioState>(state)
  let waiters: Waiter[] = []
  let tracks: AudioTrack[] = []
  let index = -1
  let current: AudioTrack | null = null
  let watchers = 0
  let watching = false
  let disposed = false

  function apiOf(verb: string): string {
    return name + '.' + verb
  }

  function failure(verb: string, reason: string, detail?: string): WxError {
    return new WxError({ api: apiOf(verb), errMsg: apiOf(verb) + ':fail ' + reason }, detail)
  }

  function finish(waiter: Waiter, error: Error | null): void {
    const at = waiters.indexOf(waiter)
    if (at < 0) return
    waiters.splice(at, 1)
    if (waiter.timer !== undefined) clearTimeout(waiter.timer)
    if (error) waiter.reject(error)
    else waiter.resolve(state)
  }

  function updateWatch(): void {
    const active = !disposed && watchers > 0 && state.status === 'playing'
    if (active !== watching) {
      watching = active
      driver.watch(active)
    }
  }

  function dispatch(action: AudioAction): void {
    if (disposed) return
    const next = reduceAudio(state, action)
    if (next !== state) {
      state = next
      subject.next(state)
    }
    waiters.slice().forEach((waiter) => {
      if (action.type === 'error') finish(waiter, action.error)
      else if (waiter.until.indexOf(action.type) >= 0) finish(waiter, null)
      else if (waiter.abortOn.indexOf(action.type) >= 0) {
        finish(waiter, failure(waiter.verb, 'interrupted', 'the player reported ' + action.type))
      }
    })
    updateWatch()
    if (action.type === 'ended' && index + 1 < tracks.length) {
      index += 1
      // The result shows in the state; nobody awaits an automatic advance.
      load('next', tracks[index]).then(undefined, () => undefined)
    }
  }

  const driver = makeDriver({
    dispatch,
    getState: () => state,
    next: () => {
      void move(1)
    },
    previous: () => {
      void move(-1)
    },
  })

  // Starts a verb: earlier verbs it makes moot are rejected with AbortError, then `start`
  // calls the player, and the promise waits for one of `until` (or the deadline).
  function run(
    verb: string,
    kind: Kind,
    until: string[],
    abortOn: string[],
    timeout: number,
    start: (fail: (error: unknown) => void) => void,
  ): Promise<AudioState> {
    if (disposed) return Promise.reject(failure(verb, 'disposed'))
    waiters.slice().forEach((waiter) => {
      if (waiter.kind === kind || kind === 'transport') {
        const error = new AbortError(
          { api: apiOf(waiter.verb), errMsg: apiOf(waiter.verb) + ':fail abort' },
          'superseded by ' + verb,
        )
        finish(waiter, error)
      }
    })
    return new Promise<AudioState>((resolve, reject) => {
      const waiter: Waiter = { verb, kind, until, abortOn, resolve, reject, timer: undefined }
      waiter.timer = setTimeout(() => {
        const api = apiOf(verb)
        const error = new TimeoutError(
          { api, errMsg: api + ':fail timeout' },
          'the player did not confirm within ' + timeout + ' ms',
        )
        finish(waiter, error)
      }, timeout)
      waiters.push(waiter)
      const fail = (error: unknown) => finish(waiter, toWxError(apiOf(verb), error))
      try {
        start(fail)
      } catch (error) {
        fail(error)
      }
    })
  }

  function load(verb: string, track: AudioTrack): Promise<AudioState> {
    // No abortOn: some players report the old track's stop after a new source is set.
    return run(verb, 'transport', ['play'], [], options.loadTimeout, (fail) => {
      current = track
      dispatch({ type: 'track', track })
      driver.load(track, fail)
    })
  }

  function move(step: number): Promise<boolean> {
    const to = index + step
    if (disposed || to < 0 || to >= tracks.length) return Promise.resolve(false)
    index = to
    return load(step > 0 ? 'next' : 'previous', tracks[to]).then(() => true)
  }

  function setQueue(list: AudioTrack[], start: number): Promise<AudioState> {
    tracks = list
    index = start
    return load(list.length > 1 ? 'queue' : 'play', list[start])
  }

  driver.init()

  const state$ = new Observable<AudioState>((subscriber) => {
    const subscription = subject.subscribe(subscriber)
    if (subscription.closed) return undefined
    watchers += 1
    updateWatch()
    return () => {
      subscription.unsubscribe()
      watchers -= 1
      updateWatch()
    }
  })

  return {
    state$,
    getState: () => state,
    play(track) {
      const error = checkTrack(apiOf('play'), track, requireTitle)
      if (error) return Promise.reject(error)
      return setQueue([copyTrack(track)], 0)
    },
    queue(list, start = 0) {
      const api = apiOf('queue')
      if (!Array.isArray(list) || list.length === 0) {
        return Promise.reject(argumentError(api, 'tracks', 'a non-empty array of tracks', list))
      }
      for (let i = 0; i < list.length; i++) {
        const error = checkTrack(api, list[i], requireTitle, 'tracks[' + i + ']')
        if (error) return Promise.reject(error)
      }
      if (typeof start !== 'number' || start % 1 !== 0 || start < 0 || start >= list.length) {
        return Promise.reject(
          argumentError(api, 'start', 'an index from 0 to ' + (list.length - 1), start),
        )
      }
      return setQueue(list.map(copyTrack), start)
    },
    getQueue: () => ({ tracks: tracks.slice(), index }),
    next: () => move(1),
    previous: () => move(-1),
    pause() {
      if (state.status !== 'playing' && state.status !== 'waiting') {
        return Promise.resolve(state)
      }
      return run('pause', 'transport', ['pause'], ['stop'], options.timeout, (fail) =>
        driver.pause(fail),
      )
    },
    resume() {
      if (state.status === 'playing') return Promise.resolve(state)
      if (!current) return Promise.reject(failure('resume', 'nothing to resume'))
      if (state.status !== 'paused' && state.status !== 'waiting') {
        // Stopped, ended or failed: players need the source again to start over.
        return load('resume', current)
      }
      const track = current
      return run('resume', 'transport', ['play'], ['stop'], options.timeout, (fail) =>
        driver.resume(track, fail),
      )
    },
    stop() {
      if (state.status === 'idle' || state.status === 'stopped' || state.status === 'ended') {
        return Promise.resolve(state)
      }
      return run('stop', 'transport', ['stop'], [], options.timeout, (fail) => driver.stop(fail))
    },
    seek(seconds) {
      const api = apiOf('seek')
      if (typeof seconds !== 'number' || !isFinite(seconds)) {
        return Promise.reject(argumentError(api, 'seconds', 'a finite number', seconds))
      }
      const status = state.status
      if (status !== 'playing' && status !== 'paused' && status !== 'waiting') {
        return Promise.reject(failure('seek', 'nothing to seek', 'the player is ' + status))
      }
      const max = state.duration > 0 ? state.duration : Infinity
      const position = Math.min(Math.max(seconds, 0), max)
      return run('seek', 'seek', ['seeked'], ['stop'], options.timeout, (fail) =>
        driver.seek(position, fail),
      )
    },
    dispose() {
      if (disposed) return
      waiters.slice().forEach((waiter) => finish(waiter, failure(waiter.verb, 'disposed')))
      waiters = []
      disposed = true
      updateWatch()
      driver.dispose()
      subject.complete()
    },
  }
}

/**
 * The `WxError` for a player's `onError` result (`{ errMsg, errCode }`); the code goes in the
 * message when wx gives no `errMsg`.
 */
export function playerError(api: string, result: unknown): WxError {
  const r = (isPlainObject(result) ? result : {}) as { errMsg?: unknown; errCode?: unknown }
  const errMsg =
    typeof r.errMsg === 'string' && r.errMsg
      ? r.errMsg
      : api + ':fail ' + (r.errCode !== undefined ? 'error ' + String(r.errCode) : 'error')
  return new WxError({ api, errMsg, cause: result })
}
