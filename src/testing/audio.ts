// Audio playback of the host: `getBackgroundAudioManager()` and the legacy background audio
// API over ONE simulated player (background-audio.ts), and `createInnerAudioContext()`
// instances, each with its own player (inner-audio.ts). Durations, failures and timing come
// from AudioSources (audio-sources.ts), shared with playVoice (voice.ts).
//
// Listeners live in the host's registry, so `host.listenerCount()` sees them:
// `BackgroundAudioManager.Play` (no off*, as in WeChat), `BackgroundAudioPlay` (legacy
// `wx.onBackgroundAudioPlay`, no off* either), `InnerAudioContext#<n>.Play` (with off*,
// removed by destroy()).
import { AUDIO_ERROR_MESSAGES, audioSourcesOf } from './audio-sources'
import {
  installBackgroundAudio,
  type BackgroundAudioSnapshot,
  type ManagerCallbackMode,
} from './background-audio'
import type { HostContext } from './context'
import { installInnerAudio, type InnerAudioSnapshot } from './inner-audio'

/** Options of the audio part of the host. */
export interface AudioHostOptions {
  /** Seconds each src plays, by src. Sandbox WAV/AAC/MP3 files otherwise play their real length. */
  durations?: Record<string, number>
  /** Seconds a src plays when nothing else says. @default 180 */
  defaultDuration?: number
  /** Milliseconds between `onTimeUpdate` events while playing. @default 250 */
  timeUpdateInterval?: number
  /** Milliseconds a src takes to load (`onWaiting` then `onCanplay`); 0 loads at once. @default 0 */
  loadTime?: number
  /**
   * How `BackgroundAudioManager`'s `onX` keep callbacks: `'all'` adds each (recent clients),
   * `'last'` keeps only the one set last per event (older clients). @default 'all'
   */
  managerCallbacks?: ManagerCallbackMode
}

/** Test controls of the audio part of the host. */
export interface AudioHostControls {
  /** Sets how many seconds `src` plays (for later loads). */
  setDuration(src: string, seconds: number): void
  /** Makes `src` fail when loaded, with WeChat's errCode (10001..10004, -1). @default errCode 10002 */
  failSrc(src: string, error?: { errCode?: number; errMsg?: string }): void
  /** The background player's state and metadata. */
  background(): BackgroundAudioSnapshot
  /** The user tapped "next" in the system player: fires `onNext`. */
  next(): void
  /** The user tapped "previous" in the system player: fires `onPrev`. */
  prev(): void
  /** The background source runs out of data for `ms`: `onWaiting`, then `onCanplay` and play on. */
  stall(ms: number): void
  /** InnerAudioContexts created and not destroyed. */
  innerAudioCount(): number
  /** Every InnerAudioContext created, destroyed ones included. */
  innerAudio(): InnerAudioSnapshot[]
}

/** Adds the audio members to `ctx.wx`. */
export function installAudio(ctx: HostContext, options: AudioHostOptions): AudioHostControls {
  const sources = audioSourcesOf(ctx)
  for (const [src, seconds] of Object.entries(options.durations ?? {}))
    sources.durations.set(src, seconds)
  if (options.defaultDuration !== undefined) sources.defaultDuration = options.defaultDuration
  if (options.timeUpdateInterval !== undefined)
    sources.timeUpdateInterval = Math.max(1, options.timeUpdateInterval)
  if (options.loadTime !== undefined) sources.loadTime = Math.max(0, options.loadTime)

  const background = installBackgroundAudio(ctx, options.managerCallbacks ?? 'all')
  const inner = installInnerAudio(ctx)

  return {
    setDuration(src, seconds) {
      sources.durations.set(src, seconds)
    },
    failSrc(src, error = {}) {
      const errCode = error.errCode ?? 10002
      sources.failing.set(src, {
        errCode,
        errMsg: error.errMsg ?? AUDIO_ERROR_MESSAGES[errCode] ?? 'unknown error',
      })
    },
    background: background.snapshot,
    next: () => ctx.emit('BackgroundAudioManager.Next'),
    prev: () => ctx.emit('BackgroundAudioManager.Prev'),
    stall: (ms) => background.player.stall(ms),
    innerAudioCount: () => inner.filter((c) => !c.destroyed).length,
    innerAudio: () => inner.map((c) => c.snapshot()),
  }
}

export type { BackgroundAudioSnapshot, InnerAudioSnapshot, ManagerCallbackMode }
