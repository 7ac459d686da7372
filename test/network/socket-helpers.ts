// What the socket tests share: recording a socket's messages$ (with the subscription kept for
// the teardown to end), and waiting on real I/O for the `ws` server's side of a round trip.
import type { Subscription } from 'rxjs'
import type { Socket } from 'miniprogram-rx'

/** What `record` saw of one socket's `messages$`. */
export interface Recorded<T> {
  got: T[]
  done: { complete: boolean; error: unknown }
}

/**
 * Returns `record(socket)`: subscribes to `socket.messages$`, pushes the subscription onto
 * `subs` (which the test file's afterEach unsubscribes), and collects values, error and
 * completion.
 */
export function recordInto(subs: Subscription[]): <T>(socket: Socket<T, any>) => Recorded<T> {
  return <T>(socket: Socket<T, any>) => {
    const got: T[] = []
    const done: Recorded<T>['done'] = { complete: false, error: undefined }
    subs.push(
      socket.messages$.subscribe({
        next: (v) => got.push(v),
        error: (e) => (done.error = e),
        complete: () => (done.complete = true),
      }),
    )
    return { got, done }
  }
}

/** Waits (on real I/O) until `check` is true; fails the test after `max` turns. */
export async function until(check: () => boolean, max = 2000): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if (check()) return
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('condition not met: ' + check.toString())
}

/** Real-time pause for the I/O of a few round trips (never asserted on). */
export async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve))
}
