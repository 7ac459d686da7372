// backgroundAudio: the app's one background player as a store, over BackgroundAudioManager
// (player-driver.ts) or the legacy playBackgroundAudio family (background-audio-legacy.ts).
import { getWx, getWxMember } from '../core/wx'
import { createAudioEngine, type AudioEngine } from './audio-engine'
import { STORE_OPTIONS, lazyStore, type AudioStore, type AudioStoreOptions } from './audio-store'
import { objectError } from '../core/check-legacy'
import { make } from './player-driver'

const NAME = 'backgroundAudio'

/** The background audio store: `AudioStore` plus `configure`. */
export interface BackgroundAudio extends AudioStore {
  /** Changes the deadlines of the verbs (for every later call). */
  configure(options: AudioStoreOptions): void
}

const settings: Required<AudioStoreOptions> = { timeout: 5000, loadTimeout: 15000 }
// The store's engine and the wx it was made with.
let engine: AudioEngine | undefined
let boundWx: unknown

function resolveEngine(): AudioEngine | Error {
  const w = getWx()
  if (engine && boundWx === w) return engine
  const manager = make('getBackgroundAudioManager')
  const legacy = manager instanceof Error
  // Neither the manager nor the legacy family (base library < 1.2.0): the manager's error.
  if (legacy && !getWxMember('playBackgroundAudio')) return manager
  // A new wx (a test installing another host): the old store can no longer hear its player.
  if (engine) engine.dispose()
  // BackgroundAudioManager has no off*: its driver registers its listeners once, when the
  // store is first used with this wx, and the store fans them out to any number of
  // subscribers.
  boundWx = w
  return (engine = createAudioEngine(NAME, settings, true, legacy ? undefined : manager))
}

function createBackgroundAudio(): BackgroundAudio {
  const store = lazyStore(resolveEngine) as BackgroundAudio
  store.configure = (options) => {
    const error = objectError(NAME + '.configure', options, STORE_OPTIONS, 'options')
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
