// jest's jsdom environment has no TextEncoder/TextDecoder, which some of the host's
// dependencies (image-size) use as soon as they load. The host runs on Node, so it fills in
// Node's own where they are missing; where they exist (Node, browsers) nothing changes.
// Imported first by index.ts and host.ts so it runs before any dependency.
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from 'node:util'

const g = globalThis as { TextDecoder?: unknown; TextEncoder?: unknown }
if (typeof g.TextDecoder === 'undefined') g.TextDecoder = NodeTextDecoder
if (typeof g.TextEncoder === 'undefined') g.TextEncoder = NodeTextEncoder
