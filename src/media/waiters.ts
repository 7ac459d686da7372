// Verbs that call a player or recorder and wait for the event confirming them, with a deadline.
// Shared by the audio engine and record$.
import { TimeoutError, failure, toWxError } from '../core/errors'
import { remove } from './shorthands'

/** One verb waiting for the event `on`; `done` settles it (once) and removes it from its list. */
export interface Waiter {
  /** The verb's API name, for errors (`backgroundAudio.pause`). */
  api: string
  /** The event that confirms the verb. */
  on: string
  /** Whether the player stopping interrupts it (audio verbs only). */
  abortOnStop?: boolean
  done(error?: Error | 0, value?: unknown): void
}

/**
 * Puts `waiter` on `list`, then runs `act`; the promise settles through `waiter.done`, rejects
 * with the `WxError` of `act`'s failure (thrown or reported through `fail`), or with a
 * `TimeoutError` after `ms`.
 */
export function wait<T>(
  list: Waiter[],
  waiter: Omit<Waiter, 'done'>,
  ms: number,
  act: (fail: (error: unknown) => void) => void,
): Promise<T> {
  const w = waiter as Waiter
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => w.done(failure(w.api, 'timeout', '', undefined, TimeoutError)),
      ms,
    )
    w.done = (error, value) => {
      if (!remove(list, w)) return
      clearTimeout(timer)
      if (error) reject(error)
      else resolve(value as T)
    }
    list.push(w)
    const fail = (error: unknown) => w.done(toWxError(w.api, error))
    try {
      act(fail)
    } catch (error) {
      fail(error)
    }
  })
}
