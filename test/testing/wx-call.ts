// Small helpers for the host's tests: call a callback-style wx API and await its outcome,
// and wait for a condition without measuring time.

/** How a wx call ended: `success` or `fail`, its result, and how often `complete` ran. */
export interface Outcome {
  ok: boolean
  res: any
  completes: number
}

/**
 * Calls `fn(options)` with `success`/`fail`/`complete` attached; returns what the call
 * returned (a task) and a promise of its outcome. `complete` is checked to run once, after.
 */
export function call<T>(
  fn: (options: any) => T,
  options: Record<string, unknown> = {},
): { task: T; done: Promise<Outcome> } {
  let settle!: (outcome: Outcome) => void
  const done = new Promise<Outcome>((resolve) => (settle = resolve))
  let outcome: Outcome | undefined
  let completes = 0
  const task = fn({
    ...options,
    success: (res: unknown) => {
      outcome = { ok: true, res, completes: 0 }
    },
    fail: (res: unknown) => {
      outcome = { ok: false, res, completes: 0 }
    },
    complete: () => {
      completes += 1
      if (outcome) {
        outcome.completes = completes
        settle(outcome)
      }
    },
  })
  return { task, done }
}

/** Awaits the outcome of `fn(options)`. */
export function run(fn: (options: any) => unknown, options: Record<string, unknown> = {}) {
  return call(fn, options).done
}

// jsdom environments have no setImmediate; a zero timer also lets I/O run.
const nextTurn: (fn: () => void) => void =
  typeof setImmediate === 'function' ? (fn) => setImmediate(fn) : (fn) => setTimeout(fn, 0)

/** Lets I/O and timers' callbacks run until `condition()` holds (fails after many turns). */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500000; i++) {
    if (condition()) return
    await new Promise<void>((resolve) => nextTurn(() => resolve()))
  }
  throw new Error('gave up waiting for ' + what)
}
