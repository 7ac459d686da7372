// The end-of-test check every media and auth test runs: no timer pending (fake timers) and no
// listener left but the permanent ones of players without off* (at most one each).

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
