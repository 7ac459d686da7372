import type { HostContext } from './context'

/** Options of the files part of the host. */
export interface FilesHostOptions {}

/** Test controls of the files part of the host. */
export interface FilesHostControls {}

/** Adds the files members to `ctx.wx`. (Not written yet: filled in by its own change.) */
export function installFiles(_ctx: HostContext, _options: FilesHostOptions): FilesHostControls {
  return {}
}
