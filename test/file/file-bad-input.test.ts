// Bad input against the file promises, on the wx host: every call settles, nothing throws
// synchronously, every rejection is an Error naming the API.
import fc from 'fast-check'
import { fs } from '../../src/file/file-system'
import { openDocument } from '../../src/file/open-document'
import { getSavedFileInfo, removeSavedFile, saveFile } from '../../src/file/saved-files'
import { badValue, expectSettlesNamingApi, useFuzzHost } from '../fuzz/fuzz-helpers'

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
  const host = useFuzzHost()

  it('settles with a value or an Error naming the API, never throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(calls)), badValue(), (name, value) =>
        expectSettlesNamingApi(name.replace(/^fs\./, ''), calls[name], value),
      ),
      { numRuns: 300, seed: 62 },
    )
    expect(host().listenerCount()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })
})
