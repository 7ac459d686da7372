// The event-stream interpretation rules (WHATWG HTML 9.2.6) as a conformance table, the line
// splitter's CR/LF/CRLF handling, and the property that any cut of a valid UTF-8 event
// stream gives the same events as the whole stream.
import fc from 'fast-check'
import { createLineSplitter, createSseParser, createUtf8Decoder, type SseEvent } from '../../src'

function parse(pieces: string[], lastEventId?: string) {
  const events: SseEvent[] = []
  const retries: number[] = []
  const comments: string[] = []
  const parser = createSseParser(
    {
      onEvent: (event) => events.push(event),
      onRetry: (ms) => retries.push(ms),
      onComment: (text) => comments.push(text),
    },
    lastEventId,
  )
  for (const piece of pieces) parser.feed(piece)
  return { events, retries, comments, lastEventId: parser.lastEventId, parser }
}

const message = (data: string, lastEventId = '', type = 'message'): SseEvent => ({
  type,
  data,
  lastEventId,
})

describe('event-stream interpretation', () => {
  it.each<[string, string, SseEvent[]]>([
    ['one data line', 'data: hello\n\n', [message('hello')]],
    ['multi-line data joined by LF', 'data: a\ndata: b\n\n', [message('a\nb')]],
    ['only one space after the colon is dropped', 'data:  two\n\n', [message(' two')]],
    ['no space after the colon', 'data:x\n\n', [message('x')]],
    ['`data:` with an empty value dispatches ""', 'data:\n\n', [message('')]],
    ['`data` without a colon dispatches ""', 'data\n\n', [message('')]],
    ['a block without data dispatches nothing', 'event: ping\nid: 1\n\n', []],
    ['a comment is ignored', ': keep-alive\ndata: x\n\n', [message('x')]],
    ['the event field sets the type', 'event: token\ndata: hi\n\n', [message('hi', '', 'token')]],
    [
      'the type resets after each event',
      'event: a\ndata: 1\n\ndata: 2\n\n',
      [message('1', '', 'a'), message('2')],
    ],
    ['an empty event field means message', 'event:\ndata: x\n\n', [message('x')]],
    ['CR line ends', 'data: a\rdata: b\r\r', [message('a\nb')]],
    ['CRLF line ends', 'data: a\r\ndata: b\r\n\r\n', [message('a\nb')]],
    ['mixed line ends', 'data: a\rdata: b\ndata: c\r\n\n', [message('a\nb\nc')]],
    ['a BOM at the start is skipped', '\ufeffdata: x\n\n', [message('x')]],
    ['a BOM later is part of a field name', 'data: 1\n\n\ufeffdata: 2\n\n', [message('1')]],
    ['unknown fields are ignored', 'foo: bar\ndata: x\n\n', [message('x')]],
    ['field names are case-sensitive', 'Data: x\ndata: y\n\n', [message('y')]],
    [
      'id is kept across events',
      'id: 7\ndata: a\n\ndata: b\n\n',
      [message('a', '7'), message('b', '7')],
    ],
    [
      'an empty id resets it',
      'id: 7\ndata: a\n\nid\ndata: b\n\n',
      [message('a', '7'), message('b')],
    ],
    [
      'an id with NUL is ignored',
      'id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n',
      [message('a', '1'), message('b', '1')],
    ],
    ['a block without data still sets the id', 'id: 5\n\ndata: x\n\n', [message('x', '5')]],
    ['an unfinished event at the end is not dispatched', 'data: a\n\ndata: b\n', [message('a')]],
    ['a colon in the value is kept', 'data: a:b\n\n', [message('a:b')]],
    ['a value ending in LF-like text stays', 'data: x\ndata:\n\n', [message('x\n')]],
  ])('%s', (_name, stream, expected) => {
    expect(parse([stream]).events).toEqual(expected)
  })

  it('takes retry as digits only, and reports comments', () => {
    const out = parse(['retry: 1500\nretry: 1.5\nretry: -1\nretry:  10\nretry\n: ping\n:\n\n'])
    expect(out.retries).toEqual([1500])
    expect(out.comments).toEqual([' ping', ''])
    expect(out.events).toEqual([])
  })

  it('starts from a given last event ID and keeps the ID after reset', () => {
    const out = parse(['data: a\n\nid: 9\ndata: half'], '3')
    expect(out.events).toEqual([message('a', '3')])
    out.parser.reset()
    expect(out.parser.lastEventId).toBe('3')
    // A new connection: the dropped half line does not continue, and a BOM is skipped again.
    out.parser.feed('\ufeffdata: b\n\n')
    expect(out.events).toHaveLength(2)
    expect(out.events[1]).toEqual(message('b', '3'))
  })
})

describe('createLineSplitter', () => {
  it('ends lines at CR, LF and CRLF, also when a CRLF is split between pieces', () => {
    const lines: string[] = []
    const splitter = createLineSplitter((line) => lines.push(line))
    for (const piece of ['a\r', '\nb', '\r', 'c\n', '\r\n', 'last']) splitter.push(piece)
    splitter.end()
    expect(lines).toEqual(['a', 'b', 'c', '', 'last'])
  })
})

// A valid event stream: events with any text (CR and LF excluded from values), any line ends.
const lineEnd = fc.constantFrom('\n', '\r', '\r\n')
const value = fc.string({ unit: 'binary' }).map((s) => s.replace(/[\r\n]/g, ' '))
const block = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom('data', 'event', 'id', 'retry', ':', 'x'), value), {
      maxLength: 4,
    }),
    lineEnd,
  )
  .map(
    ([fields, end]) =>
      fields.map(([name, text]) => (name === ':' ? ':' : name + ': ') + text + end).join('') + end,
  )
const stream = fc
  .tuple(fc.boolean(), fc.array(block, { maxLength: 8 }))
  .map(([bom, blocks]) => (bom ? '\ufeff' : '') + blocks.join(''))

it('gives the same events for any cut of the bytes of a valid UTF-8 event stream', () => {
  fc.assert(
    fc.property(stream, fc.array(fc.nat()), (text, cuts) => {
      const bytes = new Uint8Array(Buffer.from(text, 'utf8'))
      const whole = parse([createUtf8Decoder().decode(bytes)])
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
      const decoder = createUtf8Decoder()
      const pieces: string[] = []
      let start = 0
      for (const point of [...points, bytes.length]) {
        pieces.push(decoder.decode(bytes.subarray(start, point), { stream: true }))
        start = point
      }
      const split = parse(pieces)
      expect(split.events).toEqual(whole.events)
      expect(split.retries).toEqual(whole.retries)
      expect(split.lastEventId).toBe(whole.lastEventId)
    }),
    { numRuns: 500 },
  )
})

it('refuses bad input with a TypeError naming the API and the field', () => {
  expect(() => createSseParser({} as never)).toThrow(
    /^createSseParser: `handlers.onEvent` must be a function/,
  )
  expect(() => createSseParser({ onEvent: () => undefined }, 3 as never)).toThrow(
    /^createSseParser: `lastEventId` must be a string/,
  )
  expect(() => createSseParser({ onEvent: () => undefined }).feed(null as never)).toThrow(
    /^SseParser.feed: `text` must be a string/,
  )
  expect(() => createLineSplitter('x' as never)).toThrow(/^createLineSplitter: `onLine`/)
  expect(() => createUtf8Decoder({ native: 1 } as never)).toThrow(
    /^createUtf8Decoder: `options.native` must be a boolean/,
  )
  expect(() => createUtf8Decoder().decode('abc' as never)).toThrow(
    /^Utf8Decoder.decode: `chunk` must be an ArrayBuffer or a Uint8Array/,
  )
})
