// The set-up the data-binding tests on the Node wx host share: jest's fake timers (callbacks
// still run: microtasks, nextTick and setImmediate stay real) and a connected network for each
// test, no listener and no timer left after it, and the host closed after the file.
import type { WxHost } from 'miniprogram-rx/testing'

/** Lets the host answer its pending calls, then runs 50 ms: the tick and pacing of the batch. */
export async function tick(): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.resolve()
  jest.advanceTimersByTime(50)
}

/**
 * Registers the hooks around every test of the file for `host` (already installed): fake timers
 * and wifi before, the leak checks after, and after all tests `restore()` then `host.close()`.
 */
export function useBindingHost(host: WxHost, restore: () => void): void {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
    host.setNetwork({ isConnected: true, networkType: 'wifi' })
  })
  afterEach(() => {
    expect(host.listenerCount()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
    jest.useRealTimers()
  })
  afterAll(async () => {
    restore()
    await host.close()
  })
}
