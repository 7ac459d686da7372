// The streaming UTF-8 decoder against Node's TextDecoder (the WHATWG decoder) on any bytes
// cut anywhere: valid text comes out whole, invalid bytes become the same U+FFFDs.
import fc from 'fast-check'
import { createUtf8Decoder } from '../../src'

/** `bytes` cut at `cuts` (positions, any order, repeats allowed). */
function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let start = 0
  for (const point of [...points, bytes.length]) {
    out.push(bytes.subarray(start, point))
    start = point
  }
  return out
}

function decodeAll(pieces: Uint8Array[], native = false): string {
  const decoder = createUtf8Decoder({ native })
  let text = ''
  for (const piece of pieces) text += decoder.decode(piece, { stream: true })
  return text + decoder.decode()
}

const reference = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe('createUtf8Decoder', () => {
  it('decodes valid UTF-8 cut anywhere to the original text (4-byte sequences included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.array(fc.nat()), (text, cuts) => {
        const bytes = new Uint8Array(Buffer.from(text, 'utf8'))
        expect(decodeAll(cut(bytes, cuts))).toBe(text.replace(/^\ufeff/, ''))
      }),
      { numRuns: 500 },
    )
  })

  it('turns any bytes cut anywhere into what TextDecoder gives for the whole', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat()), (bytes, cuts) => {
        expect(decodeAll(cut(bytes, cuts))).toBe(reference(bytes))
      }),
      { numRuns: 2000 },
    )
  })

  it('gives the same text with native: true (TextDecoder) as without', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.nat()), (bytes, cuts) => {
        const pieces = cut(bytes, cuts)
        expect(decodeAll(pieces, true)).toBe(decodeAll(pieces, false))
      }),
    )
  })

  it.each([
    ['a 4-byte sequence split after each byte', [0xf0, 0x9f, 0x99, 0x82], '🙂'],
    ['a lone continuation byte', [0x61, 0x80, 0x62], 'a\ufffdb'],
    ['an overlong 2-byte form', [0xc0, 0xaf], '\ufffd\ufffd'],
    ['a surrogate code point (ED A0 80)', [0xed, 0xa0, 0x80], '\ufffd\ufffd\ufffd'],
    ['a truncated 3-byte sequence before ASCII', [0xe2, 0x82, 0x41], '\ufffdA'],
    ['a sequence cut by the end of the stream', [0x41, 0xf0, 0x9f, 0x99], 'A\ufffd'],
    ['a code point above U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80], '\ufffd'.repeat(4)],
  ])('decodes %s byte by byte like the standard', (_name, bytes, expected) => {
    const pieces = bytes.map((b) => new Uint8Array([b]))
    expect(decodeAll(pieces)).toBe(expected)
    expect(reference(new Uint8Array(bytes))).toBe(expected)
  })

  it('drops a BOM at the start (even split), keeps it with ignoreBOM, keeps a later one', () => {
    const bytes = [0xef, 0xbb, 0xbf, 0x68, 0x69, 0xef, 0xbb, 0xbf]
    expect(decodeAll(bytes.map((b) => new Uint8Array([b])))).toBe('hi\ufeff')
    const keeping = createUtf8Decoder({ ignoreBOM: true })
    expect(keeping.decode(new Uint8Array(bytes))).toBe('\ufeffhi\ufeff')
  })

  it('takes ArrayBuffers and views into larger buffers', () => {
    const decoder = createUtf8Decoder()
    const buffer = new Uint8Array(Buffer.from('xx€yy')).buffer
    expect(decoder.decode(new Uint8Array(buffer, 2, 2), { stream: true })).toBe('')
    expect(decoder.decode(new Uint8Array(buffer, 4, 1), { stream: true })).toBe('€')
    expect(decoder.decode(buffer)).toBe('xx€yy')
  })

  it('decodes a long piece (more than one String.fromCharCode.apply slice)', () => {
    const text = 'ab€🙂'.repeat(10000)
    expect(createUtf8Decoder().decode(new Uint8Array(Buffer.from(text)))).toBe(text)
  })

  it('decodes pieces longer than a decoding block (8 KB) as TextDecoder does, invalid bytes included', () => {
    const part = fc.oneof(
      fc.string({ unit: 'binary' }).map((text) => Buffer.from(text, 'utf8')),
      fc.uint8Array({ maxLength: 6 }),
    )
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 2000, maxLength: 3000 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        (parts, cuts) => {
          const bytes = new Uint8Array(Buffer.concat(parts))
          expect(decodeAll(cut(bytes, cuts))).toBe(reference(bytes))
        },
      ),
      { numRuns: 30 },
    )
  })
})
