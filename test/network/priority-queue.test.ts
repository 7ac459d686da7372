import fc from 'fast-check'
import { createPriorityQueue } from '../../src/network/priority-queue'

describe('PriorityQueue', () => {
  it('takes higher priorities first and keeps FIFO order within one', () => {
    const q = createPriorityQueue<string>()
    q.push('a0', 0)
    q.push('b-1', -1)
    q.push('c5', 5)
    q.push('d0', 0)
    q.push('e0-front', 0, true)
    expect(q.size).toBe(5)
    const out: string[] = []
    while (q.size) out.push(q.shift() as string)
    expect(out).toEqual(['c5', 'e0-front', 'a0', 'd0', 'b-1'])
    expect(q.shift()).toBeUndefined()
  })

  it('removes an item by identity', () => {
    const q = createPriorityQueue<object>()
    const a = {}
    const b = {}
    q.push(a, 1)
    q.push(b, 1)
    expect(q.remove(a, 1)).toBe(true)
    expect(q.remove(a, 1)).toBe(false)
    expect(q.remove(b, 2)).toBe(false)
    expect(q.size).toBe(1)
    expect(q.shift()).toBe(b)
  })

  it('matches a stable sort by priority for any sequence of operations', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('push' as const), p: fc.integer({ min: -2, max: 2 }) }),
            fc.record({ op: fc.constant('shift' as const) }),
            fc.record({ op: fc.constant('front' as const), p: fc.integer({ min: -2, max: 2 }) }),
          ),
          { maxLength: 3000 },
        ),
        (ops) => {
          const q = createPriorityQueue<{ id: number; p: number }>()
          let model: Array<{ id: number; p: number }> = []
          let id = 0
          for (const o of ops) {
            if (o.op === 'shift') {
              const best = model.reduce((m, x) => Math.max(m, x.p), -Infinity)
              const i = model.findIndex((x) => x.p === best)
              const expected = i < 0 ? undefined : model.splice(i, 1)[0]
              expect(q.shift()).toBe(expected)
            } else {
              const item = { id: id++, p: o.p }
              q.push(item, o.p, o.op === 'front')
              if (o.op === 'front') {
                const i = model.findIndex((x) => x.p === o.p)
                model.splice(i < 0 ? model.length : i, 0, item)
              } else {
                const i = model.map((x) => x.p).lastIndexOf(o.p)
                model.splice(i < 0 ? model.length : i + 1, 0, item)
              }
              model = model.slice()
            }
            expect(q.size).toBe(model.length)
          }
        },
      ),
      { numRuns: 50 },
    )
  })
})
