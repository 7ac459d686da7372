// The end-of-test check every media and auth test runs: no timer pending (fake timers) and no
// listener left but the permanent ones of players without off* (at most one each).
import { createWxHost, type WxHost, type WxHostOptions } from 'miniprogram-rx/testing'

/** Fails when a fake timer is pending or a listener other than `permanent` ones is left. */
export function expectNoLeaks(listeners: Record<string, number>, permanent?: RegExp): void {
  expect(jest.getTimerCount()).toBe(0)
  const left: Record<string, number> = {}
  for (const [event, count] of Object.entries(listeners)) {
    if (count === 0) continue
    if (permanent && permanent.test(event) && count === 1) continue
    left[event] = count
  }
  expect(left).toEqual({})
}

/**
 * For each test: jest's fake timers and a wx host (made with `options`) installed as `wx`;
 * after it, `expectNoLeaks` (with `permanent`), then the host is closed and real timers are
 * back. Returns a getter for the current host.
 */
export function useLeakCheckedHost(options?: WxHostOptions, permanent?: RegExp): () => WxHost {
  let host: WxHost | undefined
  let restore: (() => void) | undefined
  beforeEach(() => {
    jest.useFakeTimers()
    host = createWxHost(options)
    restore = host.install()
  })
  afterEach(async () => {
    const current = host as WxHost
    try {
      expectNoLeaks(current.listeners(), permanent)
    } finally {
      restore?.()
      await current.close()
      jest.useRealTimers()
    }
  })
  return () => host as WxHost
}
