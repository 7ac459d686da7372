// Bad input against the file promises, on the wx host: every call settles, nothing throws
// synchronously, every rejection is an Error naming the API.
import fc from 'fast-check'
import { isWxError } from '../../src/core/errors'
import { fs } from '../../src/file/file-system'
import { openDocument } from '../../src/file/open-document'
import { getSavedFileInfo, removeSavedFile, saveFile } from '../../src/file/saved-files'
import { createWxHost, type WxHost } from '../../src/testing'
import { badValue, expectSettles } from '../fuzz/fuzz-helpers'

const calls: Record<string, (value: unknown) => Promise<unknown>> = {
  saveFile: (v) => saveFile(v as string),
  getSavedFileInfo: (v) => getSavedFileInfo(v as string),
  removeSavedFile: (v) => removeSavedFile(v as string),
  openDocument: (v) => openDocument(v as string),
}
for (const name of Object.keys(fs)) {
  calls[name === 'saveFile' || name === 'removeSavedFile' ? 'fs.' + name : name] = (v) =>
    (fs as unknown as Record<string, (o: unknown) => Promise<unknown>>)[name](v)
}

describe('file promises under arbitrary input', () => {
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
          const api = name.replace(/^fs\./, '')
          if (isWxError(error)) expect(error.errMsg.startsWith(api + ':fail')).toBe(true)
          else expect(error.message.startsWith(api + ': ')).toBe(true)
        }
      }),
      { numRuns: 300, seed: 62 },
    )
    expect(host.listenerCount()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })
})
