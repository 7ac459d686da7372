// The plain host set-up of integration tests: for each test a fresh Node wx host installed as
// the global `wx`, and after it the global restored and the host closed (its servers, timers
// and temp folders gone); with a real HTTP server for the file when the tests need one.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createWxHost, type WxHost, type WxHostOptions } from 'miniprogram-rx/testing'
import { startHttpServer, type TestHttpServer } from './servers'

/** Registers the per-test install and close; `afterClose` runs on the closed host. */
function installEach(
  options: WxHostOptions | undefined,
  afterClose: (closed: WxHost) => void,
): () => WxHost {
  let host: WxHost | undefined
  let restore: (() => void) | undefined
  beforeEach(() => {
    host = createWxHost(options)
    restore = host.install()
  })
  afterEach(async () => {
    const current = host as WxHost
    restore?.()
    restore = undefined
    await current.close()
    host = undefined
    afterClose(current)
  })
  return () => {
    if (!host) throw new Error('no wx host outside a test')
    return host
  }
}

/**
 * Registers a `beforeEach` that makes a host (with `options`) and installs it, and an
 * `afterEach` that restores the previous `wx` and closes the host. Call it at the top of a file
 * or a `describe`; returns a getter for the current test's host.
 */
export function useInstalledHost(options?: WxHostOptions): () => WxHost {
  return installEach(options, () => undefined)
}

/** Getters for the file's HTTP server and the current test's host. */
export interface ServedHost {
  server(): TestHttpServer
  host(): WxHost
}

/**
 * The set-up of tests that call a real HTTP server (on 127.0.0.1, port 0, answering with
 * `handler`) through the host: the server runs for the whole file; each test gets a fresh host
 * installed as `wx`, restored and closed after it, and then checked to have no listener left.
 */
export function useHostWithHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): ServedHost {
  let server: TestHttpServer | undefined
  beforeAll(async () => {
    server = await startHttpServer(handler)
  })
  afterAll(() => server?.close())
  const host = installEach(undefined, (closed) => expect(closed.listenerCount()).toBe(0))
  return {
    server: () => {
      if (!server) throw new Error('useHostWithHttpServer: the server is not started yet')
      return server
    },
    host,
  }
}

/** The current test's host and the restore of the global `wx`; a test may replace both. */
export interface HostSlot {
  host: WxHost
  restore: () => void
}

/**
 * Like `useInstalledHost`, for tests that take the host out of `wx` or put another one in
 * mid-test: each test gets `slot.host` installed (`slot.restore` undoes it); after the test,
 * `slot.restore()` and `slot.host.close()` run on what the slot holds then.
 */
export function useHostSlot(options?: WxHostOptions): HostSlot {
  const slot = {} as HostSlot
  beforeEach(() => {
    slot.host = createWxHost(options)
    slot.restore = slot.host.install()
  })
  afterEach(async () => {
    slot.restore()
    await slot.host.close()
  })
  return slot
}
