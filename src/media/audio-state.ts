// The state of an audio player and the pure reducer that changes it. Shared by the background
// audio store and the inner audio player: both are fed the same events by their drivers.
import type { WxError } from '../core/errors'
import { defined } from './shorthands'

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

/**
 * What a driver reports to the reducer, with its data: `track` (the track being loaded),
 * `time` (an object with `currentTime`, `duration` and `buffered`, such as the player
 * itself), `seeked` (the position), `error` (the `WxError`), or a bare player event.
 */
export type AudioEvent =
  'track' | 'time' | 'waiting' | 'play' | 'pause' | 'stop' | 'ended' | 'seeked' | 'error'

// Events and statuses that the reducer, the engine and the drivers share. (Constants: a
// literal would be repeated in the minified output at each use.)
export const PLAY = 'play'
export const PAUSE = 'pause'
export const STOP = 'stop'
export const ENDED = 'ended'
export const SEEKED = 'seeked'
export const PLAYING = 'playing'
export const PAUSED = 'paused'
export const WAITING = 'waiting'

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

/** A time the player reported, when it is one (players report NaN or nothing before they know). */
export const time = (value: unknown) =>
  typeof value === 'number' && isFinite(value) && value >= 0 ? value : undefined

/** True while a track plays or loads: the statuses a buffering pause or a seek applies to. */
export const isActive = (status: AudioStatus) => status === PLAYING || status === WAITING

/** True while a track is loaded: playing, loading or paused (what a seek applies to). */
export const isLoaded = (status: AudioStatus) => isActive(status) || status === PAUSED

/** True when there is nothing to pause or stop: idle, stopped or ended. */
export const isDone = (status: AudioStatus) => /idle|stop|end/.test(status)

/**
 * The next state after the player reported `event` with `data`. Pure; returns `state` itself
 * when nothing changed, so a store can emit only on change by comparing references.
 */
export function reduceAudio(state: AudioState, event: AudioEvent, data?: any): AudioState {
  const status = state.status
  let patch: Partial<AudioState> | false =
    event === 'track'
      ? {
          ...IDLE_AUDIO_STATE,
          status: WAITING,
          src: data.src,
          title: data.title || '',
          singer: data.singer || '',
          coverImgUrl: data.coverImgUrl || '',
          position: data.startTime || 0,
        }
      : event === WAITING
        ? isActive(status) && { status: event }
        : event === PLAY
          ? { status: PLAYING, error: null }
          : event === PAUSE
            ? !isDone(status) && { status: PAUSED }
            : event === STOP
              ? status !== 'idle' && { status: 'stopped', position: 0 }
              : event === ENDED
                ? { status: event, position: state.duration || state.position }
                : event === SEEKED
                  ? { position: time(data) }
                  : event === 'error'
                    ? { status: event, error: data }
                    : status !== 'idle' && {
                        duration: time(data.duration) || undefined,
                        buffered: time(data.buffered),
                        position: time(data.currentTime),
                      }
  if (patch) {
    patch = defined(patch)
    // Players do not always repeat onPlay after buffering; time moving on says it plays.
    if (event === 'time' && status === WAITING && patch.position! > state.position) {
      patch.status = PLAYING
    }
    for (const key in patch) {
      const k = key as keyof AudioState
      if (patch[k] !== state[k]) return { ...state, ...patch }
    }
  }
  return state
}
