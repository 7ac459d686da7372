// Text over stream$: UTF-8 text pieces, lines (CR, LF or CRLF, wherever the chunks were cut)
// and NDJSON values. Each is one decoder or splitter over the chunks of one call; nothing
// holds more than the unfinished line.
import { Observable, type Subscriber } from 'rxjs'
import { failure, HttpError, isHttpError } from '../core/errors'
import { createLineSplitter } from './line-splitter'
import { stream$, type StreamConfig, type StreamOptions } from './stream'
import { createUtf8Decoder, type Utf8Decoder } from './utf8-decoder'

// An ArrayBuffer from any realm (a test host's are not this realm's).
function isBytes(value: unknown): value is ArrayBuffer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ArrayBuffer).byteLength === 'number' &&
    !ArrayBuffer.isView(value)
  )
}

/** An `HttpError` whose ArrayBuffer body is decoded as UTF-8 text. */
export function withTextBody(error: unknown): unknown {
  if (!isHttpError(error) || !isBytes(error.data)) return error
  return new HttpError({
    api: error.api,
    statusCode: error.statusCode,
    data: createUtf8Decoder().decode(error.data),
    header: error.header,
    request: error.request,
    cause: error.cause,
  })
}

// Subscribes to the stream of `options` and hands each decoded piece of text to `onText`,
// then `onEnd` when the body is complete (both may throw: the error goes to the subscriber).
function decodeStream<T>(
  subscriber: Subscriber<T>,
  options: StreamOptions,
  config: StreamConfig | undefined,
  handlers: { onText(text: string): void; onEnd(): void },
) {
  const decoder: Utf8Decoder = createUtf8Decoder({ native: true })
  return stream$(options, config).subscribe({
    next(event) {
      if (event.type !== 'chunk') return
      const text = decoder.decode(event.data, { stream: true })
      if (!text) return
      try {
        handlers.onText(text)
      } catch (error) {
        subscriber.error(error)
      }
    },
    error: (error: unknown) => subscriber.error(withTextBody(error)),
    complete() {
      try {
        const rest = decoder.decode()
        if (rest) handlers.onText(rest)
        handlers.onEnd()
        subscriber.complete()
      } catch (error) {
        subscriber.error(error)
      }
    },
  })
}

/**
 * The response body as UTF-8 text, one string per piece as it arrives (a character split
 * between chunks comes out whole in the later piece), then complete. Works without
 * `TextDecoder`. Errors as `stream$` does; an `HttpError`'s `data` is the body text read so far.
 *
 * @example
 * text$({ url: 'https://api.example.com/story' }).subscribe((piece) => (story += piece))
 */
export function text$(options: StreamOptions, config?: StreamConfig): Observable<string> {
  return new Observable<string>((subscriber) =>
    decodeStream(subscriber, options, config, {
      onText: (text) => subscriber.next(text),
      onEnd: () => undefined,
    }),
  )
}

/**
 * The response body as lines of UTF-8 text, without their line ends (CR, LF or CRLF, also
 * when split between chunks); a last line without a line end comes out at the end.
 *
 * @example
 * lines$({ url: 'https://api.example.com/log' }).subscribe((line) => log.push(line))
 */
export function lines$(options: StreamOptions, config?: StreamConfig): Observable<string> {
  return new Observable<string>((subscriber) => {
    const splitter = createLineSplitter((line) => subscriber.next(line))
    return decodeStream(subscriber, options, config, {
      onText: (text) => splitter.push(text),
      onEnd: () => splitter.end(),
    })
  })
}

/**
 * Newline-delimited JSON: each non-blank line of the body parsed with `JSON.parse`, as it
 * arrives. A line that is not JSON errors with a `WxError` (code `ERR_FAILED`) and aborts.
 *
 * @example
 * ndjson$<{ token: string }>({ url: 'https://api.example.com/chat', method: 'POST', data })
 *   .subscribe(({ token }) => (answer += token))
 */
export function ndjson$<T = unknown>(options: StreamOptions, config?: StreamConfig): Observable<T> {
  return new Observable<T>((subscriber) => {
    let lineNumber = 0
    const splitter = createLineSplitter((line) => {
      lineNumber++
      if (!/\S/.test(line)) return
      let value: T
      try {
        value = JSON.parse(line) as T
      } catch (error) {
        throw failure('request', 'invalid json', {
          detail: 'NDJSON line ' + lineNumber,
          cause: error,
        })
      }
      subscriber.next(value)
    })
    return decodeStream(subscriber, options, config, {
      onText: (text) => splitter.push(text),
      onEnd: () => splitter.end(),
    })
  })
}
