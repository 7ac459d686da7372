// The send buffer of createSocket: FIFO order across compactions, put-back order, clear.
import { SendBuffer, type OutgoingMessage } from '../../src/network/socket-buffer'

function message(order: number): OutgoingMessage {
  return { order, data: String(order) }
}

function drain(buffer: SendBuffer): number[] {
  const out: number[] = []
  for (let next = buffer.takeOldest(); next; next = buffer.takeOldest()) out.push(next.order)
  return out
}

describe('SendBuffer', () => {
  it('gives messages back oldest first, across the compaction of a long run', () => {
    const buffer = new SendBuffer()
    for (let i = 1; i <= 5000; i += 1) buffer.push(message(i))
    const first: number[] = []
    for (let i = 0; i < 3000; i += 1) first.push(buffer.takeOldest()!.order)
    for (let i = 5001; i <= 6000; i += 1) buffer.push(message(i))
    expect(buffer.size).toBe(3000)
    const rest = drain(buffer)
    expect([...first, ...rest]).toEqual(Array.from({ length: 6000 }, (_, i) => i + 1))
    expect(buffer.size).toBe(0)
    expect(buffer.takeOldest()).toBeUndefined()
  })

  it('puts a failed message back before every newer one', () => {
    const buffer = new SendBuffer()
    for (const order of [1, 2, 3, 4, 5]) buffer.push(message(order))
    const taken = [buffer.takeOldest()!, buffer.takeOldest()!, buffer.takeOldest()!]
    buffer.push(message(6))
    buffer.putBack(taken[1])
    buffer.putBack(taken[0])
    buffer.putBack(taken[2])
    expect(drain(buffer)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('clear() drops everything', () => {
    const buffer = new SendBuffer()
    buffer.push(message(1))
    buffer.clear()
    expect(buffer.size).toBe(0)
    expect(buffer.takeOldest()).toBeUndefined()
  })
})
