// The diff-to-paths rule: what one key's new value costs in a setData payload.
import { diffInto, jsonLength } from '../../src/page/data-diff'
import type { DataPatch } from '../../src/page/data-diff'

function diff(previous: unknown, next: unknown, sent = true): DataPatch {
  const patch: DataPatch = {}
  diffInto(patch, 'value', previous, next, sent)
  return patch
}

const list = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: i, title: 'item ' + i, done: false }))

describe('diffInto', () => {
  it('sends a key never sent before whole', () => {
    expect(diff(undefined, 3, false)).toEqual({ value: 3 })
    expect(diff(undefined, { a: 1 }, false)).toEqual({ value: { a: 1 } })
  })

  it('sends nothing for an unchanged primitive', () => {
    expect(diff(3, 3)).toEqual({})
    expect(diff('a', 'a')).toEqual({})
    expect(diff(null, null)).toEqual({})
  })

  it('sends a changed primitive, and undefined as null (setData refuses undefined)', () => {
    expect(diff(3, 4)).toEqual({ value: 4 })
    expect(diff(3, undefined)).toEqual({ value: null })
  })

  it('sends nothing for an equal new object', () => {
    expect(diff({ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] })).toEqual({})
  })

  it('sends one changed field of one item of a long list as its path', () => {
    const before = list(200)
    const after = before.slice()
    after[3] = { ...after[3], title: 'renamed' }
    expect(diff(before, after)).toEqual({ 'value[3].title': 'renamed' })
  })

  it('sends items appended to an array as indexed paths', () => {
    const before = list(200)
    const after = before.concat(list(2))
    expect(diff(before, after)).toEqual({ 'value[200]': after[200], 'value[201]': after[201] })
  })

  it('sends a shortened array whole (setData cannot shorten by paths)', () => {
    const before = list(5)
    const after = before.slice(0, 3)
    expect(diff(before, after)).toEqual({ value: after })
  })

  it('sends an object that lost a key whole (setData cannot delete)', () => {
    expect(diff({ a: 1, b: 2, long: 'x'.repeat(50) }, { a: 1, long: 'x'.repeat(50) })).toEqual({
      value: { a: 1, long: 'x'.repeat(50) },
    })
  })

  it('sends the whole value when its paths would be bigger', () => {
    expect(diff({ a: 1, b: 2 }, { a: 3, b: 4 })).toEqual({ value: { a: 3, b: 4 } })
  })

  it('sends the whole value past 64 changed paths without measuring', () => {
    const before = list(100)
    const after = before.map((item) => ({ ...item, done: true }))
    expect(diff(before, after)).toEqual({ value: after })
  })

  it('sends a nested object whose key cannot be a path step whole at that level', () => {
    const before = { meta: { 'a.b': 1 }, big: 'x'.repeat(100) }
    const after = { meta: { 'a.b': 2 }, big: before.big }
    expect(diff(before, after)).toEqual({ 'value.meta': { 'a.b': 2 } })
  })

  it('sends an object emitted again as the same reference whole (it may be mutated)', () => {
    const state = { position: 1 }
    expect(diff(state, state)).toEqual({ value: state })
  })

  it('compares dates and class instances by reference', () => {
    const date = new Date(0)
    expect(
      diff({ at: date, pad: 'x'.repeat(40) }, { at: new Date(0), pad: 'x'.repeat(40) }),
    ).toEqual({
      'value.at': new Date(0),
    })
  })
})

describe('jsonLength', () => {
  it('measures JSON, undefined as null, and cyclic values as Infinity', () => {
    expect(jsonLength({ a: 1 })).toBe(7)
    expect(jsonLength(undefined)).toBe(4)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(jsonLength(cyclic)).toBe(Infinity)
  })
})
