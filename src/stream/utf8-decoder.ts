// A streaming UTF-8 decoder that needs no TextDecoder (old base libraries lack it). It follows
// the WHATWG Encoding standard's UTF-8 decoder byte for byte: a sequence split across chunks
// is held until its last byte comes, and each maximal invalid subpart becomes one U+FFFD, so
// the text is the same however the bytes were chunked, and the same as TextDecoder's.
import { checkValue, optionsError, type Rule } from '../core/check'

/** What `decode` takes: a chunk of bytes. */
export type ByteChunk = ArrayBuffer | Uint8Array

/** A stateful UTF-8 decoder of a byte stream that arrives in chunks. */
export interface Utf8Decoder {
  /**
   * The text of `chunk`, holding back the bytes of a character it ends in the middle of. With
   * `{ stream: false }` (the last call) held bytes become U+FFFD and the decoder starts over.
   */
  decode(chunk?: ByteChunk, options?: { stream?: boolean }): string
}

/** Options of `createUtf8Decoder`. */
export interface Utf8DecoderOptions {
  /** Keep a byte order mark at the start instead of dropping it. @default false */
  ignoreBOM?: boolean
  /**
   * Use the platform's `TextDecoder` when there is one (see docs/streaming.md for when it is
   * faster); the result is the same. @default false
   */
  native?: boolean
}

const REPLACEMENT = 0xfffd
const BOM = 0xfeff
// Code units turned into a string per String.fromCharCode.apply (engines limit arguments).
const SLICE = 8192
const SHORT = 128

interface DecoderState {
  codePoint: number
  needed: number
  seen: number
  lower: number
  upper: number
}

function resetSequence(state: DecoderState): void {
  state.codePoint = state.needed = state.seen = 0
  state.lower = 0x80
  state.upper = 0xbf
}

// Starts a sequence with lead byte `byte`; false when it cannot start one.
function startSequence(state: DecoderState, byte: number): boolean {
  if (byte >= 0xc2 && byte <= 0xdf) {
    state.needed = 1
    state.codePoint = byte & 0x1f
  } else if (byte >= 0xe0 && byte <= 0xef) {
    if (byte === 0xe0) state.lower = 0xa0
    if (byte === 0xed) state.upper = 0x9f
    state.needed = 2
    state.codePoint = byte & 0xf
  } else if (byte >= 0xf0 && byte <= 0xf4) {
    if (byte === 0xf0) state.lower = 0x90
    if (byte === 0xf4) state.upper = 0x8f
    state.needed = 3
    state.codePoint = byte & 0x7
  } else {
    return false
  }
  return true
}

const fromCharCode = String.fromCharCode

// Short pieces (the common case of small network chunks) are faster to build eight code
// units per call than through `apply`, which has to copy a typed-array view into arguments.
function shortString(units: Uint16Array, length: number): string {
  let out = ''
  let at = 0
  for (; at + 8 <= length; at += 8) {
    out += fromCharCode(
      units[at],
      units[at + 1],
      units[at + 2],
      units[at + 3],
      units[at + 4],
      units[at + 5],
      units[at + 6],
      units[at + 7],
    )
  }
  for (; at < length; at++) out += fromCharCode(units[at])
  return out
}

function unitsToString(units: Uint16Array, length: number): string {
  if (length <= SHORT) return shortString(units, length)
  if (length <= SLICE) return String.fromCharCode.apply(null, units.subarray(0, length) as any)
  let out = ''
  for (let at = 0; at < length; at += SLICE) {
    const end = Math.min(at + SLICE, length)
    out += String.fromCharCode.apply(null, units.subarray(at, end) as any)
  }
  return out
}

const CHUNK_RULE: Rule = {
  type: 'custom',
  test: (value) =>
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    Object.prototype.toString.call(value) === '[object ArrayBuffer]',
  expected: 'an ArrayBuffer or a Uint8Array',
}

function toBytes(chunk: ByteChunk | undefined): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk
  // The rule only runs for what the fast paths do not know (a hot path: one call per chunk).
  if (!(chunk instanceof ArrayBuffer)) checkValue('Utf8Decoder.decode', 'chunk', chunk, CHUNK_RULE)
  if (!chunk) return new Uint8Array(0)
  return ArrayBuffer.isView(chunk)
    ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    : new Uint8Array(chunk)
}

function createOwnDecoder(ignoreBOM: boolean): Utf8Decoder {
  const state: DecoderState = { codePoint: 0, needed: 0, seen: 0, lower: 0x80, upper: 0xbf }
  let units = new Uint16Array(256)
  let started = false

  // Decodes `bytes` into `units`; returns how many code units it wrote.
  const decodeInto = (bytes: Uint8Array): number => {
    let written = 0
    const length = bytes.length
    for (let at = 0; at < length; at++) {
      let byte = bytes[at]
      if (state.needed === 0) {
        // A run of ASCII, the common case, in a tight loop.
        while (byte < 0x80) {
          units[written++] = byte
          if (++at === length) return written
          byte = bytes[at]
        }
        if (!startSequence(state, byte)) units[written++] = REPLACEMENT
        continue
      }
      if (byte < state.lower || byte > state.upper) {
        // The bytes so far are one maximal invalid subpart; this byte starts afresh.
        resetSequence(state)
        units[written++] = REPLACEMENT
        at--
        continue
      }
      state.lower = 0x80
      state.upper = 0xbf
      state.codePoint = (state.codePoint << 6) | (byte & 0x3f)
      if (++state.seen !== state.needed) continue
      const codePoint = state.codePoint
      resetSequence(state)
      if (codePoint > 0xffff) {
        units[written++] = 0xd800 + ((codePoint - 0x10000) >> 10)
        units[written++] = 0xdc00 + ((codePoint - 0x10000) & 0x3ff)
      } else {
        units[written++] = codePoint
      }
    }
    return written
  }

  return {
    decode(chunk, options) {
      const bytes = toBytes(chunk)
      // Each byte gives at most one code unit, except the last of a held 4-byte sequence (two)
      // and the U+FFFD of bytes still held at the end.
      if (units.length < bytes.length + 3) units = new Uint16Array(bytes.length + 256)
      let written = decodeInto(bytes)
      if (!(options && options.stream) && state.needed !== 0) {
        resetSequence(state)
        units[written++] = REPLACEMENT
      }
      let text = written ? unitsToString(units, written) : ''
      if (!started && text) {
        started = true
        if (!ignoreBOM && text.charCodeAt(0) === BOM) text = text.slice(1)
      }
      if (!(options && options.stream)) started = false
      return text
    },
  }
}

interface TextDecoderLike {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string
}

type TextDecoderClass = new (label: string, options?: { ignoreBOM?: boolean }) => TextDecoderLike

// The platform's TextDecoder, a free global where it exists (declared here, in this module
// only, because the mini program typings do not have it).
declare const TextDecoder: TextDecoderClass | undefined

function nativeTextDecoder(): TextDecoderClass | undefined {
  return typeof TextDecoder === 'function' ? TextDecoder : undefined
}

/**
 * A streaming UTF-8 decoder: pass each chunk with `{ stream: true }` and the text comes out
 * right even when a chunk ends inside a character (4-byte sequences included); invalid bytes
 * become U+FFFD exactly as the WHATWG Encoding standard (and `TextDecoder`) does. Works
 * without `TextDecoder`; `native: true` uses it where present.
 *
 * @example
 * const decoder = createUtf8Decoder()
 * const text = decoder.decode(chunk, { stream: true })
 */
export function createUtf8Decoder(options: Utf8DecoderOptions = {}): Utf8Decoder {
  const error = optionsError(
    'createUtf8Decoder',
    options,
    { ignoreBOM: { type: 'boolean' }, native: { type: 'boolean' } },
    { optional: true },
  )
  if (error) throw error
  const ignoreBOM = options.ignoreBOM === true
  const Native = options.native ? nativeTextDecoder() : undefined
  if (!Native) return createOwnDecoder(ignoreBOM)
  const native = new Native('utf-8', { ignoreBOM })
  return {
    decode: (chunk, decodeOptions) =>
      native.decode(toBytes(chunk), { stream: !!(decodeOptions && decodeOptions.stream) }),
  }
}
