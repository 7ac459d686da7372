import type { Subscription } from 'rxjs'
import { notSupported, toWxError } from '../core/errors'
import { fromWxEvent } from '../core/from-wx-event'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import type { AudioAction, AudioTrack } from './audio-state'
import {
  createAudioEngine,
  lazyStore,
  playerError,
  readStoreOptions,
  type AudioDriver,
  type AudioDriverHost,
  type AudioEngine,
  type AudioStore,
  type AudioStoreOptions,
} from './audio-store'

const NAME = 'backgroundAudio'

/** The background audio store: `AudioStore` plus `configure`. */
export interface BackgroundAudio extends AudioStore {
  /** Changes the deadlines of the verbs (for every later call). */
  configure(options: AudioStoreOptions): void
}

type Manager = WechatMiniprogram.BackgroundAudioManager
type Listen = (listener: (result?: unknown) => void) => void

// BackgroundAudioManager has no off*: the driver registers its listeners once, when the store
// is first used with this wx, and the store fans them out to any number of subscribers.
function managerDriver(m: Manager, host: AudioDriverHost): AudioDriver {
  const time = (): AudioAction => ({
    type: 'time',
    position: m.currentTime,
    duration: m.duration,
    buffered: m.buffered,
  })
  const on = (name: string, listener: (result?: unknown) => void) => {
    const fn = (m as unknown as Record<string, unknown>)[name]
    if (typeof fn === 'function') (fn as Listen).call(m, listener)
  }
  on('onCanplay', () => host.dispatch(time()))
  on('onWaiting', () => host.dispatch({ type: 'waiting' }))
  on('onPlay', () => {
    host.dispatch(time())
    host.dispatch({ type: 'play' })
  })
  on('onPause', () => host.dispatch({ type: 'pause' }))
  on('onStop', () => host.dispatch({ type: 'stop' }))
  on('onEnded', () => {
    host.dispatch(time())
    host.dispatch({ type: 'ended' })
  })
  on('onTimeUpdate', () => host.dispatch(time()))
  on('onSeeked', () => host.dispatch({ type: 'seeked', position: m.currentTime }))
  on('onError', (result) => host.dispatch({ type: 'error', error: playerError(NAME, result) }))
  on('onNext', () => host.next())
  on('onPrev', () => host.previous())

  return {
    init() {
      // Music may already be playing (started by another page, or before a reload).
      if (!m.src) return
      host.dispatch({
        type: 'sync',
        state: {
          status: m.paused ? 'paused' : 'playing',
          src: m.src,
          title: m.title || '',
          singer: m.singer || '',
          coverImgUrl: m.coverImgUrl || '',
          position: m.currentTime || 0,
          duration: m.duration || 0,
          buffered: m.buffered || 0,
        },
      })
    },
    load(track) {
      m.title = track.title || ''
      m.singer = track.singer || ''
      m.coverImgUrl = track.coverImgUrl || ''
      if (track.epname !== undefined) m.epname = track.epname
      if (track.webUrl !== undefined) m.webUrl = track.webUrl
      m.startTime = track.startTime || 0
      // Setting src starts playback, so it goes last.
      m.src = track.src
    },
    resume: () => m.play(),
    pause: () => m.pause(),
    stop: () => m.stop(),
    seek: (position) => m.seek(position),
    watch: () => undefined,
    dispose: () => undefined,
  }
}

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
function legacyDriver(host: AudioDriverHost): AudioDriver {
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

const settings: Required<AudioStoreOptions> = readStoreOptions(NAME, undefined)
let bound: { host: object; engine: AudioEngine } | undefined

function resolveEngine(): AudioEngine | Error {
  const w = getWx() as unknown as Record<string, unknown> | undefined
  if (bound && bound.host === w) return bound.engine
  if (!w) return notSupported('getBackgroundAudioManager')
  let makeDriver: (host: AudioDriverHost) => AudioDriver
  if (typeof w.getBackgroundAudioManager === 'function') {
    let manager: Manager
    try {
      manager = (w.getBackgroundAudioManager as () => Manager)()
    } catch (error) {
      return toWxError('getBackgroundAudioManager', error)
    }
    if (!manager || typeof manager !== 'object') {
      return notSupported('getBackgroundAudioManager')
    }
    makeDriver = (host) => managerDriver(manager, host)
  } else if (typeof w.playBackgroundAudio === 'function') {
    makeDriver = legacyDriver
  } else {
    return notSupported('getBackgroundAudioManager')
  }
  // A new wx (a test installing another host): the old store can no longer hear its player.
  if (bound) bound.engine.dispose()
  bound = { host: w, engine: createAudioEngine(NAME, makeDriver, settings, true) }
  return bound.engine
}

function createBackgroundAudio(): BackgroundAudio {
  const store = lazyStore(resolveEngine) as BackgroundAudio
  store.configure = (options) => {
    const next = readStoreOptions(NAME + '.configure', options)
    if (options && options.timeout !== undefined) settings.timeout = next.timeout
    if (options && options.loadTimeout !== undefined) settings.loadTimeout = next.loadTimeout
  }
  return store
}

/**
 * The background audio player as a store: `state$` (current state first, then every change),
 * `getState()`, verbs that resolve when the player confirms (`play`, `pause`, `resume`,
 * `stop`, `seek`) and a small playlist (`queue`, `next`, `previous`, advancing by itself at
 * the end of a track; the system player's next/previous buttons work too).
 *
 * Built on first use over `wx.getBackgroundAudioManager()` (base library 1.2.0+), else over
 * the legacy `playBackgroundAudio` family, whose position is polled about once a second while
 * something plays and someone subscribes. Importing it does nothing. The manager reports
 * neither `title` nor `coverImgUrl` back, so the state keeps what `play` set. Background play
 * needs `"requiredBackgroundModes": ["audio"]` in app.json.
 *
 * Verbs reject with `TypeError` for bad input, `TimeoutError` when the player does not
 * confirm in time (`configure({ timeout, loadTimeout })`), `AbortError` when a later verb
 * made them moot (a `pause` while `play` waits), and the player's `WxError` on `onError`.
 *
 * @example
 * await backgroundAudio.play({ src: 'https://example.com/a.mp3', title: 'A' })
 * backgroundAudio.state$.subscribe(({ status, position, duration }) => this.setData({ status, position, duration }))
 */
export const backgroundAudio: BackgroundAudio = /*#__PURE__*/ createBackgroundAudio()
