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
  let stopRequested = false
  let seekOnPlay = 0
  // The last position the player reported and when, to tell an end from a stop.
  let lastPosition = 0
  let lastPositionAt = 0
  let pollTimer: ReturnType<typeof setInterval> | undefined

  const notePosition = (position: number) => {
    lastPosition = position
    lastPositionAt = Date.now()
  }
  // One reading of the player: the state of music already playing when the store starts,
  // then time updates while a track is loaded.
  const read = () =>
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
      notePosition(clock.currentTime)
      const status = host.getState().status
      if (status === 'idle') reportPlaying(host, clock, reading.status === 1)
      else if (isLoaded(status)) host.dispatch({ type: 'time', clock })
    }, noop)

  const play = (track: AudioTrack, fail: DriverFailure) => {
    const options = { dataUrl: track.src, title: track.title, coverImgUrl: track.coverImgUrl }
    invoke('playBackgroundAudio', withoutUndefined(options)).then(noop, fail)
  }
  const seek = (position: number, fail: DriverFailure) => {
    invoke('seekBackgroundAudio', { position }).then(() => {
      notePosition(position)
      host.dispatch({ type: 'seeked', position })
    }, fail)
  }
  const call = (api: 'pauseBackgroundAudio' | 'stopBackgroundAudio', fail: DriverFailure) => {
    stopRequested = api === 'stopBackgroundAudio'
    invoke(api).then(noop, (error) => {
      stopRequested = false
      fail(error)
    })
  }

  listenAll(getWx() as object, {
    BackgroundAudioPlay() {
      stopRequested = false
      notePosition(host.getState().position)
      host.dispatch({ type: 'play' })
      if (seekOnPlay > 0) seek(seekOnPlay, noop)
      seekOnPlay = 0
      // One reading for the duration (not polling: that runs only while watched).
      read()
    },
    BackgroundAudioPause: () => host.dispatch({ type: 'pause' }),
    BackgroundAudioStop() {
      // The legacy API reports the end of a track as a stop. A stop nobody asked for, at the
      // position where the track ends, is an end.
      const state = host.getState()
      const position =
        state.status === 'playing'
          ? lastPosition + (Date.now() - lastPositionAt) / 1000
          : state.position
      const ended = !stopRequested && state.duration > 0 && position >= state.duration - END_SLACK
      stopRequested = false
      host.dispatch({ type: ended ? 'ended' : 'stop' })
    },
  })
  read()

  return {
    load(track, fail) {
      seekOnPlay = track.startTime || 0
      stopRequested = false
      play(track, fail)
    },
    // No resume call: play the same dataUrl again and go back to where it was paused.
    resume(track, fail) {
      seekOnPlay = host.getState().position
      play(track, fail)
    },
    pause: (fail) => call('pauseBackgroundAudio', fail),
    stop: (fail) => call('stopBackgroundAudio', fail),
    seek,
    watch(active) {
      if (!active) {
        if (pollTimer !== undefined) clearInterval(pollTimer)
        pollTimer = undefined
      } else if (pollTimer === undefined) {
        pollTimer = setInterval(read, POLL_INTERVAL)
      }
    },
    // Nothing to release: the three events have no off, and the engine stops the polling.
    dispose: noop,
  }
}
