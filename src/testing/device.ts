import type { HostContext } from './context'

/** Options of the device part of the host. */
export interface DeviceHostOptions {}

/** Test controls of the device part of the host. */
export interface DeviceHostControls {}

/** Adds the device members to `ctx.wx`. (Not written yet: filled in by its own change.) */
export function installDevice(_ctx: HostContext, _options: DeviceHostOptions): DeviceHostControls {
  return {}
}
