// Runs a list of hooks in order, each maybe returning a promise, without creating a promise
// when none does: a pool without async hooks stays synchronous (and cheap) end to end.

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * Feeds `value` through `hooks` in order, each called as `hook(value, extra)`: each hook's
 * answer, once settled, is given to `merge` to make the value for the next hook. Calls `done`
 * with the last value, or `fail` with the first throw or rejection (then no further hook
 * runs). Synchronous hooks run synchronously.
 */
export function runHookChain<T, X>(
  hooks: ReadonlyArray<(value: T, extra: X) => unknown> | undefined,
  value: T,
  merge: (previous: T, answer: unknown) => T,
  done: (value: T) => void,
  fail: (error: unknown) => void,
  extra: X,
): void {
  const list = hooks || []
  const step = (index: number, current: T): void => {
    for (let i = index; i < list.length; i++) {
      let answer: unknown
      try {
        answer = list[i](current, extra)
      } catch (error) {
        fail(error)
        return
      }
      if (isThenable(answer)) {
        answer.then(
          (settled) => step(i + 1, merge(current, settled)),
          (error) =>
            fail(error === undefined || error === null ? new Error('hook rejected') : error),
        )
        return
      }
      current = merge(current, answer)
    }
    done(current)
  }
  step(0, value)
}
