// The background audio driver for base libraries before getBackgroundAudioManager (< 1.2.0):
// play/pause/seek/stop calls, three events without off, no time updates. The position comes
// from polling getBackgroundAudioPlayerState once a second, only while a track plays and
// someone subscribes.
import { noop } from 'rxjs'
import { invoke } from '../core/promisify'
import { withoutUndefined } from '../core/without-undefined'
import { getWx } from '../core/wx'
import type { AudioDriver, AudioDriverHost, DriverFailure } from './audio-driver'
import { isLoaded, type AudioTrack } from './audio-state'
import { listenAll } from './wx-object'
import { reportPlaying } from './wx-player-driver'

/** What `getBackgroundAudioPlayerState` reports; `status` 2 means nothing plays. */
interface LegacyPlayerState {
  status: number
  dataUrl?: string
  currentPosition?: number
  duration?: number
  downloadPercent?: number
}

const POLL_INTERVAL = 1000
// Within this many seconds of the end, a stop nobody asked for is the end of the track.
const END_SLACK = 1.5

/** The driver over the legacy background audio calls. */
export function legacyBackgroundDriver(host: AudioDriverHost): AudioDriver {
  const driver = new LegacyBackgroundDriver(host)
  driver.listen()
  driver.read()
  return driver
}

class LegacyBackgroundDriver implements AudioDriver {
  private stopRequested = false
  private seekOnPlay = 0
  // The last position the player reported and when, to tell an end from a stop.
  private lastPosition = 0
  private lastPositionAt = 0
  private pollTimer: ReturnType<typeof setInterval> | undefined

  constructor(private readonly host: AudioDriverHost) {}

  load(track: AudioTrack, fail: DriverFailure): void {
    this.seekOnPlay = track.startTime || 0
    this.stopRequested = false
    this.play(track, fail)
  }

  // No resume call: play the same dataUrl again and go back to where it was paused.
  resume(track: AudioTrack, fail: DriverFailure): void {
    this.seekOnPlay = this.host.getState().position
    this.play(track, fail)
  }

  pause(fail: DriverFailure): void {
    this.call('pauseBackgroundAudio', fail)
  }

  stop(fail: DriverFailure): void {
    this.call('stopBackgroundAudio', fail)
  }

  seek(position: number, fail: DriverFailure): void {
    invoke('seekBackgroundAudio', { position }).then(() => {
      this.notePosition(position)
      this.host.dispatch({ type: 'seeked', position })
    }, fail)
  }

  watch(active: boolean): void {
    if (!active) {
      if (this.pollTimer !== undefined) clearInterval(this.pollTimer)
      this.pollTimer = undefined
    } else if (this.pollTimer === undefined) {
      this.pollTimer = setInterval(() => this.read(), POLL_INTERVAL)
    }
  }

  // Nothing to release: the three events have no off, and the engine stops the polling.
  dispose(): void {}

  /** Listens to the three legacy events (for good: they have no off). */
  listen(): void {
    listenAll(getWx() as object, {
      BackgroundAudioPlay: () => this.onPlay(),
      BackgroundAudioPause: () => this.host.dispatch({ type: 'pause' }),
      BackgroundAudioStop: () => this.onStop(),
    })
  }

  /**
   * One reading of the player: the state of music already playing when the store starts,
   * then time updates while a track is loaded.
   */
  read(): void {
    invoke('getBackgroundAudioPlayerState').then((result) => {
      const reading = result as LegacyPlayerState
      if (!(reading.status < 2)) return
      const position = Number(reading.currentPosition)
      // The reading in the shape of a player's fields (the reducer checks the numbers).
      const clock = {
        src: reading.dataUrl || '',
        currentTime: isFinite(position) && position >= 0 ? position : 0,
        duration: reading.duration,
        buffered: (Number(reading.duration) * Number(reading.downloadPercent)) / 100,
      }
      this.notePosition(clock.currentTime)
      const status = this.host.getState().status
      if (status === 'idle') reportPlaying(this.host, clock, reading.status === 1)
      else if (isLoaded(status)) this.host.dispatch({ type: 'time', clock })
    }, noop)
  }

  private onPlay(): void {
    this.stopRequested = false
    this.notePosition(this.host.getState().position)
    this.host.dispatch({ type: 'play' })
    if (this.seekOnPlay > 0) this.seek(this.seekOnPlay, noop)
    this.seekOnPlay = 0
    // One reading for the duration (not polling: that runs only while watched).
    this.read()
  }

  // The legacy API reports the end of a track as a stop. A stop nobody asked for, at the
  // position where the track ends, is an end.
  private onStop(): void {
    const state = this.host.getState()
    const position =
      state.status === 'playing'
        ? this.lastPosition + (Date.now() - this.lastPositionAt) / 1000
        : state.position
    const ended =
      !this.stopRequested && state.duration > 0 && position >= state.duration - END_SLACK
    this.stopRequested = false
    this.host.dispatch({ type: ended ? 'ended' : 'stop' })
  }

  private notePosition(position: number): void {
    this.lastPosition = position
    this.lastPositionAt = Date.now()
  }

  private play(track: AudioTrack, fail: DriverFailure): void {
    const options = { dataUrl: track.src, title: track.title, coverImgUrl: track.coverImgUrl }
    invoke('playBackgroundAudio', withoutUndefined(options)).then(noop, fail)
  }

  private call(api: 'pauseBackgroundAudio' | 'stopBackgroundAudio', fail: DriverFailure): void {
    this.stopRequested = api === 'stopBackgroundAudio'
    invoke(api).then(noop, (error) => {
      this.stopRequested = false
      fail(error)
    })
  }
}
