// One simulated audio player: the clock behind the background audio manager, the legacy
// background audio API, every InnerAudioContext and playVoice. Its position advances with
// `Date.now()` between ctx timers, so jest's modern fake timers (which fake both) drive it:
// `jest.advanceTimersByTime(5000)` moves a playing track 5 s on, fires the timeUpdate ticks
// in between and `ended` at the end. State changes happen at once; the events that report
// them are delivered later (a microtask), as WeChat's native side reports them
// asynchronously.
import type { HostContext } from './context'

/** Where a source stands: what it plays for, or why it fails. */
export type SourceInfo = { duration: number } | { errCode: number; errMsg: string }

/** The events a player emits, as WeChat names them (`onCanplay` → `Canplay`). */
export type PlayerEvent =
  | 'Canplay'
  | 'Play'
  | 'Pause'
  | 'Stop'
  | 'Ended'
  | 'TimeUpdate'
  | 'Waiting'
  | 'Error'
  | 'Seeking'
  | 'Seeked'

/** Every event a player emits. */
export const PLAYER_EVENTS: readonly PlayerEvent[] = [
  'Canplay',
  'Play',
  'Pause',
  'Stop',
  'Ended',
  'TimeUpdate',
  'Waiting',
  'Error',
  'Seeking',
  'Seeked',
]

/** The player's state. */
export type PlayerState =
  'idle' | 'loading' | 'ready' | 'playing' | 'paused' | 'stopped' | 'ended' | 'error'

/** How a player is built. */
export interface PlayerConfig {
  /** Resolves a src to its duration or its error (called on each load). */
  resolve(src: string): SourceInfo
  /** Receives every event. */
  emit(event: PlayerEvent, payload?: unknown): void
  /** Milliseconds between `TimeUpdate` events while playing. */
  timeUpdateInterval: number
  /** Milliseconds between `Waiting` and `Canplay` when a source loads (0: next microtask). */
  loadTime: number
}

/** A simulated audio player driven by ctx timers. */
export class SimPlayer {
  src = ''
  state: PlayerState = 'idle'
  duration = 0
  loop = false
  playbackRate = 1
  /** The last error, when `state` is `error`. */
  error: { errCode: number; errMsg: string } | undefined

  private basePosition = 0
  private startedAt = 0
  private playWhenReady = false
  private generation = 0
  private cancelTimers: Array<() => void> = []

  constructor(
    private readonly ctx: HostContext,
    private readonly config: PlayerConfig,
  ) {}

  /** The position in seconds. */
  get currentTime(): number {
    if (this.state !== 'playing') return this.basePosition
    const elapsed = ((Date.now() - this.startedAt) / 1000) * this.playbackRate
    return Math.min(this.duration, this.basePosition + elapsed)
  }

  /** True unless playing (or about to play once loaded). */
  get paused(): boolean {
    return !(this.state === 'playing' || (this.state === 'loading' && this.playWhenReady))
  }

  /** Seconds buffered: everything once the source has loaded. */
  get buffered(): number {
    return this.state === 'idle' || this.state === 'loading' || this.state === 'error'
      ? 0
      : this.duration
  }

  /**
   * Loads `src` from `startTime` seconds; plays once loaded when `autoplay`. Returns what the
   * source resolved to (its `Error` event follows later when it fails).
   */
  load(src: string, startTime: number, autoplay: boolean): SourceInfo {
    this.halt()
    const generation = ++this.generation
    this.src = src
    this.duration = 0
    this.error = undefined
    this.basePosition = Math.max(0, startTime || 0)
    this.playWhenReady = autoplay
    this.state = 'loading'
    const info = this.config.resolve(src)
    const finish = () => {
      if (generation !== this.generation || this.state !== 'loading') return
      if ('errCode' in info) {
        this.fail(info)
        return
      }
      this.duration = info.duration
      this.basePosition = Math.min(this.basePosition, this.duration)
      this.state = 'ready'
      this.config.emit('Canplay')
      if (this.playWhenReady) this.start()
    }
    if (this.config.loadTime > 0 && !('errCode' in info)) {
      this.later(() => this.config.emit('Waiting'))
      this.cancelTimers.push(this.ctx.setTimer(() => finish(), this.config.loadTime))
    } else {
      this.later(finish)
    }
    return info
  }

  /** Changes the speed; a playing source keeps its position and reschedules its end. */
  setPlaybackRate(rate: number): void {
    if (!Number.isFinite(rate) || rate <= 0) return
    if (this.state === 'playing') {
      this.basePosition = this.currentTime
      this.halt()
      this.playbackRate = rate
      this.start(false)
    } else {
      this.playbackRate = rate
    }
  }

  /** Plays (or resumes); restarts from 0 after `stop` or the end. */
  play(): void {
    switch (this.state) {
      case 'loading':
        this.playWhenReady = true
        return
      case 'ready':
      case 'paused':
        this.start()
        return
      case 'stopped':
      case 'ended':
        this.basePosition = 0
        this.start()
        return
      default:
        return
    }
  }

  /** Pauses where it is. */
  pause(): void {
    if (this.state === 'loading') {
      this.playWhenReady = false
      return
    }
    if (this.state !== 'playing') return
    this.basePosition = this.currentTime
    this.halt()
    this.state = 'paused'
    this.later(() => this.config.emit('Pause'))
  }

  /** Stops and goes back to 0. */
  stop(): void {
    if (this.state === 'idle' || this.state === 'error' || this.state === 'stopped') return
    this.halt()
    this.generation++
    this.basePosition = 0
    this.playWhenReady = false
    this.state = 'stopped'
    this.later(() => this.config.emit('Stop'))
  }

  /** Jumps to `position` seconds (clamped to the track). */
  seek(position: number): void {
    if (this.state === 'idle' || this.state === 'error' || !Number.isFinite(position)) return
    const target = Math.max(
      0,
      this.state === 'loading' ? position : Math.min(this.duration, position),
    )
    this.later(() => this.config.emit('Seeking'))
    if (this.state === 'playing') {
      this.halt()
      this.basePosition = target
      this.start(false)
    } else {
      this.basePosition = target
      if (this.state === 'ended' || this.state === 'stopped') this.state = 'paused'
    }
    this.later(() => this.config.emit('Seeked'))
  }

  /** Makes a playing source wait `ms` for data: `Waiting`, then `Canplay` and on. */
  stall(ms: number): void {
    if (this.state !== 'playing') return
    this.basePosition = this.currentTime
    this.halt()
    this.state = 'loading'
    this.playWhenReady = true
    const generation = this.generation
    this.later(() => this.config.emit('Waiting'))
    this.cancelTimers.push(
      this.ctx.setTimer(() => {
        if (generation !== this.generation || this.state !== 'loading') return
        this.state = 'ready'
        this.config.emit('Canplay')
        if (this.playWhenReady) this.start()
      }, ms),
    )
  }

  /** Fails the current source now with `error`. */
  fail(error: { errCode: number; errMsg: string }): void {
    this.basePosition = this.currentTime
    this.halt()
    this.generation++
    this.state = 'error'
    this.error = error
    this.playWhenReady = false
    this.later(() => this.config.emit('Error', { ...error }))
  }

  /** Stops every timer and drops pending events; the player is unusable afterwards. */
  destroy(): void {
    this.halt()
    this.generation++
    this.state = 'idle'
    this.src = ''
  }

  private start(emitPlay = true): void {
    if (this.basePosition >= this.duration && !this.loop) this.basePosition = 0
    this.state = 'playing'
    this.playWhenReady = false
    this.startedAt = Date.now()
    const generation = this.generation
    if (emitPlay) this.later(() => this.config.emit('Play'))
    this.cancelTimers.push(
      this.ctx.setRepeatingTimer(() => {
        if (generation === this.generation && this.state === 'playing')
          this.config.emit('TimeUpdate')
      }, this.config.timeUpdateInterval),
    )
    const remaining = ((this.duration - this.basePosition) / this.playbackRate) * 1000
    this.cancelTimers.push(
      this.ctx.setTimer(() => this.reachEnd(generation), Math.max(0, remaining)),
    )
  }

  private reachEnd(generation: number): void {
    if (generation !== this.generation || this.state !== 'playing') return
    this.halt()
    if (this.loop) {
      this.basePosition = 0
      this.start(false)
      return
    }
    this.basePosition = this.duration
    this.state = 'ended'
    this.config.emit('Ended')
  }

  private halt(): void {
    for (const cancel of this.cancelTimers) cancel()
    this.cancelTimers = []
  }

  private later(fn: () => void): void {
    const generation = this.generation
    this.ctx.later(() => {
      if (generation === this.generation && !this.ctx.closed) fn()
    })
  }
}
