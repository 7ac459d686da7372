// One run of a query's fetcher, cancellable whatever the fetcher returned: a promise (with
// `abort()` when it has one, like the pool's), an Observable (its first value), or a plain
// value. The fetcher also gets an abort signal to hand to `request({ signal })`.
import { isObservable, type Observable, type Subscription } from 'rxjs'
import type { AbortSignalLike } from '../network/request-types'
import type { QueryKey } from './query-key'

/** What a fetcher is given. */
export interface QueryFetchContext {
  /** The query's key. */
  key: QueryKey
  /**
   * Fires when nobody waits for the fetch any more (the last subscriber left, `clear()`):
   * pass it to `request({ signal })` so the request is cancelled too.
   */
  signal: AbortSignalLike
}

/** Gets a query's data: a promise, an Observable (its first value counts) or a value. */
export type QueryFetcher<T> = (context: QueryFetchContext) => PromiseLike<T> | Observable<T> | T

/** A small `AbortSignal` look-alike and the function that fires it (no AbortController here). */
export function createAbortSignal(): { signal: AbortSignalLike; abort(): void } {
  let listeners: Array<() => void> = []
  const signal = {
    aborted: false,
    addEventListener: (_type: 'abort', listener: () => void) => {
      if (!signal.aborted) listeners.push(listener)
    },
    removeEventListener: (_type: 'abort', listener: () => void) => {
      listeners = listeners.filter((l) => l !== listener)
    },
  }
  return {
    signal,
    abort: () => {
      if (signal.aborted) return
      signal.aborted = true
      const fire = listeners
      listeners = []
      for (const listener of fire) listener()
    },
  }
}

/**
 * Runs `fetcher` once; `done` gets the outcome unless the returned cancel function ran
 * first. A fetcher that throws counts as one that failed.
 */
export function runFetcher<T>(
  fetcher: QueryFetcher<T>,
  key: QueryKey,
  done: (outcome: { data: T } | { error: unknown }) => void,
): () => void {
  const controller = createAbortSignal()
  let live = true
  const finish = (outcome: { data: T } | { error: unknown }) => {
    if (!live) return
    live = false
    done(outcome)
  }
  let stop = () => {}
  try {
    const answer = fetcher({ key, signal: controller.signal })
    if (isObservable(answer)) {
      let subscription: Subscription | undefined = undefined
      subscription = (answer as Observable<T>).subscribe({
        next: (data) => {
          finish({ data })
          if (subscription) subscription.unsubscribe()
        },
        error: (error) => finish({ error }),
        complete: () => finish({ error: new Error('the fetcher completed without a value') }),
      })
      // Its first value is all the query takes.
      if (!live) subscription.unsubscribe()
      const taken = subscription
      stop = () => taken.unsubscribe()
    } else if (answer && typeof (answer as PromiseLike<T>).then === 'function') {
      const promise = answer as PromiseLike<T> & { abort?: () => void }
      promise.then(
        (data) => finish({ data }),
        (error) => finish({ error }),
      )
      if (typeof promise.abort === 'function') stop = () => promise.abort!()
    } else finish({ data: answer as T })
  } catch (error) {
    finish({ error })
  }
  return () => {
    if (!live) return
    live = false
    controller.abort()
    stop()
  }
}
