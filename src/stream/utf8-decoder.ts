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
// Bytes decoded per block: each block's code units (at most a few more than its bytes) become
// a string in one String.fromCharCode.apply, whose arguments engines limit, and an array this
// size stays cheap to fill.
const BLOCK = 8192

// The bounds of a continuation byte; the second byte of some sequences has narrower ones.
const CONTINUATION_LOWER = 0x80
const CONTINUATION_UPPER = 0xbf

// The length of the sequence that lead byte `byte` starts (2 to 4), or 0 when it starts none.
function sequenceLength(byte: number): number {
  if (byte >= 0xc2 && byte <= 0xdf) return 2
  if (byte >= 0xe0 && byte <= 0xef) return 3
  if (byte >= 0xf0 && byte <= 0xf4) return 4
  return 0
}

// The lowest and highest second byte after lead byte `lead` (no overlong forms, no
// surrogates, nothing above U+10FFFF).
function secondByteLower(lead: number): number {
  if (lead === 0xe0) return 0xa0
  return lead === 0xf0 ? 0x90 : CONTINUATION_LOWER
}

function secondByteUpper(lead: number): number {
  if (lead === 0xed) return 0x9f
  return lead === 0xf4 ? 0x8f : CONTINUATION_UPPER
}

function isContinuation(byte: number): boolean {
  return byte >= CONTINUATION_LOWER && byte <= CONTINUATION_UPPER
}

// Whether the `length` bytes from `at` (inside `bytes`) are one valid sequence.
function isValidSequence(bytes: Uint8Array, at: number, length: number): boolean {
  const second = bytes[at + 1]
  const lead = bytes[at]
  if (second < secondByteLower(lead) || second > secondByteUpper(lead)) return false
  if (length > 2 && !isContinuation(bytes[at + 2])) return false
  return length < 4 || isContinuation(bytes[at + 3])
}

// The payload bits of lead byte `lead` of a sequence of `length` bytes.
function leadBits(lead: number, length: number): number {
  if (length === 2) return lead & 0x1f
  return length === 3 ? lead & 0x0f : lead & 0x07
}

// The code point of the valid sequence of `length` bytes from `at`: the lead byte's low bits,
// then six bits from each continuation byte.
function sequenceCodePoint(bytes: Uint8Array, at: number, length: number): number {
  const lead = leadBits(bytes[at], length)
  const second = bytes[at + 1] & 0x3f
  if (length === 2) return (lead << 6) | second
  const third = bytes[at + 2] & 0x3f
  if (length === 3) return (lead << 12) | (second << 6) | third
  return (lead << 18) | (second << 12) | (third << 6) | (bytes[at + 3] & 0x3f)
}

// Appends `codePoint` to `units` as one code unit or a surrogate pair.
function pushCodePoint(units: number[], codePoint: number): void {
  if (codePoint > 0xffff) {
    units.push(0xd800 + ((codePoint - 0x10000) >> 10))
    units.push(0xdc00 + ((codePoint - 0x10000) & 0x3ff))
  } else {
    units.push(codePoint)
  }
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

// A sequence cut by the end of a chunk, decoded byte by byte as its bytes come.
interface HeldSequence {
  codePoint: number
  needed: number
  seen: number
  lower: number
  upper: number
}

function startHeld(held: HeldSequence, lead: number, length: number): void {
  held.needed = length - 1
  held.seen = 0
  held.codePoint = leadBits(lead, length)
  held.lower = secondByteLower(lead)
  held.upper = secondByteUpper(lead)
}

// Feeds `byte` to the held sequence: true when it took the byte (the sequence may now be
// complete); false when the byte does not continue it, and the held bytes are one maximal
// invalid subpart (the caller writes U+FFFD and reads the byte afresh).
function continueHeld(held: HeldSequence, byte: number): boolean {
  if (byte < held.lower || byte > held.upper) {
    held.needed = 0
    return false
  }
  held.lower = CONTINUATION_LOWER
  held.upper = CONTINUATION_UPPER
  held.codePoint = (held.codePoint << 6) | (byte & 0x3f)
  held.seen++
  return true
}

// Feeds the bytes of `bytes` from `at` to the held sequence while it waits for some; returns
// where the rest of the chunk starts. A byte that does not continue the sequence ends it as
// one maximal invalid subpart (one U+FFFD) and is left to be read afresh.
function finishHeld(bytes: Uint8Array, at: number, held: HeldSequence, units: number[]): number {
  while (held.needed !== 0 && at < bytes.length) {
    if (!continueHeld(held, bytes[at])) {
      units.push(REPLACEMENT)
      return at
    }
    at++
    if (held.seen === held.needed) {
      held.needed = 0
      pushCodePoint(units, held.codePoint)
    }
  }
  return at
}

// The text of one block of at most BLOCK bytes. A sequence wholly inside the block is read at
// once; one cut by the block's end, or invalid, goes byte by byte through `held` (kept for the
// next block or chunk).
function decodeBlock(bytes: Uint8Array, held: HeldSequence): string {
  // A fresh array per block is cheaper than emptying one (setting its length).
  const units: number[] = []
  const length = bytes.length
  let at = finishHeld(bytes, 0, held, units)
  while (at < length) {
    const byte = bytes[at]
    if (byte < 0x80) {
      units.push(byte)
      at++
      continue
    }
    const sequence = sequenceLength(byte)
    if (sequence === 0) {
      units.push(REPLACEMENT)
      at++
    } else if (at + sequence <= length && isValidSequence(bytes, at, sequence)) {
      pushCodePoint(units, sequenceCodePoint(bytes, at, sequence))
      at += sequence
    } else {
      startHeld(held, byte, sequence)
      at = finishHeld(bytes, at + 1, held, units)
    }
  }
  return units.length ? String.fromCharCode.apply(null, units) : ''
}

// The text of `bytes`, decoded block by block so that the array of code units stays small.
function decodeBlocks(bytes: Uint8Array, held: HeldSequence): string {
  if (bytes.length <= BLOCK) return decodeBlock(bytes, held)
  let text = ''
  for (let start = 0; start < bytes.length; start += BLOCK) {
    text += decodeBlock(bytes.subarray(start, Math.min(start + BLOCK, bytes.length)), held)
  }
  return text
}

function createOwnDecoder(ignoreBOM: boolean): Utf8Decoder {
  const held: HeldSequence = { codePoint: 0, needed: 0, seen: 0, lower: 0, upper: 0 }
  let started = false

  return {
    decode(chunk, options) {
      const stream = !!(options && options.stream)
      let text = decodeBlocks(toBytes(chunk), held)
      if (!stream && held.needed !== 0) {
        held.needed = 0
        text += String.fromCharCode(REPLACEMENT)
      }
      if (!started && text) {
        started = true
        if (!ignoreBOM && text.charCodeAt(0) === BOM) text = text.slice(1)
      }
      if (!stream) started = false
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
