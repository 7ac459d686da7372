// The background player of the host: `getBackgroundAudioManager()` (one object per app, no
// off*) and the legacy background audio API drive ONE SimPlayer, as WeChat has one background
// player per app. Events go to `BackgroundAudioManager.<Event>` and, for play/pause/stop/end,
// to the legacy `BackgroundAudio<Event>` listeners.
import { audioSourcesOf } from './audio-sources'
import type { HostContext } from './context'
import { requireNumber, requireString } from './params'
import { PLAYER_EVENTS, SimPlayer, type PlayerEvent, type PlayerState } from './player'

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

const LEGACY_EVENTS: Partial<Record<PlayerEvent, string>> = {
  Play: 'BackgroundAudioPlay',
  Pause: 'BackgroundAudioPause',
  Stop: 'BackgroundAudioStop',
  // WeChat's legacy API reports the natural end as a stop.
  Ended: 'BackgroundAudioStop',
}

/**
 * How the manager's `onX` keep callbacks: `all` adds each one (recent clients), `last` keeps
 * only the callback set last for each event (older clients: a second `onPlay` replaces the
 * first).
 */
export type ManagerCallbackMode = 'all' | 'last'

/** Adds the background audio members to `ctx.wx`; returns its player and a snapshot reader. */
export function installBackgroundAudio(
  ctx: HostContext,
  callbackMode: ManagerCallbackMode = 'all',
) {
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
  ctx.track({ close: () => player.destroy() })

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
    for (const event of [...PLAYER_EVENTS, 'Next', 'Prev']) {
      m['on' + event] = (listener: (...args: any[]) => void) => {
        ctx.log('BackgroundAudioManager.on' + event, [listener])
        // `last`: the manager keeps one callback per event, as older clients do.
        if (callbackMode === 'last') ctx.off('BackgroundAudioManager.' + event)
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
    if (ctx.closed) throw new Error('getBackgroundAudioManager:fail host closed')
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
