// The background audio driver for base libraries before getBackgroundAudioManager (< 1.2.0).
import type { Subscription } from 'rxjs'
import { fromWxEvent } from '../core/from-wx-event'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import type { AudioDriver, AudioDriverHost } from './audio-engine'
import type { AudioTrack } from './audio-state'

interface PlayerState {
  status?: number
  currentPosition?: number
  duration?: number
  downloadPercent?: number
  dataUrl?: string
}

function num(value: unknown): number {
  return typeof value === 'number' && isFinite(value) && value >= 0 ? value : 0
}

// The API before getBackgroundAudioManager (base library < 1.2): play/pause/seek/stop calls,
// three events without off, no time updates. Position comes from polling
// getBackgroundAudioPlayerState once a second, only while playing and watched.
export function legacyDriver(host: AudioDriverHost): AudioDriver {
  const w = getWx() as unknown as Record<string, unknown>
  const subscriptions: Subscription[] = []
  let stopRequested = false
  let seekOnPlay = 0
  // The last position the player reported and when, to tell an end from a stop.
  let mark = { position: 0, at: Date.now() }
  let watching = false
  let pollTimer: ReturnType<typeof setTimeout> | undefined
  let polling = false

  const isLoaded = () => {
    const status = host.getState().status
    return status === 'playing' || status === 'paused' || status === 'waiting'
  }
  const listen = (
    name: 'onBackgroundAudioPlay' | 'onBackgroundAudioPause' | 'onBackgroundAudioStop',
    fn: () => void,
  ) => {
    if (typeof w[name] === 'function') subscriptions.push(fromWxEvent(name).subscribe(() => fn()))
  }
  const readState = () => invoke('getBackgroundAudioPlayerState') as Promise<PlayerState>
  const read = () =>
    readState().then(
      (r) => {
        if ((r.status !== 0 && r.status !== 1) || !isLoaded()) return
        const duration = num(r.duration)
        mark = { position: num(r.currentPosition), at: Date.now() }
        host.dispatch({
          type: 'time',
          position: mark.position,
          duration,
          buffered: (duration * num(r.downloadPercent)) / 100,
        })
      },
      () => undefined,
    )
  const schedule = () => {
    pollTimer = setTimeout(() => {
      pollTimer = undefined
      polling = true
      read().then(() => {
        polling = false
        if (watching && !pollTimer) schedule()
      })
    }, 1000)
  }
  const trackOptions = (track: AudioTrack) => {
    const options: Record<string, unknown> = { dataUrl: track.src }
    if (track.title) options.title = track.title
    if (track.coverImgUrl) options.coverImgUrl = track.coverImgUrl
    return options
  }
  const seek = (position: number, fail: (error: unknown) => void) => {
    invoke('seekBackgroundAudio', { position }).then(() => {
      mark = { position, at: Date.now() }
      host.dispatch({ type: 'seeked', position })
    }, fail)
  }

  listen('onBackgroundAudioPlay', () => {
    stopRequested = false
    mark = { position: host.getState().position, at: Date.now() }
    host.dispatch({ type: 'play' })
    if (seekOnPlay > 0) seek(seekOnPlay, () => undefined)
    seekOnPlay = 0
    // One read for the duration (not polling: that runs only while watched).
    void read()
  })
  listen('onBackgroundAudioPause', () => host.dispatch({ type: 'pause' }))
  listen('onBackgroundAudioStop', () => {
    // The legacy API reports the end of a track as a stop. A stop nobody asked for, at the
    // position where the track ends, is an end.
    const s = host.getState()
    const position =
      s.status === 'playing' ? mark.position + (Date.now() - mark.at) / 1000 : s.position
    const ended = !stopRequested && s.duration > 0 && position >= s.duration - 1.5
    stopRequested = false
    host.dispatch({ type: ended ? 'ended' : 'stop' })
  })

  return {
    init() {
      readState().then(
        (r) => {
          if ((r.status !== 0 && r.status !== 1) || host.getState().status !== 'idle') return
          mark = { position: num(r.currentPosition), at: Date.now() }
          host.dispatch({
            type: 'sync',
            state: {
              status: r.status === 1 ? 'playing' : 'paused',
              src: typeof r.dataUrl === 'string' ? r.dataUrl : '',
              position: mark.position,
              duration: num(r.duration),
            },
          })
        },
        () => undefined,
      )
    },
    load(track, fail) {
      stopRequested = false
      seekOnPlay = track.startTime || 0
      invoke('playBackgroundAudio', trackOptions(track)).then(undefined, fail)
    },
    resume(track, fail) {
      // No resume call: play the same dataUrl again and go back to where it was paused.
      seekOnPlay = host.getState().position
      invoke('playBackgroundAudio', trackOptions(track)).then(undefined, fail)
    },
    pause(fail) {
      invoke('pauseBackgroundAudio').then(undefined, fail)
    },
    stop(fail) {
      stopRequested = true
      invoke('stopBackgroundAudio').then(undefined, (error) => {
        stopRequested = false
        fail(error)
      })
    },
    seek,
    watch(active) {
      watching = active
      if (active && !pollTimer && !polling) schedule()
      if (!active && pollTimer) {
        clearTimeout(pollTimer)
        pollTimer = undefined
      }
    },
    dispose() {
      subscriptions.forEach((s) => s.unsubscribe())
      this.watch(false)
    },
  }
}
