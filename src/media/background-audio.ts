// backgroundAudio: the app's one background player as a store, over BackgroundAudioManager
// (wx-player-driver.ts) or the legacy playBackgroundAudio family
// (legacy-background-driver.ts).
import { optionsError } from '../core/check'
import { getWx, getWxMember } from '../core/wx'
import { AudioEngine } from './audio-engine'
import { STORE_OPTIONS, lazyStore, type AudioStore, type AudioStoreOptions } from './audio-store'
import { legacyBackgroundDriver } from './legacy-background-driver'
import { createWxObject } from './wx-object'
import { backgroundPlayerDriver, type BackgroundPlayer } from './wx-player-driver'

const NAME = 'backgroundAudio'

/** The background audio store: `AudioStore` plus `configure`. */
export interface BackgroundAudio extends AudioStore {
  /** Changes the deadlines of the verbs (for every later call). */
  configure(options: AudioStoreOptions): void
}

const deadlines: Required<AudioStoreOptions> = { timeout: 5000, loadTimeout: 15000 }
// The store's engine and the wx it was made with.
let engine: AudioEngine | undefined
let engineWx: unknown

function resolveEngine(): AudioEngine | Error {
  const wx = getWx()
  if (engine && engineWx === wx) return engine
  const manager = createWxObject<BackgroundPlayer>('getBackgroundAudioManager')
  // Neither the manager nor the legacy family (base library < 1.2.0): the manager's error.
  if (manager instanceof Error && !getWxMember('playBackgroundAudio')) return manager
  // A new wx (a test installing another host): the old store can no longer hear its player.
  if (engine) engine.dispose()
  engineWx = wx
  engine = new AudioEngine({
    name: NAME,
    deadlines,
    requireTitle: true,
    createDriver: (host) =>
      manager instanceof Error
        ? legacyBackgroundDriver(host)
        : backgroundPlayerDriver(NAME, manager, host),
  })
  return engine
}

function createBackgroundAudio(): BackgroundAudio {
  return { ...lazyStore(resolveEngine), configure }
}

function configure(options: AudioStoreOptions): void {
  const error = optionsError(NAME + '.configure', options, STORE_OPTIONS)
  if (error) throw error
  if (options.timeout) deadlines.timeout = options.timeout
  if (options.loadTimeout) deadlines.loadTimeout = options.loadTimeout
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
 * The store owns the manager's callbacks: do not call `onPlay`, `onPause`, `onTimeUpdate`
 * or any other `onX` of `wx.getBackgroundAudioManager()` beside it. Older clients keep only
 * the last callback set per event, so yours would silence the store; listen to `state$`
 * instead.
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
