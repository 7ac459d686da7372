// Bad options against location$, on the wx host: the first fix or an Error always arrives,
// nothing throws synchronously, and nothing is left running afterwards.
import fc from 'fast-check'
import { firstValueFrom } from 'rxjs'
import { location$ } from '../../src/location/location-stream'
import { badValue, expectSettles, useFuzzHost } from '../fuzz/fuzz-helpers'

describe('location$ under arbitrary options', () => {
  const host = useFuzzHost()

  it('gives the first fix or an Error naming location$, and cleans up', async () => {
    await fc.assert(
      fc.asyncProperty(badValue(), async (options) => {
        let promise: Promise<unknown>
        expect(() => {
          promise = firstValueFrom(location$(options as never))
        }).not.toThrow()
        const outcome = await expectSettles(promise!)
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(TypeError)
          expect((outcome.reason as Error).message).toMatch(/^location\$: `options/)
        }
      }),
      { numRuns: 200, seed: 65 },
    )
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
    expect(host().listenerCount()).toBe(0)
    expect(host().location.updating()).toBe(false)
    expect(jest.getTimerCount()).toBe(0)
  })
})
