// The names that README and docs examples leave to the reader (your app's types, your server's
// messages, your own helpers), declared once so that every code block type-checks as written
// (scripts/check-docs.mjs). Everything an example takes from miniprogram-rx, rxjs or wx it
// imports or creates itself; only the reader's own things are here.

/** An item of your API's lists. */
interface Item {
  id: number
  title: string
}
/** Your API's user. */
interface User {
  id: number
  name: string
}
/** What your socket server sends. */
type ServerEvent = { type: 'chat'; text: string } | { type: 'ack'; upTo: number }
/** What your app sends on the socket. */
type ClientEvent = { type: 'hello' } | { type: 'chat'; text: string }
/** A numbered message your app sends, acknowledged by the server. */
interface Outgoing {
  n: number
  type: 'chat'
  text: string
}
/** Your app's access token, fetched or refreshed. */
declare function token(): Promise<string>
/** Your own helpers. */
declare function camelize<T>(value: T): T
declare function log(...values: unknown[]): void
/** Values your code has at hand. */
declare const url: string
declare const tempFilePath: string
declare const photoPath: string
declare const hugeSettings: { theme: string; [key: string]: unknown }
