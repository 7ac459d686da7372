// Audio playback of the host: `getBackgroundAudioManager()` and the legacy background audio
// API over ONE simulated player (as WeChat has one background player per app), and
// `createInnerAudioContext()` instances, each with its own player. Durations, failures and
// timing come from AudioSources (player.ts), shared with playVoice (media).
//
// Listeners live in the host's registry, so `host.listenerCount()` sees them:
// `BackgroundAudioManager.Play` (no off*, as in WeChat), `BackgroundAudioPlay` (legacy
// `wx.onBackgroundAudioPlay`, no off* either), `InnerAudioContext#<n>.Play` (with off*,
// removed by destroy()).
import type { HostContext } from './context'
import { requireNumber, requireString } from './params'
import {
  AUDIO_ERROR_MESSAGES,
  audioSourcesOf,
  SimPlayer,
  type PlayerEvent,
  type PlayerState,
} from './player'

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
}

/** What the background player holds now (including what WeChat does not read back). */
export interface BackgroundAudioSnapshot {
  src: string
  state: PlayerState
  paused: boolean
  currentTime: number
  duration: number
  playbackRate: number
  startTime: number
  title: string
  epname: string
  singer: string
  coverImgUrl: string
  webUrl: string
  protocol: string
}

/** One InnerAudioContext as the host sees it. */
export interface InnerAudioSnapshot {
  id: number
  src: string
  state: PlayerState
  paused: boolean
  currentTime: number
  duration: number
  autoplay: boolean
  loop: boolean
  volume: number
  destroyed: boolean
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

const EVENTS: PlayerEvent[] = [
  'Canplay',
  'Play',
  'Pause',
  'Stop',
  'Ended',
  'TimeUpdate',
  'Waiting',
  'Error',
  'Seeking',
  'Seeked',
]

/** Adds the audio members to `ctx.wx`. */
export function installAudio(ctx: HostContext, options: AudioHostOptions): AudioHostControls {
  const sources = audioSourcesOf(ctx)
  for (const [src, seconds] of Object.entries(options.durations ?? {}))
    sources.durations.set(src, seconds)
  if (options.defaultDuration !== undefined) sources.defaultDuration = options.defaultDuration
  if (options.timeUpdateInterval !== undefined)
    sources.timeUpdateInterval = Math.max(1, options.timeUpdateInterval)
  if (options.loadTime !== undefined) sources.loadTime = Math.max(0, options.loadTime)

  const background = installBackgroundAudio(ctx)
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

// ---- background audio ----------------------------------------------------------------------

const LEGACY_EVENTS: Partial<Record<PlayerEvent, string>> = {
  Play: 'BackgroundAudioPlay',
  Pause: 'BackgroundAudioPause',
  Stop: 'BackgroundAudioStop',
  // WeChat's legacy API reports the natural end as a stop.
  Ended: 'BackgroundAudioStop',
}

function installBackgroundAudio(ctx: HostContext) {
  const meta = {
    title: '',
    epname: '',
    singer: '',
    coverImgUrl: '',
    webUrl: '',
    protocol: 'http',
    startTime: 0,
    referrerPolicy: 'origin',
    audioType: 'audio',
    referrerPath: '',
  }
  const player = new SimPlayer(
    ctx,
    audioSourcesOf(ctx).config((event, payload) => {
      ctx.emit('BackgroundAudioManager.' + event, payload)
      const legacy = LEGACY_EVENTS[event]
      if (legacy) ctx.emit(legacy)
    }),
  )
  let manager: Record<string, unknown> | undefined

  const makeManager = () => {
    const m: Record<string, unknown> = {}
    const call = (name: string, args: unknown[], fn: () => void) => {
      ctx.log('BackgroundAudioManager.' + name, args)
      if (!ctx.closed) fn()
    }
    m.play = () => call('play', [], () => player.play())
    m.pause = () => call('pause', [], () => player.pause())
    m.stop = () => call('stop', [], () => player.stop())
    m.seek = (position: number) => call('seek', [position], () => player.seek(position))
    for (const event of [...EVENTS, 'Next', 'Prev']) {
      m['on' + event] = (listener: (...args: any[]) => void) => {
        ctx.log('BackgroundAudioManager.on' + event, [listener])
        ctx.on('BackgroundAudioManager.' + event, listener)
      }
    }
    const stored = (key: keyof typeof meta, readBack = true) => ({
      enumerable: true,
      get: () => (readBack ? meta[key] : undefined),
      set: (value: unknown) => {
        ctx.log('BackgroundAudioManager.' + key, [value])
        ;(meta as Record<string, unknown>)[key] =
          key === 'startTime' ? Number(value) || 0 : String(value ?? '')
      },
    })
    Object.defineProperties(m, {
      src: {
        enumerable: true,
        get: () => player.src,
        set: (value: unknown) => {
          ctx.log('BackgroundAudioManager.src', [value])
          if (ctx.closed) return
          const src = typeof value === 'string' ? value : ''
          if (src === '') {
            player.stop()
            return
          }
          if (!meta.title) {
            // WeChat refuses to start the native player without a title.
            player.src = src
            ctx.later(() =>
              ctx.emit('BackgroundAudioManager.Error', {
                errCode: -1,
                errMsg: 'setBackgroundAudioState:fail title is nil!',
              }),
            )
            return
          }
          player.load(src, meta.startTime, true)
        },
      },
      // WeChat does not report title and coverImgUrl back (see DESIGN.md).
      title: stored('title', false),
      coverImgUrl: stored('coverImgUrl', false),
      epname: stored('epname'),
      singer: stored('singer'),
      webUrl: stored('webUrl'),
      protocol: stored('protocol'),
      startTime: stored('startTime'),
      referrerPolicy: stored('referrerPolicy'),
      audioType: stored('audioType'),
      referrerPath: stored('referrerPath'),
      playbackRate: {
        enumerable: true,
        get: () => player.playbackRate,
        set: (value: number) => player.setPlaybackRate(Number(value)),
      },
      duration: { enumerable: true, get: () => player.duration },
      currentTime: { enumerable: true, get: () => player.currentTime },
      paused: { enumerable: true, get: () => player.paused },
      buffered: { enumerable: true, get: () => player.buffered },
    })
    return m
  }

  ctx.wx.getBackgroundAudioManager = () => {
    ctx.log('getBackgroundAudioManager', [])
    if (!manager) manager = makeManager()
    return manager
  }

  ctx.defineAsync('playBackgroundAudio', (o, settle) => {
    const dataUrl = requireString(o, 'dataUrl')
    meta.title = typeof o.title === 'string' ? o.title : ''
    meta.coverImgUrl = typeof o.coverImgUrl === 'string' ? o.coverImgUrl : ''
    const info = player.load(dataUrl, 0, true)
    if ('errCode' in info) settle.fail(info.errMsg)
    else settle.ok({})
  })
  ctx.defineAsync('pauseBackgroundAudio', (_o, settle) => {
    player.pause()
    settle.ok({})
  })
  ctx.defineAsync('stopBackgroundAudio', (_o, settle) => {
    player.stop()
    settle.ok({})
  })
  ctx.defineAsync('seekBackgroundAudio', (o, settle) => {
    player.seek(requireNumber(o, 'position'))
    settle.ok({})
  })
  ctx.defineAsync('getBackgroundAudioPlayerState', (_o, settle) => {
    const state = player.state
    if (state === 'idle' || state === 'stopped' || state === 'ended' || state === 'error') {
      settle.ok({ status: 2 })
      return
    }
    settle.ok({
      status: player.paused ? 0 : 1,
      duration: player.duration,
      currentPosition: player.currentTime,
      downloadPercent: state === 'loading' ? 0 : 100,
      dataUrl: player.src,
    })
  })
  for (const event of ['Play', 'Pause', 'Stop'])
    ctx.defineListener('BackgroundAudio' + event, false)

  const snapshot = (): BackgroundAudioSnapshot => ({
    src: player.src,
    state: player.state,
    paused: player.paused,
    currentTime: player.currentTime,
    duration: player.duration,
    playbackRate: player.playbackRate,
    startTime: meta.startTime,
    title: meta.title,
    epname: meta.epname,
    singer: meta.singer,
    coverImgUrl: meta.coverImgUrl,
    webUrl: meta.webUrl,
    protocol: meta.protocol,
  })
  return { player, snapshot }
}

// ---- inner audio ---------------------------------------------------------------------------

interface InnerAudioRecord {
  destroyed: boolean
  snapshot(): InnerAudioSnapshot
}

function installInnerAudio(ctx: HostContext): InnerAudioRecord[] {
  const all: InnerAudioRecord[] = []
  let nextId = 1

  ctx.wx.createInnerAudioContext = (createOptions?: unknown) => {
    ctx.log('createInnerAudioContext', [createOptions])
    const id = nextId++
    const prefix = 'InnerAudioContext#' + id + '.'
    const settings = {
      autoplay: false,
      startTime: 0,
      volume: 1,
      obeyMuteSwitch: true,
      referrerPolicy: 'origin',
    }
    const player = new SimPlayer(
      ctx,
      audioSourcesOf(ctx).config((event, payload) => ctx.emit(prefix + event, payload)),
    )
    const record: InnerAudioRecord = {
      destroyed: false,
      snapshot: () => ({
        id,
        src: player.src,
        state: player.state,
        paused: player.paused,
        currentTime: player.currentTime,
        duration: player.duration,
        autoplay: settings.autoplay,
        loop: player.loop,
        volume: settings.volume,
        destroyed: record.destroyed,
      }),
    }
    all.push(record)
    const live = () => !record.destroyed && !ctx.closed
    const audio: Record<string, unknown> = {}
    const method = (name: string, fn: (...args: any[]) => void) => {
      audio[name] = (...args: any[]) => {
        ctx.log('InnerAudioContext.' + name, args)
        if (live()) fn(...args)
      }
    }
    method('play', () => {
      if (player.state === 'idle') {
        ctx.later(() => ctx.emit(prefix + 'Error', { errCode: -1, errMsg: 'src is empty' }))
        return
      }
      player.play()
    })
    method('pause', () => player.pause())
    method('stop', () => player.stop())
    method('seek', (position: number) => player.seek(position))
    audio.destroy = () => {
      ctx.log('InnerAudioContext.destroy', [])
      if (record.destroyed) return
      record.destroyed = true
      untrack()
      player.destroy()
      for (const event of EVENTS) ctx.off(prefix + event)
    }
    for (const event of EVENTS) {
      audio['on' + event] = (listener: (...args: any[]) => void) => {
        ctx.log('InnerAudioContext.on' + event, [listener])
        if (live()) ctx.on(prefix + event, listener)
      }
      audio['off' + event] = (listener?: (...args: any[]) => void) => {
        ctx.log('InnerAudioContext.off' + event, [listener])
        ctx.off(prefix + event, listener)
      }
    }
    const setting = (key: keyof typeof settings, coerce: (v: unknown) => any) => ({
      enumerable: true,
      get: () => settings[key],
      set: (value: unknown) => {
        ctx.log('InnerAudioContext.' + key, [value])
        ;(settings as Record<string, unknown>)[key] = coerce(value)
      },
    })
    Object.defineProperties(audio, {
      src: {
        enumerable: true,
        get: () => player.src,
        set: (value: unknown) => {
          ctx.log('InnerAudioContext.src', [value])
          if (!live()) return
          const src = typeof value === 'string' ? value : ''
          if (src === '') player.destroy()
          else player.load(src, settings.startTime, settings.autoplay)
        },
      },
      autoplay: {
        enumerable: true,
        get: () => settings.autoplay,
        set: (value: unknown) => {
          ctx.log('InnerAudioContext.autoplay', [value])
          settings.autoplay = Boolean(value)
          // `src` then `autoplay` in the same tick still plays, as in WeChat.
          if (settings.autoplay && player.state === 'loading' && live()) player.play()
        },
      },
      startTime: setting('startTime', (v) => Number(v) || 0),
      volume: setting('volume', (v) => Math.max(0, Math.min(1, Number(v)))),
      obeyMuteSwitch: setting('obeyMuteSwitch', Boolean),
      referrerPolicy: setting('referrerPolicy', String),
      loop: {
        enumerable: true,
        get: () => player.loop,
        set: (value: unknown) => {
          player.loop = Boolean(value)
        },
      },
      playbackRate: {
        enumerable: true,
        get: () => player.playbackRate,
        set: (value: unknown) => player.setPlaybackRate(Number(value)),
      },
      duration: { enumerable: true, get: () => player.duration },
      currentTime: { enumerable: true, get: () => player.currentTime },
      paused: { enumerable: true, get: () => player.paused },
      buffered: { enumerable: true, get: () => player.buffered },
    })
    const untrack = ctx.track({ close: () => player.destroy() })
    return audio
  }

  ctx.defineAsync('setInnerAudioOption', (_o, settle) => settle.ok({}))
  return all
}
