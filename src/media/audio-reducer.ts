// The events a player driver reports and the pure reducer that turns them into the next
// AudioState. One case per event; each says what the event changes and when it changes nothing.
import type { WxError } from '../core/errors'
import { IDLE_AUDIO_STATE, isActive, isDone } from './audio-state'
import type { AudioState, AudioTrack } from './audio-state'

/**
 * What a player reports of its clock: its own `currentTime`, `duration` and `buffered`
 * fields, read as they are (players give NaN or nothing before they know).
 */
export interface PlayerClock {
  currentTime?: unknown
  duration?: unknown
  buffered?: unknown
}

/** What a driver reports to the reducer. */
export type AudioEvent =
  /** A track is being loaded (the store sets it before the player reports anything). */
  | { type: 'track'; track: AudioTrack }
  /** The player's clock moved or became known. */
  | { type: 'time'; clock: PlayerClock }
  /** The player buffers, plays, paused, stopped, or reached the end. */
  | { type: 'waiting' | 'play' | 'pause' | 'stop' | 'ended' }
  /** A seek finished at `position` seconds. */
  | { type: 'seeked'; position: unknown }
  /** The player failed. */
  | { type: 'error'; error: WxError }

/** The name of an audio event (`'play'`, `'seeked'`, ...). */
export type AudioEventType = AudioEvent['type']

/** A time the player reported, when it is one. */
function timeOf(value: unknown): number | undefined {
  return typeof value === 'number' && isFinite(value) && value >= 0 ? value : undefined
}

// What the clock changes. Players do not always repeat onPlay after buffering: time moving on
// while waiting says it plays.
function clockPatch(state: AudioState, clock: PlayerClock): Partial<AudioState> {
  const position = timeOf(clock.currentTime)
  const patch: Partial<AudioState> = {
    duration: timeOf(clock.duration) || undefined,
    buffered: timeOf(clock.buffered),
    position,
  }
  if (state.status === 'waiting' && position !== undefined && position > state.position) {
    patch.status = 'playing'
  }
  return patch
}

// The fields `event` changes (`undefined` fields are left as they are), or `undefined` when
// the event means nothing in this state.
function patchOf(state: AudioState, event: AudioEvent): Partial<AudioState> | undefined {
  const status = state.status
  switch (event.type) {
    case 'track': {
      const track = event.track
      return {
        ...IDLE_AUDIO_STATE,
        status: 'waiting',
        src: track.src,
        title: track.title || '',
        singer: track.singer || '',
        coverImgUrl: track.coverImgUrl || '',
        position: track.startTime || 0,
      }
    }
    case 'waiting':
      return isActive(status) ? { status: 'waiting' } : undefined
    case 'play':
      return { status: 'playing', error: null }
    case 'pause':
      return isDone(status) ? undefined : { status: 'paused' }
    case 'stop':
      return status === 'idle' ? undefined : { status: 'stopped', position: 0 }
    case 'ended':
      return { status: 'ended', position: state.duration || state.position }
    case 'seeked':
      return { position: timeOf(event.position) }
    case 'error':
      return { status: 'error', error: event.error }
    case 'time':
      return status === 'idle' ? undefined : clockPatch(state, event.clock)
  }
}

/**
 * The next state after the player reported `event`. Pure; returns `state` itself when nothing
 * changed, so a store can emit only on change by comparing references.
 */
export function reduceAudio(state: AudioState, event: AudioEvent): AudioState {
  const patch = patchOf(state, event)
  if (!patch) return state
  let next = state
  for (const key in patch) {
    const field = key as keyof AudioState
    const value = patch[field]
    if (value === undefined || value === state[field]) continue
    if (next === state) next = { ...state }
    ;(next as unknown as Record<string, unknown>)[field] = value
  }
  return next
}
