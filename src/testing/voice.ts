// The legacy voice player: playVoice / pauseVoice / stopVoice. One voice at a time, played
// by a SimPlayer on the host's clock. playVoice succeeds when the voice has played to its end
// (or to `duration` seconds, WeChat's cap, default 60); a voice cut short by stopVoice or by
// another playVoice also completes. A missing file fails `playVoice:fail file not found`.
import { existsSync, statSync } from 'node:fs'
import { HostFail, type HostContext, type Settle } from './context'
import { optionalNumber, requireString } from './params'
import { audioSourcesOf } from './audio-sources'
import { SimPlayer, type PlayerState } from './player'

/** The voice player as the host sees it. */
export interface VoiceSnapshot {
  filePath: string
  state: PlayerState
  currentTime: number
  duration: number
}

/** Adds playVoice, pauseVoice and stopVoice to `ctx.wx`; returns a snapshot reader. */
export function installVoice(ctx: HostContext): () => VoiceSnapshot {
  const sources = audioSourcesOf(ctx)
  let cap = 60
  let pending: Settle | undefined
  const complete = () => {
    const settle = pending
    pending = undefined
    settle?.ok({})
  }
  const base = sources.config((event) => {
    if (event === 'Ended' || event === 'Stop') complete()
    if (event === 'Error') {
      const settle = pending
      pending = undefined
      settle?.fail(player.error?.errMsg ?? 'unknown error')
    }
  })
  const player = new SimPlayer(ctx, {
    ...base,
    timeUpdateInterval: 1000,
    loadTime: 0,
    resolve: (src) => {
      const info = base.resolve(src)
      return 'duration' in info ? { duration: Math.min(info.duration, cap) } : info
    },
  })

  ctx.defineAsync('playVoice', (o, settle) => {
    const filePath = requireString(o, 'filePath')
    const duration = optionalNumber(o, 'duration', 60)
    const real = ctx.resolvePath(filePath)
    if (!existsSync(real) || !statSync(real).isFile()) throw new HostFail('file not found')
    if (filePath === player.src && player.state === 'paused') {
      // playVoice on the paused voice resumes it.
      complete()
      pending = settle
      player.play()
      return
    }
    if (pending) {
      player.stop()
      complete()
    }
    cap = duration > 0 ? duration : 60
    pending = settle
    player.load(filePath, 0, true)
  })
  ctx.defineAsync('pauseVoice', (_o, settle) => {
    player.pause()
    settle.ok({})
  })
  ctx.defineAsync('stopVoice', (_o, settle) => {
    player.stop()
    complete()
    settle.ok({})
  })
  ctx.track({
    close: () => {
      player.destroy()
      const settle = pending
      pending = undefined
      settle?.fail('host closed')
    },
  })

  return () => ({
    filePath: player.src,
    state: player.state,
    currentTime: player.currentTime,
    duration: player.duration,
  })
}
