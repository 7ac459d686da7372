// The plain host set-up of integration tests: for each test a fresh Node wx host installed as
// the global `wx`, and after it the global restored and the host closed (its servers, timers
// and temp folders gone); with a real HTTP server for the file when the tests need one.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createWxHost, type WxHost, type WxHostOptions } from 'miniprogram-rx/testing'
import { startHttpServer, type TestHttpServer } from './servers'

/** The current test's host and the restore of the global `wx`; a test may replace both. */
export interface HostSlot {
  host: WxHost
  restore: () => void
}

/**
 * Registers a `beforeEach` that makes a host (with `options`) into `slot.host` and installs it
 * (`slot.restore` undoes that), and an `afterEach` that runs `slot.restore()` and
 * `slot.host.close()` on what the slot holds then: a test may take the host out of `wx` or put
 * another one in. Call it at the top of a file or a `describe`.
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

/** `useHostSlot` for tests that keep their host: returns a getter for the current one. */
export function useInstalledHost(options?: WxHostOptions): () => WxHost {
  const slot = useHostSlot(options)
  return () => slot.host
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
  // Declared before the slot's teardown, so it runs on the open host (jest keeps that order):
  // closing the host drops its listeners, which would hide a leak.
  let current: WxHost | undefined
  afterEach(() => {
    expect(current!.listenerCount()).toBe(0)
  })
  const slot = useHostSlot()
  beforeEach(() => {
    current = slot.host
  })
  return {
    server: () => {
      if (!server) throw new Error('useHostWithHttpServer: the server is not started yet')
      return server
    },
    host: () => slot.host,
  }
}
