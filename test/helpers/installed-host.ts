// The plain host set-up of integration tests: for each test a fresh Node wx host installed as
// the global `wx`, and after it the global restored and the host closed (its servers, timers
// and temp folders gone).
import { createWxHost, type WxHost, type WxHostOptions } from 'miniprogram-rx/testing'

/**
 * Registers a `beforeEach` that makes a host (with `options`) and installs it, and an
 * `afterEach` that restores the previous `wx` and closes the host. Call it at the top of a file
 * or a `describe`; returns a getter for the current test's host.
 */
export function useInstalledHost(options?: WxHostOptions): () => WxHost {
  let host: WxHost | undefined
  let restore: (() => void) | undefined
  beforeEach(() => {
    host = createWxHost(options)
    restore = host.install()
  })
  afterEach(async () => {
    restore?.()
    restore = undefined
    await host?.close()
    host = undefined
  })
  return () => {
    if (!host) throw new Error('useInstalledHost: no host outside a test')
    return host
  }
}
