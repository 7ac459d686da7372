// backgroundAudio: the app's one background player as a store, over BackgroundAudioManager
// (driver below) or the legacy playBackgroundAudio family (background-audio-legacy.ts).
import { getWx, getWxMember } from '../core/wx'
import {
  createAudioEngine,
  type AudioDriver,
  type AudioDriverHost,
  type AudioEngine,
} from './audio-engine'
import { STORE_OPTIONS, lazyStore, type AudioStore, type AudioStoreOptions } from './audio-store'
import { legacyDriver } from './background-audio-legacy'
import { checkObject } from './checks'
import { make, playerDriver, syncPlaying } from './player-driver'

const NAME = 'backgroundAudio'

/** The background audio store: `AudioStore` plus `configure`. */
export interface BackgroundAudio extends AudioStore {
  /** Changes the deadlines of the verbs (for every later call). */
  configure(options: AudioStoreOptions): void
}

const settings: Required<AudioStoreOptions> = { timeout: 5000, loadTimeout: 15000 }
let bound: { wx: unknown; engine: AudioEngine } | undefined

function resolveEngine(): AudioEngine | Error {
  const w = getWx()
  if (bound && bound.wx === w) return bound.engine
  const m = make('getBackgroundAudioManager')
  let makeDriver: (host: AudioDriverHost) => AudioDriver = legacyDriver
  if (!(m instanceof Error)) {
    // BackgroundAudioManager has no off*: the driver registers its listeners once, when the
    // store is first used with this wx, and the store fans them out to any number of
    // subscribers.
    makeDriver = (host) => {
      if (m.src) syncPlaying(host, m, !m.paused)
      return playerDriver(NAME, m, host, true)
    }
  } else if (!getWxMember('playBackgroundAudio')) {
    // Neither the manager nor the legacy family (base library < 1.2.0).
    return m
  }
  // A new wx (a test installing another host): the old store can no longer hear its player.
  if (bound) bound.engine.dispose()
  bound = { wx: w, engine: createAudioEngine(NAME, makeDriver, settings, true) }
  return bound.engine
}

function createBackgroundAudio(): BackgroundAudio {
  const store = lazyStore(resolveEngine) as BackgroundAudio
  store.configure = (options) => {
    const error = checkObject(NAME + '.configure', options, STORE_OPTIONS, 'options')
    if (error) throw error
    for (const key in STORE_OPTIONS) {
      const value = options[key as 'timeout']
      if (value) settings[key as 'timeout'] = value
    }
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
