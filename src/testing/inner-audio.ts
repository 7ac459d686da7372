// `wx.createInnerAudioContext()`: independent SimPlayers on the host's clock, with on*/off*
// pairs kept in the host registry as `InnerAudioContext#<n>.<Event>` and removed by destroy().
import { audioSourcesOf } from './audio-sources'
import type { HostContext } from './context'
import { PLAYER_EVENTS, SimPlayer, type PlayerState } from './player'

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

/** One context as the audio controls see it. */
export interface InnerAudioRecord {
  destroyed: boolean
  snapshot(): InnerAudioSnapshot
}

/** Adds createInnerAudioContext and setInnerAudioOption to `ctx.wx`; returns every context made. */
export function installInnerAudio(ctx: HostContext): InnerAudioRecord[] {
  const all: InnerAudioRecord[] = []
  let nextId = 1

  ctx.wx.createInnerAudioContext = (createOptions?: unknown) => {
    ctx.log('createInnerAudioContext', [createOptions])
    if (ctx.closed) throw new Error('createInnerAudioContext:fail host closed')
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
      for (const event of PLAYER_EVENTS) ctx.off(prefix + event)
    }
    for (const event of PLAYER_EVENTS) {
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
