// The host's chunked responses against a real HTTP server on 127.0.0.1: chunks only with
// enableChunked, offChunkReceived, the seeded re-split, and a base library without them.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createWxHost, type WxHost, type WxHostOptions } from 'miniprogram-rx/testing'
import { startHttpServer, type TestHttpServer } from '../helpers/servers'
import { call } from './wx-call'

const BODY = 'data: héllo 🙂\r\n\r\n'.repeat(20)

let server: TestHttpServer
let host: WxHost

beforeAll(async () => {
  server = await startHttpServer((_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    const half = Buffer.from(BODY).length >> 1
    res.write(Buffer.from(BODY).subarray(0, half))
    setImmediate(() => res.end(Buffer.from(BODY).subarray(half)))
  })
})

afterAll(() => server.close())

afterEach(async () => {
  expect(host.http.chunked.listenerCount).toBe(0)
  await host.close()
})

async function fetchChunks(options: WxHostOptions, request: Record<string, unknown>) {
  host = createWxHost(options)
  const { task, done } = call(host.wx.request as (o: any) => any, {
    url: server.url + '/',
    ...request,
  })
  const sizes: number[] = []
  const parts: Buffer[] = []
  const listener = (event: { data: ArrayBuffer }) => {
    sizes.push(event.data.byteLength)
    parts.push(Buffer.from(event.data))
  }
  if (task.onChunkReceived) task.onChunkReceived(listener)
  const outcome = await done
  if (task.offChunkReceived) task.offChunkReceived(listener)
  return { task, outcome, sizes, text: Buffer.concat(parts).toString() }
}

it('delivers chunks only to a request made with enableChunked', async () => {
  const plain = await fetchChunks({}, {})
  expect(plain.sizes).toEqual([])
  expect(plain.outcome.res.data).toBe(BODY)
  await host.close()
  const chunked = await fetchChunks({}, { enableChunked: true })
  expect(chunked.sizes.length).toBeGreaterThanOrEqual(2)
  expect(chunked.text).toBe(BODY)
  expect(host.http.chunked.chunksSent).toBe(chunked.sizes.length)
})

it('re-splits chunks the same way for the same seed, another way for another', async () => {
  const split = (seed: number) =>
    fetchChunks({ http: { chunked: { split: { seed, maxSize: 5 } } } }, { enableChunked: true })
  const first = await split(1)
  await host.close()
  const again = await split(1)
  await host.close()
  const other = await split(2)
  for (const run of [first, again, other]) {
    expect(run.text).toBe(BODY)
    expect(Math.max(...run.sizes)).toBeLessThanOrEqual(5)
  }
  expect(first.sizes.length).toBeGreaterThan(Buffer.from(BODY).length / 5)
  expect(again.sizes).toEqual(first.sizes)
  expect(other.sizes).not.toEqual(first.sizes)
})

it('has no onChunkReceived on a base library without chunked requests, and sends the body whole', async () => {
  const old = await fetchChunks(
    { http: { chunked: { supported: false } } },
    { enableChunked: true },
  )
  expect(old.task.onChunkReceived).toBeUndefined()
  expect(old.task.offChunkReceived).toBeUndefined()
  expect(old.outcome.ok).toBe(true)
  expect(old.outcome.res.data).toBe(BODY)
})
