// The pool's waiting line (was priority-queue.test.ts; the queue now hands out entries, and
// removal takes the entry instead of searching for the item).
import fc from 'fast-check'
import { createCallQueue, type QueueEntry } from '../../src/network/call-queue'

describe('CallQueue', () => {
  it('takes higher priorities first and keeps FIFO order within one', () => {
    const q = createCallQueue<string>()
    q.push('a0', 0)
    q.push('b-1', -1)
    q.push('c5', 5)
    q.push('d0', 0)
    q.push('e0-front', 0, { front: true })
    expect(q.size).toBe(5)
    const out: string[] = []
    while (q.size) out.push(q.shift() as string)
    expect(out).toEqual(['c5', 'e0-front', 'a0', 'd0', 'b-1'])
    expect(q.shift()).toBeUndefined()
  })

  it('removes an entry once, wherever it is, and never returns it', () => {
    const q = createCallQueue<string>()
    const a = q.push('a', 1)
    const b = q.push('b', 1)
    const c = q.push('c', 1, { front: true })
    expect(q.remove(a)).toBe(true)
    expect(q.remove(a)).toBe(false)
    expect(q.remove(c)).toBe(true)
    expect(q.size).toBe(1)
    expect(q.shift()).toBe('b')
    expect(q.remove(b)).toBe(false)
    expect(q.size).toBe(0)
  })

  it('empties a priority whose entries were all removed, newest first', () => {
    const q = createCallQueue<number>()
    const entries = Array.from({ length: 5000 }, (_, i) => q.push(i, 0))
    q.push(-1, -1)
    for (let i = entries.length - 1; i >= 0; i--) expect(q.remove(entries[i])).toBe(true)
    expect(q.size).toBe(1)
    expect(q.shift()).toBe(-1)
  })

  it('matches a stable sort by priority for any sequence of operations', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('push' as const), p: fc.integer({ min: -2, max: 2 }) }),
            fc.record({ op: fc.constant('shift' as const) }),
            fc.record({ op: fc.constant('front' as const), p: fc.integer({ min: -2, max: 2 }) }),
            fc.record({ op: fc.constant('remove' as const), at: fc.nat() }),
          ),
          { maxLength: 3000 },
        ),
        (ops) => {
          type Item = { id: number; p: number; entry?: QueueEntry<Item> }
          const q = createCallQueue<Item>()
          let model: Item[] = []
          let id = 0
          for (const o of ops) {
            if (o.op === 'shift') {
              const best = model.reduce((m, x) => Math.max(m, x.p), -Infinity)
              const i = model.findIndex((x) => x.p === best)
              const expected = i < 0 ? undefined : model.splice(i, 1)[0]
              expect(q.shift()).toBe(expected)
            } else if (o.op === 'remove') {
              if (!model.length) continue
              const [item] = model.splice(o.at % model.length, 1)
              expect(q.remove(item.entry as QueueEntry<Item>)).toBe(true)
            } else {
              const item: Item = { id: id++, p: o.p }
              item.entry = q.push(item, o.p, { front: o.op === 'front' })
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
