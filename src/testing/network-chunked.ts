// Chunked responses of the host's wx.request (`enableChunked`, base library 2.20.2): the
// task's onChunkReceived/offChunkReceived, a base-library knob for clients that lack them,
// and a seeded re-split of the body into pieces cut at arbitrary bytes (inside UTF-8
// sequences and CRLFs), as a phone's network stack cuts them.
import { toArrayBuffer } from './network-encoding'
import { TaskEvent } from './network-task'

/** How the host cuts the chunks of a chunked response. */
export interface ChunkSplitOptions {
  /** Seed of the cuts: the same seed cuts the same body the same way. */
  seed: number
  /** The largest piece in bytes; each piece is 1 to `maxSize` bytes. @default 16 */
  maxSize?: number
}

/** Options of chunked responses (`createWxHost({ http: { chunked } })`). */
export interface ChunkedHostOptions {
  /**
   * Whether the simulated base library has chunked requests (2.20.2+). Without them a
   * RequestTask has no `onChunkReceived`/`offChunkReceived` and `enableChunked` is ignored:
   * the whole body comes in `success`, as on an old client. @default true
   */
  supported?: boolean
  /** Re-split every chunk at seeded random bytes; without it chunks are Node's reads. */
  split?: ChunkSplitOptions
}

/** Test controls of chunked responses (`host.http.chunked`). */
export interface ChunkedHostControls {
  /** Whether new RequestTasks have `onChunkReceived`; assignable. */
  supported: boolean
  /** The re-split of new responses, or `undefined` for Node's reads; assignable. */
  split: ChunkSplitOptions | undefined
  /** Chunk listeners still attached to any RequestTask the host made. */
  readonly listenerCount: number
  /** Chunks delivered to listeners since the host started. */
  readonly chunksSent: number
}

/** The body of one chunked response: `write` each read of it, in order. */
export interface ChunkedBody {
  write(chunk: Buffer): void
}

// mulberry32: a small seeded generator, enough to make cuts reproducible.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The chunked part of the host's network: one per host. */
export class ChunkedResponses {
  readonly controls: ChunkedHostControls
  private readonly events = new Set<TaskEvent<object>>()
  private sent = 0

  constructor(options: ChunkedHostOptions = {}) {
    const owner = this
    this.controls = {
      supported: options.supported !== false,
      split: options.split,
      get listenerCount() {
        let count = 0
        for (const event of owner.events) count += event.size
        return count
      },
      get chunksSent() {
        return owner.sent
      },
    }
  }

  /**
   * The chunk members of a new RequestTask (none where the base library lacks them), and the
   * body writer when the request asked for `enableChunked` and the client has it.
   */
  attach(enableChunked: unknown): {
    members: Record<string, (listener?: unknown) => void>
    body?: ChunkedBody
  } {
    if (!this.controls.supported) return { members: {} }
    const event = new TaskEvent<object>()
    this.events.add(event)
    const members = {
      onChunkReceived: (listener?: unknown) => event.on(listener),
      offChunkReceived: (listener?: unknown) => event.off(listener),
    }
    if (enableChunked !== true) return { members }
    const split = this.controls.split
    const random = split && seededRandom(split.seed)
    const maxSize = Math.max(1, (split && split.maxSize) || 16)
    const deliver = (bytes: Buffer) => {
      this.sent += 1
      event.emit({ data: toArrayBuffer(bytes) })
    }
    return {
      members,
      body: {
        write: (chunk) => {
          if (!random) return deliver(chunk)
          for (let at = 0; at < chunk.length;) {
            const size = 1 + Math.floor(random() * maxSize)
            deliver(chunk.subarray(at, at + size))
            at += size
          }
        },
      },
    }
  }

  /** Forgets every task (host closing). */
  clear(): void {
    this.events.clear()
  }
}
