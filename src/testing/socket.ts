import type { HostContext } from './context'

/** Options of the socket part of the host. */
export interface SocketHostOptions {}

/** Test controls of the socket part of the host. */
export interface SocketHostControls {}

/** Adds the socket members to `ctx.wx`. (Not written yet: filled in by its own change.) */
export function installSocket(_ctx: HostContext, _options: SocketHostOptions): SocketHostControls {
  return {}
}
