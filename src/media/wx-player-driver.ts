// The drivers over wx's two player objects, which share their methods and events:
// BackgroundAudioManager (the app's one background player) and InnerAudioContext (an in-page
// player).
import { noop } from 'rxjs'
import { toWxError } from '../core/errors'
import type { AudioDriver, AudioDriverHost } from './audio-driver'
import type { AudioTrack } from './audio-state'
import { listenAll } from './wx-object'

/** What the engine uses of both player objects. */
interface WxPlayer {
  src: string
  startTime: number
  readonly currentTime: number
  readonly duration: number
  readonly buffered: number
  readonly paused: boolean
  play(): void
  pause(): void
  stop(): void
  seek(position: number): void
}

/** The BackgroundAudioManager: also what the system player shows. */
export interface BackgroundPlayer extends WxPlayer {
  title: string
  singer: string
  coverImgUrl: string
  epname: string
  webUrl: string
}

/** An InnerAudioContext: released with `destroy()`. */
export interface ContextPlayer extends WxPlayer {
  destroy(): void
}

// What the system player shows, from the track.
const DISPLAY_FIELDS = ['title', 'singer', 'coverImgUrl', 'epname', 'webUrl'] as const

/**
 * Feeds `host` with the events of `player` (errors named `api`); the function returned removes
 * the listeners where the player has `off*`.
 */
function listenToPlayer(api: string, player: WxPlayer, host: AudioDriverHost): () => void {
  const readClock = () => host.dispatch({ type: 'time', clock: player })
  const report = (type: 'waiting' | 'play' | 'pause' | 'stop' | 'ended') => () =>
    host.dispatch({ type })
  // Play and Ended come with the duration and position the state needs: read them first.
  const reportWithClock = (type: 'play' | 'ended') => () => {
    readClock()
    host.dispatch({ type })
  }
  return listenAll(player, {
    Canplay: readClock,
    TimeUpdate: readClock,
    Waiting: report('waiting'),
    Pause: report('pause'),
    Stop: report('stop'),
    Play: reportWithClock('play'),
    Ended: reportWithClock('ended'),
    Seeked: () => host.dispatch({ type: 'seeked', position: player.currentTime }),
    // onError gives `{ errMsg, errCode }`: the WxError keeps wx's errMsg, the result as cause
    Error: (result) => host.dispatch({ type: 'error', error: toWxError(api, result) }),
    // the system player's buttons (BackgroundAudioManager only)
    Next: () => host.skip('next'),
    Prev: () => host.skip('previous'),
  })
}

/**
 * Puts what a player already plays in the state (music started by another page, or before a
 * reload): `clock` has the player's `src` and time fields.
 */
export function reportPlaying(
  host: AudioDriverHost,
  clock: { src: string; currentTime?: unknown; duration?: unknown; buffered?: unknown },
  playing: boolean,
): void {
  host.dispatch({ type: 'track', track: { src: clock.src } })
  host.dispatch({ type: 'time', clock })
  host.dispatch({ type: playing ? 'play' : 'pause' })
}

// BackgroundAudioManager has no off*, and older clients keep only the last callback set on
// each of its onX: its callbacks are set once per manager, here, and the store is their only
// owner. A later store over the same manager (after another wx was installed and this one
// came back) takes the events over instead of setting the callbacks again. (One manager per
// app: only the latest is remembered.)
interface ManagerRoute {
  manager: BackgroundPlayer
  host?: AudioDriverHost
}
let managerRoute: ManagerRoute | undefined

function routeOf(api: string, manager: BackgroundPlayer): ManagerRoute {
  if (managerRoute && managerRoute.manager === manager) return managerRoute
  const route: ManagerRoute = { manager }
  listenToPlayer(api, manager, {
    dispatch: (event) => route.host!.dispatch(event),
    getState: () => route.host!.getState(),
    skip: (direction) => route.host!.skip(direction),
  })
  return (managerRoute = route)
}

/** The driver over the BackgroundAudioManager; errors are named `api`. */
export function backgroundPlayerDriver(
  api: string,
  manager: BackgroundPlayer,
  host: AudioDriverHost,
): AudioDriver {
  routeOf(api, manager).host = host
  // Music may already be playing (started by another page, or before a reload).
  if (manager.src) reportPlaying(host, manager, !manager.paused)
  return {
    load(track: AudioTrack) {
      // Reset what the previous track set, so nothing of it shows with this one.
      DISPLAY_FIELDS.forEach((key) => {
        manager[key] = track[key] || ''
      })
      // startTime is read when src is set; setting src starts the background player.
      manager.startTime = track.startTime || 0
      manager.src = track.src
    },
    resume: () => manager.play(),
    pause: () => manager.pause(),
    stop: () => manager.stop(),
    seek: (position) => manager.seek(position),
    watch: noop,
    // Nothing to release: the manager has no off*, and its callbacks stay routed here until
    // another store takes them over.
    dispose: noop,
  }
}

/** The driver over an InnerAudioContext; `dispose` removes its listeners and destroys it. */
export function contextPlayerDriver(
  api: string,
  context: ContextPlayer,
  host: AudioDriverHost,
): AudioDriver {
  const unlisten = listenToPlayer(api, context, host)
  return {
    load(track) {
      context.startTime = track.startTime || 0
      context.src = track.src
      context.play()
    },
    resume: () => context.play(),
    pause: () => context.pause(),
    stop: () => context.stop(),
    seek: (position) => context.seek(position),
    watch: noop,
    dispose() {
      unlisten()
      context.destroy()
    },
  }
}
