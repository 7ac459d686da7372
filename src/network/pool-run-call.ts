// A pool's calls without their promise or Observable, for the request toolkit's wrappers
// (src/toolkit), which otherwise pay a promise per layer. Kept on the pool itself
// (non-enumerable; no WeakMap, which old JS engines lack).
import type { CallSink } from './pooled-call'
import type { TransferApi } from './request-types'

/** Makes a call of `api` through a pool; returns its cancel function. */
export type RunCall = (api: TransferApi, input: unknown, sink: CallSink) => () => void

const RUN_CALL = '__miniprogramRxRunCall'

/** Puts `run` on `pool`, where `runCallOf` finds it. */
export function attachRunCall(pool: object, run: RunCall): void {
  Object.defineProperty(pool, RUN_CALL, { value: run })
}

/**
 * How `pool` (made by `createRequestPool`) runs a call: the outcome (and, when the sink takes
 * them, events) go to `sink`. `undefined` for any other pool.
 */
export function runCallOf(pool: object): RunCall | undefined {
  const run = (pool as Record<string, unknown>)[RUN_CALL]
  return typeof run === 'function' ? (run as RunCall) : undefined
}
