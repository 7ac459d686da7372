// The driver over the two player objects of wx that share their methods and events
// (BackgroundAudioManager and InnerAudioContext), and what playVoice and record$ reuse.
import { notSupported, toWxError } from '../core/errors'
import { getWxMember } from '../core/wx'
import type { AudioDriver, AudioDriverHost } from './audio-engine'
import { PAUSE, PLAY, SEEKED } from './audio-state'

type Listener = (result?: unknown) => void

/** Registers each handler with `onX`; the function returned removes exactly those with `offX`. */
export function listenAll(target: any, handlers: Record<string, Listener>): () => void {
  const added: string[] = []
  for (const event in handlers) {
    if (typeof target['on' + event] === 'function') {
      target['on' + event](handlers[event])
      added.push(event)
    }
  }
  return () =>
    added.forEach((event) => {
      if (typeof target['off' + event] === 'function') target['off' + event](handlers[event])
    })
}

/**
 * What the wx factory `name` makes (a player, a recorder, a context), or the error saying why
 * there is none: not supported when wx lacks it, or what it threw (a closed test host) as a
 * `WxError` of `api`.
 */
export function make(name: string, api = name, arg?: object): any {
  const factory = getWxMember(name)
  try {
    return (factory && factory.fn.call(factory.host, arg)) || notSupported(name)
  } catch (error) {
    return toWxError(api, error)
  }
}

/**
 * Puts what a player already plays in the state (music started by another page, or before a
 * reload): `player` has `src` and the time fields.
 */
export function syncPlaying(host: AudioDriverHost, player: any, playing: unknown): void {
  host.dispatch('track', player)
  host.dispatch('time', player)
  host.dispatch(playing ? PLAY : PAUSE)
}

/**
 * The driver over `player`, a BackgroundAudioManager (`background`) or an InnerAudioContext:
 * its events feed `host`; dispose removes its listeners (where it has `off*`) and destroys a
 * context.
 */
export function playerDriver(
  api: string,
  player: any,
  host: AudioDriverHost,
  background?: boolean,
): AudioDriver {
  const time = () => host.dispatch('time', player)
  const handlers: Record<string, Listener> = {
    Canplay: time,
    TimeUpdate: time,
    Seeked: () => host.dispatch(SEEKED, player.currentTime),
    // onError gives `{ errMsg, errCode }`: the WxError keeps wx's errMsg, the result as cause
    Error: (result) => host.dispatch('error', toWxError(api, result)),
    // the system player's buttons (BackgroundAudioManager only)
    Next: () => host.move(1),
    Prev: () => host.move(-1),
  }
  ;['Waiting', 'Pause', 'Stop', 'Play', 'Ended'].forEach((event, i) => {
    handlers[event] = () => {
      // Play and Ended carry the duration and position the state needs.
      if (i > 2) time()
      host.dispatch(event.toLowerCase() as 'play')
    }
  })
  const unlisten = listenAll(player, handlers)
  // Music may already be playing (started by another page, or before a reload).
  if (background && player.src) syncPlaying(host, player, !player.paused)
  return (command, arg) => {
    if (command === 'load') {
      // What the system player shows: reset what the previous track set, so nothing of it
      // shows with this one.
      if (background) {
        ;['title', 'singer', 'coverImgUrl', 'epname', 'webUrl'].forEach((key) => {
          player[key] = arg[key] || ''
        })
      }
      // startTime is read when src is set; setting src starts the background player.
      player.startTime = arg.startTime || 0
      player.src = arg.src
      if (!background) player.play()
    } else if (command === 'dispose') {
      unlisten()
      if (!background) player.destroy()
    } else if (command !== 'watch') {
      player[command](arg)
    }
  }
}
