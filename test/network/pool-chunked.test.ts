// The pool's part of streaming (the contract stream$ and sse$ are built on): `onChunkReceived`
// sends `enableChunked: true`, listens to the task's chunks for the attempt only, fails with
// ERR_NOT_SUPPORTED where the task cannot stream, and never retries once a chunk arrived.
import { createRequestPool, isWxError, type RequestPool } from '../../src'
import { createPoolFakeWx, flush, type FakeTransfer, type PoolFakeWx } from './pool-fake-wx'

type Listener = (event: { data: ArrayBuffer }) => void

let fake: PoolFakeWx
let restore: () => void
let pool: RequestPool
const chunkListeners = new Map<FakeTransfer, Listener[]>()

function giveChunks(transfer: FakeTransfer): void {
  const list: Listener[] = []
  chunkListeners.set(transfer, list)
  transfer.task.onChunkReceived = (fn: Listener) => list.push(fn)
  transfer.task.offChunkReceived = (fn: Listener) => {
    const at = list.indexOf(fn)
    if (at >= 0) list.splice(at, 1)
  }
}

function sendChunk(transfer: FakeTransfer, text: string): void {
  const data = new Uint8Array(Buffer.from(text)).buffer
  for (const fn of (chunkListeners.get(transfer) ?? []).slice()) fn({ data })
}

beforeEach(() => {
  jest.useFakeTimers()
  fake = createPoolFakeWx()
  restore = fake.install()
  pool = createRequestPool({ retry: { limit: 2, delay: 10 } })
  chunkListeners.clear()
})

afterEach(() => {
  restore()
  jest.useRealTimers()
})

function start(received: string[]) {
  const outcome: { result?: any; error?: any } = {}
  const promise = pool.request({
    url: 'https://api.example.com/stream',
    onChunkReceived: (data) => received.push(Buffer.from(data).toString()),
  })
  promise.then(
    (result) => (outcome.result = result),
    (error) => (outcome.error = error),
  )
  return outcome
}

it('sends enableChunked, forwards each chunk, and removes its listener at the end', async () => {
  fake.onTransfer = giveChunks
  const received: string[] = []
  const outcome = start(received)
  await flush()
  const [transfer] = fake.transfers
  expect(transfer.options.enableChunked).toBe(true)
  expect(transfer.options.onChunkReceived).toBeUndefined()
  expect(chunkListeners.get(transfer)).toHaveLength(1)
  sendChunk(transfer, 'data: a\n')
  sendChunk(transfer, 'data: b\n')
  transfer.respond(200, '')
  await flush()
  expect(received).toEqual(['data: a\n', 'data: b\n'])
  expect(outcome.result.statusCode).toBe(200)
  expect(chunkListeners.get(transfer)).toHaveLength(0)
  expect(transfer.listenerCount).toBe(0)
})

it('fails with ERR_NOT_SUPPORTED and aborts the task when the task has no onChunkReceived', async () => {
  const received: string[] = []
  const outcome = start(received)
  await flush()
  expect(isWxError(outcome.error)).toBe(true)
  expect(outcome.error.code).toBe('ERR_NOT_SUPPORTED')
  expect(fake.transfers).toHaveLength(1)
  expect(fake.transfers[0].aborted).toBe(true)
})

it('retries a failure before the first chunk, never one after it', async () => {
  fake.onTransfer = giveChunks
  const received: string[] = []
  const outcome = start(received)
  await flush()
  fake.transfers[0].fail()
  await flush()
  jest.advanceTimersByTime(10)
  await flush()
  expect(fake.transfers).toHaveLength(2)
  sendChunk(fake.transfers[1], 'part')
  fake.transfers[1].fail()
  await flush()
  jest.advanceTimersByTime(1000)
  await flush()
  expect(fake.transfers).toHaveLength(2)
  expect(received).toEqual(['part'])
  expect(outcome.error.code).toBe('ERR_NETWORK')
  expect(chunkListeners.get(fake.transfers[1])).toHaveLength(0)
})

it('does not send enableChunked without onChunkReceived', async () => {
  fake.onTransfer = giveChunks
  void pool.request({ url: 'https://api.example.com/plain' }).catch(() => undefined)
  await flush()
  expect(fake.transfers[0].options.enableChunked).toBeUndefined()
  expect(chunkListeners.get(fake.transfers[0])).toHaveLength(0)
  fake.transfers[0].respond()
  await flush()
})

it('survives chunks of a call that set enableChunked itself, without onChunkReceived', async () => {
  fake.onTransfer = giveChunks
  const outcome: { result?: any } = {}
  void pool
    .request({ url: 'https://api.example.com/own', enableChunked: true })
    .then((result) => (outcome.result = result))
  await flush()
  const [transfer] = fake.transfers
  expect(transfer.options.enableChunked).toBe(true)
  sendChunk(transfer, 'ignored')
  transfer.respond(200, 'whole body')
  await flush()
  expect(outcome.result.data).toBe('whole body')
  expect(chunkListeners.get(transfer)).toHaveLength(0)
})
