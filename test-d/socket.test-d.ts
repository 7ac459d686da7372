// createSocket's element types: raw messages are `string | ArrayBuffer` unless `json: true`
// or a deserializer says what they become; the send type follows the serializer.
import type { Observable } from 'rxjs'
import { expectTypeOf } from 'expect-type'
import { createSocket } from 'miniprogram-rx'
import type { Socket } from 'miniprogram-rx'

interface ServerEvent {
  type: 'tick'
  n: number
}
interface ClientEvent {
  type: 'hello'
}

// No json, no deserializer: raw messages, whatever type arguments are written.
const raw = createSocket({ url: 'wss://x' })
expectTypeOf(raw).toEqualTypeOf<Socket<string | ArrayBuffer, string | ArrayBuffer>>()
expectTypeOf(raw.send).parameter(0).toEqualTypeOf<string | ArrayBuffer>()
// @ts-expect-error without json or a deserializer, messages are not ServerEvent
createSocket<ServerEvent, ClientEvent>({ url: 'wss://x' })
// @ts-expect-error the same with only the message type given
createSocket<ServerEvent>({ url: 'wss://x', json: false })

// json: true: the caller's types.
const chat = createSocket<ServerEvent, ClientEvent>({ url: 'wss://x', json: true })
expectTypeOf(chat.messages$).toEqualTypeOf<Observable<ServerEvent>>()
expectTypeOf(chat.send).parameter(0).toEqualTypeOf<ClientEvent>()
expectTypeOf(createSocket({ url: 'wss://x', json: true }).messages$).toEqualTypeOf<
  Observable<unknown>
>()

// A deserializer: its result type, inferred.
const counted = createSocket({ url: 'wss://x', deserializer: (data) => String(data).length })
expectTypeOf(counted.messages$).toEqualTypeOf<Observable<number>>()
expectTypeOf(counted.send).parameter(0).toEqualTypeOf<string | ArrayBuffer>()
const both = createSocket({
  url: 'wss://x',
  deserializer: (data): ServerEvent => JSON.parse(String(data)),
  serializer: (event: ClientEvent) => JSON.stringify(event),
})
expectTypeOf(both).toEqualTypeOf<Socket<ServerEvent, ClientEvent>>()

// A serializer alone: raw messages in, the serializer's type out.
const numbers = createSocket({ url: 'wss://x', serializer: (n: number) => String(n) })
expectTypeOf(numbers).toEqualTypeOf<Socket<string | ArrayBuffer, number>>()
// @ts-expect-error a serializer does not change what messages are
createSocket<ServerEvent>({ url: 'wss://x', serializer: (n: number) => String(n) })

// json decided at run time: nothing is known of the messages.
declare const flag: boolean
expectTypeOf(createSocket({ url: 'wss://x', json: flag }).messages$).toEqualTypeOf<
  Observable<unknown>
>()
