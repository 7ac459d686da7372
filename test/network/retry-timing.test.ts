import fc from 'fast-check'
import {
  backoffDelay,
  clamp,
  getHeader,
  parseRetryAfter,
  retryDelay,
} from '../../src/network/retry-timing'

const base = { initial: 300, factor: 2, max: 10_000 }

describe('backoffDelay', () => {
  it('grows exponentially from `initial` (attempt 1 = first retry)', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, base))).toEqual([300, 600, 1200, 2400, 4800])
  })

  it('is capped at `max`, even for huge attempts', () => {
    expect(backoffDelay(7, base)).toBe(10_000)
    expect(backoffDelay(5000, base)).toBe(10_000)
    expect(backoffDelay(1, { initial: 50_000, factor: 2, max: 1000 })).toBe(1000)
  })

  it('treats attempts below 1 or fractional as the nearest sensible attempt', () => {
    expect(backoffDelay(0, base)).toBe(300)
    expect(backoffDelay(-3, base)).toBe(300)
    expect(backoffDelay(2.7, base)).toBe(600)
    expect(backoffDelay(NaN, base)).toBe(300)
  })

  it('keeps a constant delay with factor 1', () => {
    expect(backoffDelay(9, { initial: 250, factor: 1, max: 1000 })).toBe(250)
  })

  it('draws jittered delays from [delay × (1 − jitter), delay]', () => {
    expect(backoffDelay(2, { ...base, jitter: true, random: () => 0 })).toBe(600)
    expect(backoffDelay(2, { ...base, jitter: true, random: () => 0.5 })).toBe(300)
    expect(backoffDelay(2, { ...base, jitter: 0.5, random: () => 0.999999 })).toBe(300)
    expect(backoffDelay(2, { ...base, jitter: 0.25, random: () => 1 })).toBe(450)
    expect(backoffDelay(2, { ...base, jitter: false, random: () => 0.5 })).toBe(600)
  })

  it('never returns NaN, a negative number or more than max', () => {
    fc.assert(
      fc.property(
        fc.double(),
        fc.double(),
        fc.double(),
        fc.double(),
        fc.oneof(fc.boolean(), fc.double()),
        fc.double(),
        (attempt, initial, factor, max, jitter, r) => {
          const d = backoffDelay(attempt, { initial, factor, max, jitter, random: () => r })
          expect(Number.isNaN(d)).toBe(false)
          expect(d).toBeGreaterThanOrEqual(0)
          if (Number.isFinite(max)) expect(d).toBeLessThanOrEqual(Math.max(0, Math.round(max)))
        },
      ),
    )
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2015, 9, 21, 7, 28, 0)

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('1.5', now)).toBe(1500)
    expect(parseRetryAfter(2, now)).toBe(2000)
  })

  it('reads an HTTP date relative to now, never below 0', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0)
  })

  it('gives undefined for missing, negative or unreadable values', () => {
    for (const v of [undefined, null, '', '  ', '-5', 'soon', '1e3', -1, NaN, {}, []]) {
      expect(parseRetryAfter(v, now)).toBeUndefined()
    }
  })
})

describe('getHeader', () => {
  it('finds a header whatever the case of its key', () => {
    expect(getHeader({ 'Retry-After': '3' }, 'retry-after')).toBe('3')
    expect(getHeader({ 'retry-after': '4' }, 'Retry-After')).toBe('4')
    expect(getHeader({ 'RETRY-AFTER': 5 }, 'retry-after')).toBe('5')
    expect(getHeader({ 'retry-after': ['6', '7'] }, 'retry-after')).toBe('6')
  })

  it('gives undefined when absent or when the header is not an object', () => {
    expect(getHeader({ other: '1' }, 'retry-after')).toBeUndefined()
    expect(getHeader(undefined, 'retry-after')).toBeUndefined()
    expect(getHeader('x', 'retry-after')).toBeUndefined()
  })
})

describe('clamp', () => {
  it('limits to [min, max] and turns NaN into min', () => {
    expect(clamp(5, 0, 3)).toBe(3)
    expect(clamp(-1, 0, 3)).toBe(0)
    expect(clamp(2, 0, 3)).toBe(2)
    expect(clamp(NaN, 0, 3)).toBe(0)
  })
})

describe('retryDelay', () => {
  const options = { ...base, jitter: true, random: () => 0.5, maxRetryAfter: 60_000 }

  it('honours Retry-After in any header case, without jitter', () => {
    expect(retryDelay(1, options, { 'Retry-After': '2' })).toBe(2000)
    expect(retryDelay(1, options, { 'retry-after': '2' })).toBe(2000)
  })

  it('clamps Retry-After by maxRetryAfter', () => {
    expect(retryDelay(1, options, { 'retry-after': '3600' })).toBe(60_000)
    expect(retryDelay(1, { ...options, maxRetryAfter: Infinity }, { 'retry-after': '3600' })).toBe(
      3_600_000,
    )
  })

  it('falls back to the jittered backoff without a readable Retry-After', () => {
    expect(retryDelay(3, options, { 'retry-after': 'later' })).toBe(600)
    expect(retryDelay(3, options)).toBe(600)
  })
})
