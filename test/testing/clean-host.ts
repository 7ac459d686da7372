// The set-up most host part tests share: a host on jest's fake timers (callbacks still run:
// microtasks, nextTick and setImmediate stay real), and a teardown that proves close() left no
// listener and no timer behind.
import { createWxHost, type WxHost, type WxHostOptions } from '../../src/testing'

/** Fakes the timers and makes a host; `wx` is `host.wx`, loosely typed for scripted calls. */
export function hostOnFakeTimers(options?: WxHostOptions): { host: WxHost; wx: any } {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
  const host = createWxHost(options)
  return { host, wx: host.wx }
}

/** Closes the host, checks that no listener and no timer is left, and restores real timers. */
export async function closeAndExpectClean(host: WxHost): Promise<void> {
  await host.close()
  expect(host.listenerCount()).toBe(0)
  expect(jest.getTimerCount()).toBe(0)
  jest.useRealTimers()
}
