// Shared pieces of the bad-input suites.
import fc from 'fast-check'
import { createWxHost, type WxHost, type WxHostOptions } from '../../src/testing'

/** The field names wx options use, so generated objects hit real fields with wrong types. */
const FIELDS = [
  'url',
  'method',
  'data',
  'header',
  'timeout',
  'key',
  'filePath',
  'tempFilePath',
  'name',
  'src',
  'success',
  'fail',
  'complete',
  'type',
  'count',
  'phoneNumber',
  'title',
  'encoding',
  'dirPath',
  'latitude',
  'longitude',
  'scope',
  'protocols',
  'responseType',
  'dataType',
  'formData',
]

const huge = fc.constantFrom(
  'x'.repeat(2 * 1024 * 1024),
  '\u0000'.repeat(70000),
  '../'.repeat(5000),
)

/** Arbitrary values a caller could pass: primitives, arrays, objects with wrong field types, huge strings. */
export function badValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.anything({ maxDepth: 2 }),
    fc.dictionary(fc.constantFrom(...FIELDS), fc.anything({ maxDepth: 1 }), { maxKeys: 5 }),
    fc.record(
      {
        url: fc.oneof(fc.string(), fc.integer(), huge),
        timeout: fc.oneof(fc.integer(), fc.double()),
      },
      { requiredKeys: [] },
    ),
    huge,
  )
}

/** How a promise ended. */
export type Outcome =
  { status: 'fulfilled'; value: unknown } | { status: 'rejected'; reason: unknown }

/**
 * Waits for `promise` with fake time: advances fake timers in steps of a minute (past every
 * default timeout of wx) and lets real I/O callbacks run between steps, at most `steps` times.
 * Fails if it has not settled by then: that is a hang, whatever the wall clock says.
 */
export async function expectSettles(promise: Promise<unknown>, steps = 6): Promise<Outcome> {
  let outcome: Outcome | undefined
  promise.then(
    (value) => (outcome = { status: 'fulfilled', value }),
    (reason: unknown) => (outcome = { status: 'rejected', reason }),
  )
  for (let i = 0; i < steps && !outcome; i++) {
    for (let turn = 0; turn < 20 && !outcome; turn++) await new Promise((r) => setImmediate(r))
    if (!outcome) await jest.advanceTimersByTimeAsync(60_000)
  }
  if (!outcome) throw new Error('the call did not settle: it hangs')
  return outcome
}

/** A short, printable form of a counterexample: long strings are cut. */
export function shortForm(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string' && v.length > 60
      ? v.slice(0, 20) + '... (' + v.length + ' chars)'
      : typeof v === 'function'
        ? '[function]'
        : typeof v === 'bigint'
          ? v + 'n'
          : v === undefined
            ? '[undefined]'
            : v,
  )
}

/** fast-check parameters that report a failure with `shortForm` instead of megabytes of input. */
export function fuzzParameters<T>(numRuns: number, seed: number): fc.Parameters<T> {
  return {
    numRuns,
    seed,
    reporter(details) {
      if (!details.failed) return
      const cause =
        details.errorInstance instanceof Error
          ? details.errorInstance.message
          : String(details.errorInstance)
      throw new Error(
        'counterexample ' +
          shortForm(details.counterexample) +
          ' (seed ' +
          details.seed +
          '): ' +
          cause,
      )
    },
  }
}

/**
 * Sets up, for the enclosing `describe`, jest's fake timers (callbacks still run: microtasks,
 * `nextTick` and `setImmediate` stay real) and a Node wx host installed as `wx`; tears both
 * down after. Returns a getter for the host.
 */
export function useFuzzHost(options?: WxHostOptions): () => WxHost {
  let host: WxHost | undefined
  let restore: (() => void) | undefined
  beforeAll(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
    host = createWxHost(options)
    restore = host.install()
  })
  afterAll(async () => {
    restore?.()
    await host?.close()
    jest.useRealTimers()
  })
  return () => {
    if (!host) throw new Error('useFuzzHost: the host exists only inside tests')
    return host
  }
}

/**
 * Calls `call(value)` and checks the contract of an async API under bad input: it does not
 * throw synchronously, it settles (in fake time), and a rejection is an Error that names
 * `api` (a `WxError` whose errMsg starts with `<api>:fail`, or a `TypeError` starting `<api>: `).
 */
export async function expectSettlesNamingApi(
  api: string,
  call: (value: unknown) => Promise<unknown>,
  value: unknown,
): Promise<void> {
  let promise: Promise<unknown> | undefined
  expect(() => {
    promise = call(value)
  }).not.toThrow()
  const outcome = await expectSettles(promise as Promise<unknown>)
  if (outcome.status === 'rejected') {
    expect(outcome.reason).toBeInstanceOf(Error)
    const error = outcome.reason as Error & { errMsg?: unknown }
    if (typeof error.errMsg === 'string') expect(error.errMsg.startsWith(api + ':fail')).toBe(true)
    else expect(error.message.startsWith(api + ': ')).toBe(true)
  }
}
