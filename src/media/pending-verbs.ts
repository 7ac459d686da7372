// Verbs that called a player or recorder and wait for the event confirming them, each with a
// deadline. Shared by the audio engine and record$.
import { TimeoutError, toWxError } from '../core/errors'

/** One verb waiting for the event that confirms it. Settles once; settling removes it. */
export interface PendingVerb {
  /** The verb's API name, for errors (`backgroundAudio.pause`). */
  readonly api: string
  /** The event that confirms the verb (`'pause'`, `'Stop'`, ...). */
  readonly confirmedBy: string
  /** Whether the player stopping interrupts it (audio verbs). */
  readonly interruptedByStop: boolean
  /** Resolves the verb's promise. */
  resolve(value?: unknown): void
  /** Rejects the verb's promise. */
  reject(error: Error): void
}

/** What a verb is, before it waits. */
export interface VerbSpec {
  api: string
  confirmedBy: string
  /** @default false */
  interruptedByStop?: boolean
}

/**
 * Puts a pending verb for `spec` on `pending`, then runs `act`; the promise settles through the
 * verb's `resolve`/`reject`, rejects with the `WxError` of `act`'s failure (thrown, or reported
 * through `fail`), or with a `TimeoutError` after `ms`.
 */
export function waitForConfirmation<T>(
  pending: PendingVerb[],
  spec: VerbSpec,
  ms: number,
  act: (fail: (error: unknown) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = (): boolean => {
      const at = pending.indexOf(verb)
      if (at < 0) return false
      pending.splice(at, 1)
      clearTimeout(timer)
      return true
    }
    const verb: PendingVerb = {
      api: spec.api,
      confirmedBy: spec.confirmedBy,
      interruptedByStop: !!spec.interruptedByStop,
      resolve(value) {
        if (settle()) resolve(value as T)
      },
      reject(error) {
        if (settle()) reject(error)
      },
    }
    const timer = setTimeout(
      () => verb.reject(new TimeoutError({ api: spec.api, errMsg: spec.api + ':fail timeout' })),
      ms,
    )
    pending.push(verb)
    const fail = (error: unknown) => verb.reject(toWxError(spec.api, error))
    try {
      act(fail)
    } catch (error) {
      fail(error)
    }
  })
}
