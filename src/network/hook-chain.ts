// Runs a list of hooks in order, each maybe returning a promise, without creating a promise
// when none does: a pool without async hooks stays synchronous (and cheap) end to end.
import { isFunction } from '../core/guards'

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
  const step = (i: number, current: T): void => {
    for (; hooks && i < hooks.length; i++) {
      let answer: any
      try {
        answer = hooks[i](current, extra)
      } catch (error) {
        return fail(error)
      }
      if (answer && isFunction(answer.then)) {
        return answer.then(
          (settled: unknown) => step(i + 1, merge(current, settled)),
          (error: unknown) => fail(error == null ? new Error('hook rejected') : error),
        )
      }
      current = merge(current, answer)
    }
    done(current)
  }
  step(0, value)
}
