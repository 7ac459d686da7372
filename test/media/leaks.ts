// The end-of-test check every media and auth test runs, on a host or on a scripted wx: no timer
// pending (fake timers) and no listener left but the permanent ones of players without off* (at
// most one each).
import { createWxHost, type WxHost, type WxHostOptions } from 'miniprogram-rx/testing'
import { createFakeMediaWx, type FakeMediaWx } from './fake-media-wx'

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

/**
 * For each test: jest's fake timers; after it, `expectNoLeaks` (with `permanent`) on the
 * scripted wx the test installed, then the previous `wx` restored and real timers back.
 * Returns `installFake(members)`, which makes a scripted media wx, installs it as `wx` and
 * hands it back.
 */
export function useLeakCheckedFake(
  permanent?: RegExp,
): (members?: Parameters<typeof createFakeMediaWx>[0]) => FakeMediaWx {
  let fake: FakeMediaWx | undefined
  let restore: (() => void) | undefined
  beforeEach(() => {
    jest.useFakeTimers()
  })
  afterEach(() => {
    try {
      if (!fake) throw new Error('useLeakCheckedFake: the test installed no fake wx')
      expectNoLeaks(fake.summary(), permanent)
    } finally {
      restore?.()
      restore = undefined
      fake = undefined
      jest.useRealTimers()
    }
  })
  return (members) => {
    fake = createFakeMediaWx(members)
    restore = fake.install()
    return fake
  }
}
