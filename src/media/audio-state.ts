// The state of an audio player, shared by the background audio store and the inner audio
// player. It changes only through the reducer (audio-reducer.ts).
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

/** True while a track plays or loads: the statuses a pause applies to. */
export function isActive(status: AudioStatus): boolean {
  return status === 'playing' || status === 'waiting'
}

/** True while a track is loaded: playing, loading or paused (what a seek applies to). */
export function isLoaded(status: AudioStatus): boolean {
  return isActive(status) || status === 'paused'
}

/** True when there is nothing to pause or stop: idle, stopped or ended. */
export function isDone(status: AudioStatus): boolean {
  return status === 'idle' || status === 'stopped' || status === 'ended'
}
