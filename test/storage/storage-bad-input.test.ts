// Bad input against storage items, on the wx host: the factory throws only a TypeError naming
// storageItem, every method call settles, nothing else throws, every rejection is an Error,
// and a refused write changes nothing.
import fc from 'fast-check'
import { isWxError } from '../../src/core/errors'
import { listenerCount } from '../../src/storage/key-queue'
import { storageItem } from '../../src/storage/storage-item'
import { badValue, expectSettles, useFuzzHost } from '../fuzz/fuzz-helpers'

describe('storageItem under arbitrary input', () => {
  const host = useFuzzHost()

  it('rejects a bad key or ttl at creation with a TypeError naming storageItem', () => {
    fc.assert(
      fc.property(badValue(), badValue(), (key, ttl) => {
        try {
          storageItem(key as string, { ttl: ttl as number })
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError)
          expect((error as Error).message).toMatch(/^storageItem: `(key|options\.ttl)`/)
        }
      }),
      { numRuns: 300, seed: 63 },
    )
  })

  it('settles set() for any value, and a refused write leaves storage unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(badValue(), badValue(), async (value, ttl) => {
        const item = storageItem<unknown>('fuzz')
        const before = host().storage.snapshot()
        const outcome = await expectSettles(item.set(value, { ttl: ttl as number }))
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(Error)
          const error = outcome.reason as Error
          if (!isWxError(error)) expect(error.message).toMatch(/^storageItem\.set: /)
          expect(host().storage.snapshot()).toEqual(before)
        } else {
          await expect(expectSettles(item.get())).resolves.toMatchObject({ status: 'fulfilled' })
        }
        await expectSettles(item.remove())
      }),
      { numRuns: 200, seed: 64 },
    )
    expect(listenerCount()).toBe(0)
    expect(host().listenerCount()).toBe(0)
  })
})
