// The state of an audio player and the pure reducer that changes it. Shared by the background
// audio store and the inner audio player: both are fed the same actions by their drivers.
import type { WxError } from '../core/errors'

/** Where a player is: loading, playing, paused, stopped by a call, at the end, or failed. */
export type AudioStatus = 'idle' | 'waiting' | 'playing' | 'paused' | 'stopped' | 'ended' | 'error'

/** One track to play. */
export interface AudioTrack {
  /** The audio's URL or local path (m4a, aac, mp3, wav). */
  src: string
  /**
   * The title shown by the system player. Required by the background player (iOS refuses to
   * play without one); optional for `createAudioPlayer`.
   */
  title?: string
  /** The singer shown by the system player. */
  singer?: string
  /** The cover image shown by the system player and on shared cards. */
  coverImgUrl?: string
  /** The album name (background player only). */
  epname?: string
  /** A page link for shared cards (background player only). */
  webUrl?: string
  /** Where to start, in seconds. @default 0 */
  startTime?: number
}

/** A snapshot of a player. Every field is always present. */
export interface AudioState {
  /** Where the player is. */
  status: AudioStatus
  /** The current track's `src` (`''` when idle). */
  src: string
  /** The current track's title, as the store set it (the player never reports it back). */
  title: string
  /** The current track's singer. */
  singer: string
  /** The current track's cover image, as the store set it. */
  coverImgUrl: string
  /** The playing position in seconds. */
  position: number
  /** The track's length in seconds, `0` until the player knows it. */
  duration: number
  /** How far the track is buffered, in seconds. */
  buffered: number
  /** The player's error while `status` is `'error'`, otherwise `null`. */
  error: WxError | null
}

/** What a driver reports to the reducer. Every action but `track` comes from the player. */
export type AudioAction =
  | { type: 'track'; track: AudioTrack }
  | { type: 'sync'; state: Partial<AudioState> }
  | { type: 'waiting' }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'stop' }
  | { type: 'ended' }
  | { type: 'seeked'; position?: number }
  | { type: 'time'; position?: number; duration?: number; buffered?: number }
  | { type: 'error'; error: WxError }

/** The state of a player that has played nothing. */
export const IDLE_AUDIO_STATE: AudioState = {
  status: 'idle',
  src: '',
  title: '',
  singer: '',
  coverImgUrl: '',
  position: 0,
  duration: 0,
  buffered: 0,
  error: null,
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && isFinite(value) && value >= 0
}

function assign(state: AudioState, patch: Partial<AudioState>): AudioState {
  let changed = false
  for (const key in patch) {
    const k = key as keyof AudioState
    if (Object.prototype.hasOwnProperty.call(patch, k) && patch[k] !== state[k]) changed = true
  }
  if (!changed) return state
  const next = {} as Record<string, unknown>
  for (const key in state) next[key] = state[key as keyof AudioState]
  for (const key in patch) next[key] = patch[key as keyof AudioState]
  return next as unknown as AudioState
}

// Only these statuses can be interrupted by a buffering pause or move on by themselves.
function isActive(status: AudioStatus): boolean {
  return status === 'playing' || status === 'waiting'
}

/**
 * The next state after `action`. Pure; returns `state` itself when nothing changed, so a
 * store can emit only on change by comparing references.
 */
export function reduceAudio(state: AudioState, action: AudioAction): AudioState {
  switch (action.type) {
    case 'track': {
      const t = action.track
      return assign(IDLE_AUDIO_STATE, {
        status: 'waiting',
        src: t.src,
        title: t.title || '',
        singer: t.singer || '',
        coverImgUrl: t.coverImgUrl || '',
        position: isTime(t.startTime) ? t.startTime : 0,
      })
    }
    case 'sync':
      return assign(state, action.state)
    case 'waiting':
      return isActive(state.status) ? assign(state, { status: 'waiting' }) : state
    case 'play':
      return assign(state, { status: 'playing', error: null })
    case 'pause':
      return state.status === 'idle' || state.status === 'stopped' || state.status === 'ended'
        ? state
        : assign(state, { status: 'paused' })
    case 'stop':
      return state.status === 'idle' ? state : assign(state, { status: 'stopped', position: 0 })
    case 'ended':
      return assign(state, {
        status: 'ended',
        position: state.duration > 0 ? state.duration : state.position,
      })
    case 'seeked':
      return isTime(action.position) ? assign(state, { position: action.position }) : state
    case 'time': {
      const patch: Partial<AudioState> = {}
      if (isTime(action.duration) && action.duration > 0) patch.duration = action.duration
      if (isTime(action.buffered)) patch.buffered = action.buffered
      if (isTime(action.position)) {
        patch.position = action.position
        // Players do not always repeat onPlay after buffering; time moving on says it plays.
        if (state.status === 'waiting' && action.position > state.position) {
          patch.status = 'playing'
        }
      }
      return state.status === 'idle' ? state : assign(state, patch)
    }
    case 'error':
      return assign(state, { status: 'error', error: action.error })
    default:
      return state
  }
}
