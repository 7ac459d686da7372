// backgroundAudio: the app's one background player as a store, over BackgroundAudioManager
// (driver below) or the legacy playBackgroundAudio family (background-audio-legacy.ts).
import { notSupported, toWxError } from '../core/errors'
import { getWx } from '../core/wx'
import {
  createAudioEngine,
  playerError,
  type AudioDriver,
  type AudioDriverHost,
  type AudioEngine,
} from './audio-engine'
import type { AudioAction } from './audio-state'
import { lazyStore, readStoreOptions, type AudioStore, type AudioStoreOptions } from './audio-store'
import { legacyDriver } from './background-audio-legacy'

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
      // Reset what the previous track set, so nothing of it shows with this one.
      m.epname = track.epname || ''
      m.webUrl = track.webUrl || ''
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
