import type { HostContext } from './context'

/** Options of the location part of the host. */
export interface LocationHostOptions {}

/** Test controls of the location part of the host. */
export interface LocationHostControls {}

/** Adds the location members to `ctx.wx`. (Not written yet: filled in by its own change.) */
export function installLocation(
  _ctx: HostContext,
  _options: LocationHostOptions,
): LocationHostControls {
  return {}
}
