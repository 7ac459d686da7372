// Element types of the streaming Observables, checked against dist/index.d.ts.
import { expectTypeOf } from 'expect-type'
import {
  createSseParser,
  createUtf8Decoder,
  lines$,
  ndjson$,
  sse$,
  stream$,
  text$,
  type SseEvent,
  type StreamEvent,
} from 'miniprogram-rx'
import type { Observable } from 'rxjs'

const url = 'https://api.example.com/stream'

expectTypeOf(stream$({ url })).toEqualTypeOf<Observable<StreamEvent>>()
expectTypeOf(text$({ url })).toEqualTypeOf<Observable<string>>()
expectTypeOf(lines$({ url })).toEqualTypeOf<Observable<string>>()
expectTypeOf(ndjson$<{ token: string }>({ url })).toEqualTypeOf<Observable<{ token: string }>>()
expectTypeOf(sse$({ url, reconnect: false })).toEqualTypeOf<Observable<SseEvent>>()

// the stream's events narrow on `type`
stream$({ url }).subscribe((event) => {
  if (event.type === 'chunk') expectTypeOf(event.data).toEqualTypeOf<ArrayBuffer>()
  else expectTypeOf(event.header).toEqualTypeOf<Record<string, string>>()
})
sse$({ url }).subscribe((event) => {
  expectTypeOf(event.data).toEqualTypeOf<string>()
  expectTypeOf(event.lastEventId).toEqualTypeOf<string>()
})

expectTypeOf(
  createUtf8Decoder().decode(new ArrayBuffer(1), { stream: true }),
).toEqualTypeOf<string>()
expectTypeOf(createSseParser({ onEvent: () => undefined }).lastEventId).toEqualTypeOf<string>()

// @ts-expect-error: stream$ sets onChunkReceived itself
stream$({ url, onChunkReceived: () => undefined })
// @ts-expect-error: reconnect is false or an object
sse$({ url, reconnect: true })
