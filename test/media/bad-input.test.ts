// Properties: whatever a caller passes, the media and auth APIs never throw synchronously,
// always settle, and reject only with Error instances.
import fc from 'fast-check'
import { ensureScope } from '../../src/permission/ensure-scope'
import { createAudioPlayer } from '../../src/media/audio-player'
import { backgroundAudio } from '../../src/media/background-audio'
import {
  chooseImages,
  getImageInfo,
  previewImage,
  saveImageToPhotosAlbum,
} from '../../src/media/image'
import { record$ } from '../../src/media/recorder'
import { playVoice } from '../../src/media/voice'
import { createFakeMediaWx } from './fake-media-wx'
import { expectNoLeaks } from './leaks'

type Call = (input: any) => Promise<unknown> | unknown

const player = () => createAudioPlayer()
const calls: Record<string, Call> = {
  'backgroundAudio.play': (x) => backgroundAudio.play(x),
  'backgroundAudio.queue': (x) => backgroundAudio.queue(x, x),
  'backgroundAudio.seek': (x) => backgroundAudio.seek(x),
  'audioPlayer.play': (x) => {
    const p = player()
    return p.play(x).finally(() => p.dispose())
  },
  playVoice: (x) => playVoice(x, x),
  chooseImages: (x) => chooseImages(x),
  previewImage: (x) => previewImage(x),
  getImageInfo: (x) => getImageInfo(x),
  saveImageToPhotosAlbum: (x) => saveImageToPhotosAlbum(x, x),
  ensureScope: (x) => ensureScope(x, x),
  record$: (x) =>
    new Promise<void>((resolve, reject) => {
      const sub = record$(x).subscribe({ error: reject, complete: resolve })
      // a valid recording is simply ended by the caller
      Promise.resolve().then(() => {
        sub.unsubscribe()
        resolve()
      })
    }),
}

const inputs = fc.oneof(
  fc.anything(),
  fc.record({ src: fc.string(), title: fc.string(), startTime: fc.double() }, { requiredKeys: [] }),
  fc.record(
    {
      count: fc.integer(),
      urls: fc.array(fc.string()),
      current: fc.oneof(fc.integer(), fc.string()),
    },
    { requiredKeys: [] },
  ),
  fc.constantFrom('scope.record', 'scope.', 'wxfile://tmp_1.png', '', NaN, -1, 1e9),
)

beforeEach(() => {
  jest.useFakeTimers()
})

afterEach(() => {
  jest.useRealTimers()
})

describe('bad input', () => {
  for (const [name, call] of Object.entries(calls)) {
    it(
      name + ' never throws synchronously, always settles, and rejects only with Error',
      async () => {
        await fc.assert(
          fc.asyncProperty(inputs, async (input) => {
            const fake = createFakeMediaWx()
            const restore = fake.install()
            try {
              let result: unknown
              expect(() => {
                result = call(input)
              }).not.toThrow()
              let outcome: { error?: unknown; settled: boolean } = { settled: false }
              Promise.resolve(result).then(
                () => (outcome = { settled: true }),
                (error) => (outcome = { settled: true, error }),
              )
              // players that never answer: the deadlines end the verbs
              await jest.advanceTimersByTimeAsync(70000)
              expect(outcome.settled).toBe(true)
              if (outcome.error !== undefined) expect(outcome.error).toBeInstanceOf(Error)
              backgroundAudio.getState()
              expectNoLeaks(fake.summary(), /^(Manager\.|Recorder\.)/)
            } finally {
              restore()
            }
          }),
          { numRuns: 40 },
        )
      },
    )
  }
})
