// Splits text that arrives in pieces into lines ended by CR, LF or CRLF, wherever the pieces
// were cut: a CR at the end of one piece and an LF at the start of the next end one line.

/** A stateful splitter of text pieces into lines. */
export interface LineSplitter {
  /** Hands every line that `text` completes to the splitter's `onLine`, in order. */
  push(text: string): void
  /** Hands over the last line if it had no line end (`''` is not a line), and starts over. */
  end(): void
  /** Drops an unfinished line and starts over. */
  reset(): void
}

import { checkValue } from '../core/check'

const CR = 13
const LF = 10

/**
 * A line splitter calling `onLine(line)` for each line, without its line end. CR, LF and CRLF
 * all end a line, including a CRLF split between two pieces.
 *
 * @example
 * const splitter = createLineSplitter((line) => lines.push(line))
 * splitter.push('a\r')
 * splitter.push('\nb\n') // lines: ['a', 'b']
 */
export function createLineSplitter(onLine: (line: string) => void): LineSplitter {
  checkValue('createLineSplitter', 'onLine', onLine, { type: 'function', required: true })
  // The start of a line whose end has not come yet.
  let pending = ''
  // The last piece ended in CR: an LF at the start of the next one belongs to it.
  let skipLF = false

  return {
    push(text) {
      if (typeof text !== 'string') {
        checkValue('LineSplitter.push', 'text', text, { type: 'string', required: true })
      }
      let start = 0
      const length = text.length
      if (skipLF && length) {
        skipLF = false
        if (text.charCodeAt(0) === LF) start = 1
      }
      let nextCR = text.indexOf('\r', start)
      let nextLF = text.indexOf('\n', start)
      while (nextCR >= 0 || nextLF >= 0) {
        const at = nextCR < 0 ? nextLF : nextLF < 0 ? nextCR : Math.min(nextCR, nextLF)
        const line = pending ? pending + text.slice(start, at) : text.slice(start, at)
        pending = ''
        start = at + 1
        if (text.charCodeAt(at) === CR) {
          if (start === length) skipLF = true
          else if (text.charCodeAt(start) === LF) start++
        }
        if (nextCR >= 0 && nextCR < start) nextCR = text.indexOf('\r', start)
        if (nextLF >= 0 && nextLF < start) nextLF = text.indexOf('\n', start)
        onLine(line)
      }
      if (start < length) pending += start ? text.slice(start) : text
    },
    end() {
      const last = pending
      pending = ''
      skipLF = false
      if (last) onLine(last)
    },
    reset() {
      pending = ''
      skipLF = false
    },
  }
}
