import fc from 'fast-check'
import { utf8Length } from '../../src/storage/storage-size'

describe('utf8Length', () => {
  it('matches the UTF-8 byte length Node computes, surrogate pairs and lone halves included', () => {
    const units = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0x7ff }),
      fc.integer({ min: 0x800, max: 0xffff }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
    )
    fc.assert(
      fc.property(fc.array(units, { maxLength: 64 }), (codes) => {
        const s = String.fromCharCode(...codes)
        expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'))
      }),
      { numRuns: 3000, seed: 11 },
    )
    expect(utf8Length('a\u00e9\u4e2d\ud83d\ude00')).toBe(1 + 2 + 3 + 4)
  })

  it('counts a 1 MB string in one pass', () => {
    const big = 'x'.repeat(1024 * 1024 - 3) + '\u4e2d'
    expect(utf8Length(big)).toBe(1024 * 1024)
  })
})
