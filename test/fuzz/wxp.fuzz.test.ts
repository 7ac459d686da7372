// Bad input against every async API of wxp, on the Node host with the network off (so nothing
// can leave 127.0.0.1): every call settles, nothing throws synchronously, every rejection is an
// Error, and nothing is left behind. Time is fake: each call is bounded by advancing fake
// timers (past wx's 60 s default timeouts) and a bounded number of event-loop turns, never by
// wall-clock time.
import fc from 'fast-check'
import { isWxError } from '../../src/core/errors'
import { ASYNC_APIS } from '../../src/core/wx-catalog.generated'
import { wxp } from '../../src/core/wxp'
import { badValue, expectSettles, fuzzParameters, useFuzzHost } from './fuzz-helpers'

const names = ASYNC_APIS.split(',')

describe('wxp under arbitrary input', () => {
  const host = useFuzzHost({ network: { isConnected: false, networkType: 'none' } })

  it('every async API settles with a value or an Error for any argument', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), badValue(), async (name, value) => {
        const call = (wxp as unknown as Record<string, (o: unknown) => Promise<unknown>>)[name]
        let promise: Promise<unknown>
        expect(() => {
          promise = call(value)
        }).not.toThrow()
        const outcome = await expectSettles(promise!)
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(Error)
          const error = outcome.reason as Error
          // a wx failure names its API; bad options name the API and the field
          if (isWxError(error)) expect(error.errMsg.length).toBeGreaterThan(0)
          else expect(error.message).toContain(name)
        }
      }),
      fuzzParameters(600, 20261124),
    )
    await jest.advanceTimersByTimeAsync(120_000)
    expect(host().listenerCount()).toBe(0)
    expect(host().socket.openCount).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('rejects non-object options with a TypeError naming the API and `options`', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.array(fc.anything())),
        async (name, value) => {
          const call = (wxp as unknown as Record<string, (o: unknown) => Promise<unknown>>)[name]
          const outcome = await expectSettles(call(value))
          if (outcome.status !== 'rejected') throw new Error(name + ' accepted ' + String(value))
          expect(outcome.reason).toBeInstanceOf(TypeError)
          expect((outcome.reason as Error).message).toMatch(
            new RegExp('^' + name + ': `options` must be an object'),
          )
        },
      ),
      fuzzParameters(200, 7),
    )
  })
})
