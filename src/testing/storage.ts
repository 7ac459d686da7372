import type { HostContext } from './context'

/** Options of the storage part of the host. */
export interface StorageHostOptions {}

/** Test controls of the storage part of the host. */
export interface StorageHostControls {}

/** Adds the storage members to `ctx.wx`. (Not written yet: filled in by its own change.) */
export function installStorage(
  _ctx: HostContext,
  _options: StorageHostOptions,
): StorageHostControls {
  return {}
}
