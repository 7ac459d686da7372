import {
  check,
  checkValue,
  clampDelay,
  expectedOf,
  MAX_TIMER_DELAY,
  optionsError,
  passes,
  type Rule,
} from '../../src/core/check'

describe('rule objects', () => {
  const cases: Array<[rule: Rule, good: unknown[], bad: unknown[], expected: string]> = [
    [{ type: 'string' }, ['', 'a', undefined], [1, null], 'a string'],
    [
      { type: 'string', nonEmpty: true, required: true },
      ['a'],
      ['', undefined],
      'a non-empty string',
    ],
    [{ type: 'string', oneOf: ['a', 'b'] }, ['a'], ['c'], 'one of a, b'],
    [
      { type: 'number', min: 0, exclusiveMin: true, max: 10 },
      [10, 0.5],
      [0, 11, NaN],
      'a number in (0, 10]',
    ],
    [{ type: 'number', min: 0, integer: true }, [0, 3], [-1, 1.5, Infinity], 'a whole number >= 0'],
    [
      { type: 'number', min: 0, integer: true, allowInfinity: true },
      [Infinity, 2],
      [-Infinity, 0.5],
      'a whole number >= 0',
    ],
    [{ type: 'number' }, [1], [Infinity, NaN, '1'], 'a finite number'],
    [{ type: 'boolean' }, [true], [0], 'a boolean'],
    [{ type: 'function' }, [() => 1], [{}], 'a function'],
    [{ type: 'object' }, [{}], [[], null], 'an object'],
    [
      { type: 'array', nonEmpty: true, items: { type: 'string' } },
      [['a']],
      [[], [1], [undefined]],
      'a non-empty array, each a string',
    ],
    [{ type: 'oneOf', values: [1000, 3000] }, [1000], [1001], 'one of 1000, 3000'],
    [
      { type: 'custom', test: (v) => v === 'x', expected: 'the letter x' },
      ['x'],
      ['y'],
      'the letter x',
    ],
  ]

  it.each(cases)('%j', (rule, good, bad, expected) => {
    for (const value of good) expect(passes(rule, value)).toBe(true)
    for (const value of bad) expect(passes(rule, value)).toBe(false)
    expect(expectedOf(rule)).toBe(expected)
  })

  it('names the API, the field, what was expected and what was given', () => {
    expect(() =>
      check(
        'request',
        { timeout: -1 },
        { timeout: { type: 'number', min: 0, exclusiveMin: true } },
      ),
    ).toThrow(new TypeError('request: `options.timeout` must be a number > 0, got number -1'))
    expect(() => checkValue('close', 'code', 1001, { type: 'oneOf', values: [1000] })).toThrow(
      TypeError,
    )
  })

  it('checks an options argument as a whole', () => {
    const rules = { url: { type: 'string', required: true } } as const
    expect(optionsError('x', 5, rules)?.message).toBe(
      'x: `options` must be an object, got number 5',
    )
    expect(optionsError('x', undefined, rules, { optional: true })).toBeUndefined()
    expect(optionsError('x', {}, rules)?.message).toContain('`options.url` must be a string')
  })

  it('clamps timer delays to what engines can wait', () => {
    expect(clampDelay(Number.MAX_SAFE_INTEGER)).toBe(MAX_TIMER_DELAY)
    expect(clampDelay(-5)).toBe(0)
    expect(clampDelay(NaN)).toBe(0)
    expect(clampDelay(10)).toBe(10)
  })
})
