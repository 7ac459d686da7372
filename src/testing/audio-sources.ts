// Where audio sources stand for one host: how long each plays and which fail. Shared by every
// player (background, inner audio, voice) through `audioSourcesOf(ctx)`.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { audioDuration } from './audio-files'
import type { HostContext } from './context'
import type { PlayerConfig, SourceInfo } from './player'

/** The default message of each WeChat audio errCode. */
export const AUDIO_ERROR_MESSAGES: Record<number, string> = {
  10001: 'system error',
  10002: 'network error',
  10003: 'file error',
  10004: 'format error',
  [-1]: 'unknown error',
}

/**
 * How long each source plays and which ones fail, shared by every player of one host:
 * a scripted failure wins; then a duration set for the src; a sandbox file
 * (`wxfile://`, `http://tmp/`) must exist and plays for the length read from its bytes (WAV,
 * ADTS AAC, MP3); an http(s) src fails with 10002 while the host is offline; anything else
 * plays for `defaultDuration`.
 */
export class AudioSources {
  /** Seconds per src. */
  readonly durations = new Map<string, number>()
  /** Scripted failures per src. */
  readonly failing = new Map<string, { errCode: number; errMsg: string }>()
  /** Seconds a src without a known length plays. */
  defaultDuration = 180
  /** Milliseconds between `TimeUpdate` events. */
  timeUpdateInterval = 250
  /** Milliseconds a source takes to load (0: at once). */
  loadTime = 0

  constructor(private readonly ctx: HostContext) {}

  /** What `src` plays for, or its error. */
  resolve(src: string): SourceInfo {
    const failure = this.failing.get(src)
    if (failure) return { ...failure }
    const known = this.durations.get(src)
    if (known !== undefined) return { duration: known }
    if (/^(wxfile:\/\/|http:\/\/tmp\/)/.test(src)) {
      let real: string
      try {
        real = this.ctx.resolvePath(src)
      } catch {
        return { errCode: 10003, errMsg: 'file error: ' + src + ' is outside the sandbox' }
      }
      if (!existsSync(real) || !statSync(real).isFile()) {
        return { errCode: 10003, errMsg: 'file error: no such file ' + src }
      }
      return { duration: audioDuration(readFileSync(real)) ?? this.defaultDuration }
    }
    if (/^https?:\/\//.test(src) && !this.ctx.network.isConnected) {
      return { errCode: 10002, errMsg: 'network error' }
    }
    return { duration: this.defaultDuration }
  }

  /** A `PlayerConfig` that resolves through this table and sends events to `emit`. */
  config(emit: PlayerConfig['emit']): PlayerConfig {
    const sources = this
    return {
      resolve: (src) => this.resolve(src),
      emit,
      get timeUpdateInterval() {
        return sources.timeUpdateInterval
      },
      get loadTime() {
        return sources.loadTime
      },
    }
  }
}

const tables = new WeakMap<HostContext, AudioSources>()

/** The AudioSources of `ctx`, made on first use (audio and media share it). */
export function audioSourcesOf(ctx: HostContext): AudioSources {
  let table = tables.get(ctx)
  if (!table) {
    table = new AudioSources(ctx)
    tables.set(ctx, table)
  }
  return table
}
