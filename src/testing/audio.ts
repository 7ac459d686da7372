import type { HostContext } from './context'

/** Options of the audio part of the host. */
export interface AudioHostOptions {}

/** Test controls of the audio part of the host. */
export interface AudioHostControls {}

/** Adds the audio members to `ctx.wx`. (Not written yet: filled in by its own change.) */
export function installAudio(_ctx: HostContext, _options: AudioHostOptions): AudioHostControls {
  return {}
}
