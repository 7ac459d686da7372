// Bad input against the device promises, on the wx host: every call settles, nothing throws
// synchronously, every rejection is an Error naming the API.
import fc from 'fast-check'
import { isWxError } from '../../src/core/errors'
import { makePhoneCall } from '../../src/device/phone'
import { scanCode } from '../../src/device/scan'
import { createWxHost, type WxHost } from '../../src/testing'
import { badValue, expectSettles } from '../fuzz/fuzz-helpers'

const calls: Record<string, (value: unknown) => Promise<unknown>> = {
  makePhoneCall: (v) => makePhoneCall(v as string),
  scanCode: (v) => scanCode(v as never),
}

describe('device promises under arbitrary input', () => {
  let host: WxHost
  let restore: () => void
  beforeAll(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
    host = createWxHost()
    restore = host.install()
  })
  afterAll(async () => {
    restore()
    await host.close()
    jest.useRealTimers()
  })

  it('settles with a value or an Error naming the API, never throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(calls)), badValue(), async (name, value) => {
        let promise: Promise<unknown>
        expect(() => {
          promise = calls[name](value)
        }).not.toThrow()
        const outcome = await expectSettles(promise!)
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(Error)
          const error = outcome.reason as Error
          if (isWxError(error)) expect(error.api).toBe(name)
          else expect(error.message.startsWith(name + ': ')).toBe(true)
        }
      }),
      { numRuns: 200, seed: 61 },
    )
    expect(host.listenerCount()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })
})
