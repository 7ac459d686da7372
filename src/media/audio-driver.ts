// The contract between the audio engine and a player driver: what the engine asks of a
// player, and what the driver tells the engine. Drivers: wx-player-driver.ts (the
// BackgroundAudioManager and InnerAudioContext objects), legacy-background-driver.ts (the
// playBackgroundAudio calls of base libraries < 1.2.0).
import type { AudioEvent } from './audio-reducer'
import type { AudioState, AudioTrack } from './audio-state'

/** Rejects the verb that called the driver (a failure the player reports asynchronously). */
export type DriverFailure = (error: unknown) => void

/**
 * What differs between players. A method that fails at once throws; one whose failure
 * arrives later reports it through `fail`. The engine waits for the event confirming each
 * call (see audio-engine.ts).
 */
export interface AudioDriver {
  /** Gives the player `track` (what it shows, then its source); playback starts. */
  load(track: AudioTrack, fail: DriverFailure): void
  /** Plays the loaded `track` on from where it was paused. */
  resume(track: AudioTrack, fail: DriverFailure): void
  /** Pauses. */
  pause(fail: DriverFailure): void
  /** Stops. */
  stop(fail: DriverFailure): void
  /** Moves to `position` seconds. */
  seek(position: number, fail: DriverFailure): void
  /** Whether someone subscribes to a playing store (the legacy driver polls only then). */
  watch(active: boolean): void
  /** Releases what the driver holds (listeners where the player has `off*`, a context). */
  dispose(): void
}

/** What a driver gets from the engine. */
export interface AudioDriverHost {
  /** Feeds the reducer with what the player reported. */
  dispatch(event: AudioEvent): void
  /** The current state. */
  getState(): AudioState
  /** The system player's "next" and "previous" buttons. */
  skip(direction: 'next' | 'previous'): void
}
