import type { HostContext } from './context'

/** Options of the network part of the host. */
export interface NetworkHostOptions {}

/** Test controls of the network part of the host. */
export interface NetworkHostControls {}

/** Adds the network members to `ctx.wx`. (Not written yet: filled in by its own change.) */
export function installNetwork(
  _ctx: HostContext,
  _options: NetworkHostOptions,
): NetworkHostControls {
  return {}
}
