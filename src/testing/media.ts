import type { HostContext } from './context'

/** Options of the media part of the host. */
export interface MediaHostOptions {}

/** Test controls of the media part of the host. */
export interface MediaHostControls {}

/** Adds the media members to `ctx.wx`. (Not written yet: filled in by its own change.) */
export function installMedia(_ctx: HostContext, _options: MediaHostOptions): MediaHostControls {
  return {}
}
