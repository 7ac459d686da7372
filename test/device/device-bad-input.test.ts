// Bad input against the device promises, on the wx host: every call settles, nothing throws
// synchronously, every rejection is an Error naming the API.
import fc from 'fast-check'
import { makePhoneCall } from '../../src/device/phone'
import { scanCode } from '../../src/device/scan'
import { badValue, expectSettlesNamingApi, useFuzzHost } from '../fuzz/fuzz-helpers'

const calls: Record<string, (value: unknown) => Promise<unknown>> = {
  makePhoneCall: (v) => makePhoneCall(v as string),
  scanCode: (v) => scanCode(v as never),
}

describe('device promises under arbitrary input', () => {
  useFuzzHost()

  it('settles with a value or an Error naming the API, never throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(calls)), badValue(), (name, value) =>
        expectSettlesNamingApi(name, calls[name], value),
      ),
      { numRuns: 200, seed: 61 },
    )
  })
})
