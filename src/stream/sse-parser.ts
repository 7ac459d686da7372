// The WHATWG HTML "event stream" interpretation (section 9.2.6), over text that arrives in
// pieces: lines end in CR, LF or CRLF; a blank line dispatches the event being built; `:`
// starts a comment; a field is `name: value` with one space after the colon dropped, or a
// bare `name` with an empty value. Only `event`, `data`, `id` and `retry` mean anything.
import { checkValue, optionsError } from '../core/check'
import { createLineSplitter } from './line-splitter'

/** One dispatched event of an event stream (the fields of the DOM's `MessageEvent`). */
export interface SseEvent {
  /** The `event` field, or `'message'` when the block had none. */
  type: string
  /** The `data` fields of the block joined by `\n`. */
  data: string
  /** The last event ID at dispatch: the latest `id` field seen, kept across events. */
  lastEventId: string
}

/** Where a parser reports what it reads. */
export interface SseParserHandlers {
  /** Called with each event, in order. */
  onEvent(event: SseEvent): void
  /** Called with each valid `retry` field: the new reconnection time in ms. */
  onRetry?(milliseconds: number): void
  /** Called with the text of each comment line (after the `:`), e.g. keep-alives. */
  onComment?(comment: string): void
}

/** A stateful event-stream parser. */
export interface SseParser {
  /** Reads the next piece of the decoded stream. */
  feed(text: string): void
  /**
   * Ends the stream: an event still being built (no blank line after it) is dropped, as the
   * standard says, and the parser is ready for a new connection. The last event ID is kept.
   */
  reset(): void
  /** The last event ID: what a reconnection sends as `Last-Event-ID`. */
  readonly lastEventId: string
}

const API = 'createSseParser'
const HANDLER_RULES = {
  onEvent: { type: 'function', required: true },
  onRetry: { type: 'function' },
  onComment: { type: 'function' },
} as const
const TEXT_RULE = { type: 'string', required: true } as const
const DIGITS = /^[0-9]+$/
const BOM = '\ufeff'

/**
 * An event-stream parser calling `handlers.onEvent` for each event. The last event ID starts
 * as `lastEventId` (a reconnection's). Feed it decoded text (see `createUtf8Decoder`); a BOM
 * at the start of the stream is skipped.
 *
 * @example
 * const parser = createSseParser({ onEvent: (e) => console.log(e.type, e.data) })
 * parser.feed('data: hello\n\n')
 */
export function createSseParser(handlers: SseParserHandlers, lastEventId = ''): SseParser {
  const error = optionsError(API, handlers, HANDLER_RULES, { name: 'handlers' })
  if (error) throw error
  checkValue(API, 'lastEventId', lastEventId, { type: 'string' })
  let data = ''
  let hasData = false
  let eventType = ''
  let idBuffer = lastEventId
  let eventId = lastEventId
  let atStart = true

  const dispatch = () => {
    eventId = idBuffer
    if (!hasData) {
      eventType = ''
      return
    }
    const event: SseEvent = { type: eventType || 'message', data, lastEventId: eventId }
    data = ''
    hasData = false
    eventType = ''
    handlers.onEvent(event)
  }

  const field = (name: string, value: string) => {
    switch (name) {
      case 'data':
        data = hasData ? data + '\n' + value : value
        hasData = true
        break
      case 'event':
        eventType = value
        break
      case 'id':
        if (value.indexOf('\0') < 0) idBuffer = value
        break
      case 'retry':
        if (DIGITS.test(value) && handlers.onRetry) handlers.onRetry(parseInt(value, 10))
        break
    }
  }

  const line = (text: string) => {
    if (text === '') return dispatch()
    const colon = text.indexOf(':')
    if (colon === 0) {
      if (handlers.onComment) handlers.onComment(text.slice(1))
      return
    }
    if (colon < 0) return field(text, '')
    const valueStart = text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1
    field(text.slice(0, colon), text.slice(valueStart))
  }

  const splitter = createLineSplitter(line)

  return {
    feed(text) {
      if (typeof text !== 'string') checkValue('SseParser.feed', 'text', text, TEXT_RULE)
      if (atStart && text) {
        atStart = false
        if (text.charAt(0) === BOM) text = text.slice(1)
      }
      splitter.push(text)
    },
    reset() {
      // An unterminated last line belongs to the incomplete event that is dropped.
      splitter.reset()
      data = ''
      hasData = false
      eventType = ''
      idBuffer = eventId
      atStart = true
    },
    get lastEventId() {
      return eventId
    },
  }
}
