// The engine behind the audio stores: one state object changed only by `reduceAudio`, verbs
// that resolve when the player's confirming event arrives (or reject after a deadline), and a
// small playlist. What differs between players lives in a driver (audio-driver.ts).
import { BehaviorSubject, Observable, noop } from 'rxjs'
import { optionsError, ruleError, type CustomRule, type Rules } from '../core/check'
import { AbortError, failure } from '../core/errors'
import type { AudioDriver, AudioDriverHost, DriverFailure } from './audio-driver'
import { reduceAudio, type AudioEvent, type AudioEventType } from './audio-reducer'
import { IDLE_AUDIO_STATE, isDone, isLoaded } from './audio-state'
import type { AudioState, AudioTrack } from './audio-state'
import type { AudioQueue, AudioStore, AudioStoreOptions } from './audio-store'
import { waitForConfirmation, type PendingVerb } from './pending-verbs'

/** How an engine is made. */
export interface AudioEngineConfig {
  /** Prefixes error messages (`backgroundAudio.play:fail timeout`). */
  name: string
  /** The verbs' deadlines, read at each verb (a store may change them). */
  deadlines: Required<AudioStoreOptions>
  /** Whether a track needs a `title` (the background player refuses to play without one). */
  requireTitle: boolean
  /** Makes the driver over the player, feeding `host`. */
  createDriver(host: AudioDriverHost): AudioDriver
}

/** The names of the store's verbs, for error messages. */
type VerbName = 'play' | 'queue' | 'next' | 'previous' | 'resume' | 'pause' | 'stop' | 'seek'

const TEXT = { type: 'string' } as const
// Each track is checked on its own after the list, so its message names its index.
const TRACK_LIST_RULE: CustomRule = {
  type: 'custom',
  required: true,
  test: (value) => Array.isArray(value) && value.length > 0,
  expected: 'a non-empty array of tracks',
}
const NON_EMPTY_TEXT = { type: 'string', nonEmpty: true, required: true } as const

/** The rules of a track. */
function trackRules(requireTitle: boolean): Rules {
  return {
    src: NON_EMPTY_TEXT,
    title: requireTitle ? NON_EMPTY_TEXT : TEXT,
    singer: TEXT,
    coverImgUrl: TEXT,
    epname: TEXT,
    webUrl: TEXT,
    startTime: { type: 'number', min: 0 },
  }
}

/** The error for a bad `queue(tracks, start)`, or `undefined`. */
function queueError(api: string, tracks: unknown, start: unknown, rules: Rules): Error | undefined {
  const listError = ruleError(api, 'tracks', tracks, TRACK_LIST_RULE)
  if (listError || !Array.isArray(tracks)) return listError
  const startRule = { type: 'number', min: 0, max: tracks.length - 1, integer: true } as const
  let error = ruleError(api, 'start', start, startRule)
  for (let i = 0; !error && i < tracks.length; i++) {
    error = optionsError(api, tracks[i], rules, { name: 'tracks[' + i + ']' })
  }
  return error
}

/** A store over one driver, plus `dispose`. */
export class AudioEngine implements AudioStore {
  /** The state: the current one first, then every change. */
  readonly state$: Observable<AudioState>

  private state = IDLE_AUDIO_STATE
  private readonly subject = new BehaviorSubject(IDLE_AUDIO_STATE)
  private readonly pending: PendingVerb[] = []
  private readonly rules: Rules
  private readonly driver: AudioDriver
  private tracks: AudioTrack[] = []
  private index = -1
  private subscribers = 0
  private watching = false
  private disposed = false

  constructor(private readonly config: AudioEngineConfig) {
    this.rules = trackRules(config.requireTitle)
    this.state$ = new Observable<AudioState>((subscriber) => {
      const subscription = this.subject.subscribe(subscriber)
      this.subscribers++
      this.updateWatch()
      return () => {
        subscription.unsubscribe()
        this.subscribers--
        this.updateWatch()
      }
    })
    this.driver = config.createDriver({
      dispatch: (event) => this.dispatch(event),
      getState: () => this.state,
      skip: (direction) => {
        // The result shows in the state; nobody awaits a button press.
        this.move(direction === 'next' ? 1 : -1).then(noop, noop)
      },
    })
  }

  getState(): AudioState {
    return this.state
  }

  getQueue(): AudioQueue {
    return { tracks: this.tracks.slice(), index: this.index }
  }

  play(track: AudioTrack): Promise<AudioState> {
    const error = optionsError(this.config.name + '.play', track, this.rules, { name: 'track' })
    return error ? Promise.reject(error) : this.setQueue('play', [track], 0)
  }

  queue(tracks: readonly AudioTrack[], start = 0): Promise<AudioState> {
    const error = queueError(this.config.name + '.queue', tracks, start, this.rules)
    return error ? Promise.reject(error) : this.setQueue('queue', tracks, start)
  }

  next(): Promise<boolean> {
    return this.move(1)
  }

  previous(): Promise<boolean> {
    return this.move(-1)
  }

  pause(): Promise<AudioState> {
    const { timeout } = this.config.deadlines
    switch (this.state.status) {
      case 'playing':
        return this.startVerb('pause', 'pause', timeout, (fail) => this.driver.pause(fail))
      case 'waiting':
        // A buffering player is not playing, so it does not confirm a pause with onPause: the
        // store does, once the player was told (it then stays paused when the data arrives).
        return this.startVerb('pause', 'pause', timeout, (fail) => {
          this.driver.pause(fail)
          this.dispatch({ type: 'pause' })
        })
      default:
        return this.now()
    }
  }

  resume(): Promise<AudioState> {
    const status = this.state.status
    if (status === 'playing') return this.now()
    if (this.index < 0)
      return Promise.reject(failure(this.config.name + '.resume', 'nothing to resume'))
    // Stopped, ended or failed: players need the source again to start over.
    if (!isLoaded(status)) return this.load('resume', this.index)
    const track = this.tracks[this.index]
    return this.startVerb('resume', 'play', this.config.deadlines.timeout, (fail) =>
      this.driver.resume(track, fail),
    )
  }

  stop(): Promise<AudioState> {
    if (isDone(this.state.status)) return this.now()
    return this.startVerb(
      'stop',
      'stop',
      this.config.deadlines.timeout,
      (fail) => this.driver.stop(fail),
      { interruptedByStop: false },
    )
  }

  seek(seconds: number): Promise<AudioState> {
    const api = this.config.name + '.seek'
    const invalid = ruleError(api, 'seconds', seconds, { type: 'number', required: true })
    if (invalid) return Promise.reject(invalid)
    if (!isLoaded(this.state.status)) return Promise.reject(failure(api, 'nothing to seek'))
    const position = Math.max(0, Math.min(seconds, this.state.duration || Infinity))
    return this.startVerb('seek', 'seeked', this.config.deadlines.timeout, (fail) =>
      this.driver.seek(position, fail),
    )
  }

  /** Rejects pending verbs, releases the driver and completes `state$`. */
  dispose(): void {
    if (this.disposed) return
    this.pending.slice().forEach((verb) => verb.reject(failure(verb.api, 'disposed')))
    this.disposed = true
    this.updateWatch()
    this.driver.dispose()
    this.subject.complete()
  }

  // What the player reported: the next state, then the verbs it confirms or interrupts.
  private dispatch(event: AudioEvent): void {
    if (this.disposed) return
    const next = reduceAudio(this.state, event)
    if (next !== this.state) this.subject.next((this.state = next))
    this.pending.slice().forEach((verb) => {
      if (event.type === 'error') verb.reject(event.error)
      else if (verb.confirmedBy === event.type) verb.resolve(this.state)
      else if (event.type === 'stop' && verb.interruptedByStop) {
        verb.reject(failure(verb.api, 'interrupted'))
      }
    })
    this.updateWatch()
    // The result shows in the state; nobody awaits an automatic advance.
    if (event.type === 'ended' && this.index + 1 < this.tracks.length) {
      this.load('next', this.index + 1).then(noop, noop)
    }
  }

  // Tells the driver whether someone watches a playing store (legacy polling).
  private updateWatch(): void {
    const active = !this.disposed && this.subscribers > 0 && this.state.status === 'playing'
    // The driver is not there yet while it reports what the player already plays; nobody
    // watches then.
    if (active === this.watching || !this.driver) return
    this.watching = active
    this.driver.watch(active)
  }

  // Starts a verb: verbs it makes moot reject with AbortError (a seek replaces only a seek),
  // then `act` calls the player, and the promise waits for the event `confirmedBy`. A stop of
  // the player interrupts the verb unless `interruptedByStop` is false.
  private startVerb(
    verb: VerbName,
    confirmedBy: AudioEventType,
    timeout: number,
    act: (fail: DriverFailure) => void,
    { interruptedByStop = true }: { interruptedByStop?: boolean } = {},
  ): Promise<AudioState> {
    const api = this.config.name + '.' + verb
    if (this.disposed) return Promise.reject(failure(api, 'disposed'))
    this.pending.slice().forEach((other) => {
      if (confirmedBy === 'seeked' && other.confirmedBy !== 'seeked') return
      other.reject(
        new AbortError(
          { api: other.api, errMsg: other.api + ':fail abort' },
          'superseded by ' + verb,
        ),
      )
    })
    return waitForConfirmation<AudioState>(
      this.pending,
      { api, confirmedBy, interruptedByStop },
      timeout,
      act,
    )
  }

  // Loads `tracks[to]` and waits for it to play. A stop does not interrupt it: some players
  // report the old track's stop after a new source is set.
  private load(verb: VerbName, to: number): Promise<AudioState> {
    const track = this.tracks[to]
    return this.startVerb(
      verb,
      'play',
      this.config.deadlines.loadTimeout,
      (fail) => {
        this.index = to
        this.dispatch({ type: 'track', track })
        this.driver.load(track, fail)
      },
      { interruptedByStop: false },
    )
  }

  private move(step: 1 | -1): Promise<boolean> {
    const to = this.index + step
    if (this.disposed || to < 0 || to >= this.tracks.length) return Promise.resolve(false)
    return this.load(step > 0 ? 'next' : 'previous', to).then(() => true)
  }

  private setQueue(verb: VerbName, tracks: readonly AudioTrack[], start: number) {
    // Copies, so later changes by the caller do not reach the store.
    this.tracks = tracks.map((track) => ({ ...track }))
    return this.load(verb, start)
  }

  // What a verb with nothing to do resolves with at once.
  private now(): Promise<AudioState> {
    return Promise.resolve(this.state)
  }
}
