// The background audio driver for base libraries before getBackgroundAudioManager (< 1.2.0).
import { noop } from 'rxjs'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import type { AudioDriver, AudioDriverHost } from './audio-engine'
import { ENDED, PAUSE, PLAY, PLAYING, SEEKED, STOP, isLoaded, time } from './audio-state'
import type { AudioTrack } from './audio-state'
import { defined } from './shorthands'
import { listenAll, syncPlaying } from './player-driver'

// The API before getBackgroundAudioManager (base library < 1.2): play/pause/seek/stop calls,
// three events without off, no time updates. Position comes from polling
// getBackgroundAudioPlayerState once a second, only while playing and watched.
export function legacyDriver(host: AudioDriverHost): AudioDriver {
  let stopRequested = false
  let seekOnPlay = 0
  // The last position the player reported and when, to tell an end from a stop.
  let mark = 0
  let markedAt = 0
  // (`any`: a number in mini programs, an object in Node; clearInterval takes undefined)
  let pollTimer: any

  const setMark = (position: number) => {
    mark = position
    markedAt = Date.now()
  }
  // One read of the player: the state of music already playing when the store starts, then
  // time updates while a track is loaded.
  const read = () =>
    invoke('getBackgroundAudioPlayerState').then((r: any) => {
      // status 2: nothing plays
      if (!(r.status < 2)) return
      const status = host.getState().status
      // The reading in the shape of a player's fields (the reducer checks the numbers).
      const player = {
        src: r.dataUrl || '',
        currentTime: time(r.currentPosition) || 0,
        duration: r.duration,
        buffered: (r.duration * r.downloadPercent) / 100,
      }
      setMark(player.currentTime)
      if (status === 'idle') syncPlaying(host, player, r.status)
      else if (isLoaded(status)) host.dispatch('time', player)
    }, noop)
  const watch = (active: boolean) => {
    // (clearInterval returns undefined: the timer is forgotten)
    if (!active) pollTimer = clearInterval(pollTimer)
    else if (!pollTimer) pollTimer = setInterval(read, 1000)
  }
  const play = (track: AudioTrack, fail: (error: unknown) => void) => {
    invoke(
      'playBackgroundAudio',
      defined({ dataUrl: track.src, title: track.title, coverImgUrl: track.coverImgUrl }),
    ).then(noop, fail)
  }
  const seek = (position: number, fail: (error: unknown) => void) => {
    invoke('seekBackgroundAudio', { position }).then(() => {
      setMark(position)
      host.dispatch(SEEKED, position)
    }, fail)
  }

  listenAll(getWx(), {
    BackgroundAudioPlay() {
      stopRequested = false
      setMark(host.getState().position)
      host.dispatch(PLAY)
      if (seekOnPlay > 0) seek(seekOnPlay, noop)
      seekOnPlay = 0
      // One read for the duration (not polling: that runs only while watched).
      read()
    },
    BackgroundAudioPause: () => host.dispatch(PAUSE),
    BackgroundAudioStop() {
      // The legacy API reports the end of a track as a stop. A stop nobody asked for, at the
      // position where the track ends, is an end.
      const s = host.getState()
      const position = s.status === PLAYING ? mark + (Date.now() - markedAt) / 1000 : s.position
      const ended = !stopRequested && s.duration > 0 && position >= s.duration - 1.5
      stopRequested = false
      host.dispatch(ended ? ENDED : STOP)
    },
  })
  read()

  return (command, arg, fail) => {
    if (command === 'watch') return watch(arg)
    if (command === 'seek') return seek(arg, fail!)
    if (command === 'load' || command === PLAY) {
      // No resume call: play the same dataUrl again and go back to where it was paused.
      seekOnPlay = command === PLAY ? host.getState().position : arg.startTime || 0
      if (command === 'load') stopRequested = false
      return play(arg, fail!)
    }
    // Nothing to release on dispose: the three events have no off, and the engine stops the
    // polling.
    if (command === 'dispose') return
    stopRequested = command === STOP
    invoke(command + 'BackgroundAudio').then(noop, (error) => {
      stopRequested = false
      fail!(error)
    })
  }
}
