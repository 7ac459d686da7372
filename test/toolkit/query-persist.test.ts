// The query cache's storage copy through the Node wx host (storage persisted to a real temp
// folder, so a second host on it is a cold start) and a real HTTP server on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createQueryClient,
  createRequestPool,
  withDedupe,
  type QueryState,
  type RequestPool,
} from 'miniprogram-rx'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { createQueryPersister } from '../../src/toolkit/query-persist'
import { utf8Length, valueBytes } from '../../src/storage/storage-size'
import { startHttpServer, type TestHttpServer } from '../helpers/servers'
import { until } from '../helpers/poll-until'

let server: TestHttpServer
let dir: string
let hold = false
const held: ServerResponse[] = []
let served = 0
let version = 1

function handle(req: IncomingMessage, res: ServerResponse): void {
  if (hold) return void held.push(res)
  answer(res, req.url ?? '/')
}

function answer(res: ServerResponse, url = '/items'): void {
  served++
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ url, items: ['v' + version] }))
}

/** Starts the "app": a host on the storage folder, installed as wx, and a pool. */
function startApp(): { host: WxHost; restore: () => void; pool: RequestPool } {
  const host = createWxHost({ storage: { dir } })
  const restore = host.install()
  const pool = createRequestPool({ allowInsecure: true, baseURL: server.url, retry: false })
  return { host, restore, pool }
}

async function stopApp(app: { host: WxHost; restore: () => void }): Promise<void> {
  // checked before close(), which drops whatever is left
  expect(app.host.listenerCount()).toBe(0)
  app.restore()
  await app.host.close()
}

/** Bytes the cache's entries take in storage, as WeChat counts them (key + value). */
function cacheBytes(host: WxHost, prefix: string): number {
  const snapshot = host.storage.snapshot()
  let bytes = 0
  for (const key of Object.keys(snapshot)) {
    if (key.startsWith(prefix) && key !== prefix + 'index') {
      bytes += utf8Length(key) + valueBytes(snapshot[key])!
    }
  }
  return bytes
}

beforeAll(async () => {
  server = await startHttpServer(handle)
})
afterAll(() => server.close())
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mprx-query-'))
  hold = false
  served = 0
  version = 1
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('query persistence', () => {
  it('renders the stored list on a cold start before the network answers, then the fresh one', async () => {
    const fetchItems = (pool: RequestPool) => () =>
      pool.request<{ items: string[] }>({ url: '/items' }).then((r) => r.data.items)

    // First run: fetch and store.
    const first = startApp()
    const warm = createQueryClient({ persist: true })
    const seenWarm: Array<QueryState<string[]>> = []
    const s1 = warm.query$('items', fetchItems(first.pool)).subscribe((s) => seenWarm.push(s))
    await until(() => seenWarm.some((s) => s.status === 'success'), 'the first fetch')
    await until(() => Object.keys(first.host.storage.snapshot()).length === 2, 'the copy stored')
    s1.unsubscribe()
    warm.clear()
    await stopApp(first)

    // Cold start: the server holds its answer; storage answers first.
    version = 2
    hold = true
    const second = startApp()
    const cold = createQueryClient({ persist: true })
    const seen: Array<QueryState<string[]>> = []
    const s2 = cold.query$('items', fetchItems(second.pool)).subscribe((s) => seen.push(s))
    expect(seen[0]).toMatchObject({ status: 'loading', data: null, isFetching: true })
    await until(() => seen.some((s) => s.data !== null), 'the stored data')
    const restored = seen.find((s) => s.data !== null)!
    expect(restored).toMatchObject({
      status: 'success',
      data: ['v1'],
      isStale: true,
      isFetching: true,
    })
    expect(restored.updatedAt).toBe(seenWarm[seenWarm.length - 1].updatedAt)
    expect(served).toBe(1) // the network has not answered the cold start yet
    await until(() => held.length === 1, 'the request on the wire')
    answer(held.shift()!)
    await until(() => seen[seen.length - 1].data?.[0] === 'v2', 'the fresh data')
    expect(seen[seen.length - 1]).toMatchObject({
      status: 'success',
      isFetching: false,
      isStale: false,
    })
    s2.unsubscribe()
    cold.clear()
    await second.pool.onIdle()
    await stopApp(second)
  })

  it('keeps the storage copy within its byte budget, evicting the least recently used', async () => {
    const app = startApp()
    const prefix = 'q:'
    const persister = createQueryPersister({ prefix, maxBytes: 4000 })
    const big = 'x'.repeat(900)
    for (let i = 1; i <= 5; i++) await persister.save('k' + i, big + i, i)
    expect(cacheBytes(app.host, prefix)).toBeLessThanOrEqual(4000)
    expect(await persister.usedBytes()).toBe(cacheBytes(app.host, prefix))
    // 4 entries of ~950 bytes fit: k1 went first.
    expect(await persister.load('k1')).toBeUndefined()
    expect(await persister.load('k2')).toMatchObject({ data: big + 2, updatedAt: 2 })
    // k2 was just used: k3 is now the oldest and goes next.
    await persister.save('k6', big + 6, 6)
    expect(await persister.load('k3')).toBeUndefined()
    expect(await persister.load('k2')).toBeDefined()
    expect(cacheBytes(app.host, prefix)).toBeLessThanOrEqual(4000)
    // Too big for one entry: not stored, and its older copy is removed.
    await persister.save('k2', 'y'.repeat(5000), 7)
    expect(await persister.load('k2')).toBeUndefined()
    await stopApp(app)
  })

  it('makes room by evicting its own entries when storage as a whole is full', async () => {
    const app = startApp()
    const persister = createQueryPersister({ prefix: 'q:', maxBytes: 10 * 1024 * 1024 })
    app.host.storage.setQuota({ maxTotalSize: 3500 })
    const big = 'z'.repeat(1000)
    for (let i = 1; i <= 6; i++) await persister.save('k' + i, big, i)
    expect(app.host.storage.bytesUsed()).toBeLessThanOrEqual(3500)
    expect(await persister.load('k6')).toMatchObject({ data: big })
    expect(await persister.load('k1')).toBeUndefined()
    await stopApp(app)
  })

  it('answers 20 components asking for the same 5 keys with 5 wire requests', async () => {
    const app = startApp()
    const api = withDedupe(app.pool)
    const client = createQueryClient({ cacheTime: 0 })
    const keys = ['a', 'b', 'c', 'd', 'e']
    const results: string[] = []
    const subscriptions = Array.from({ length: 20 }, (_, component) =>
      keys.map((key) =>
        client
          .query$(key, ({ signal }) =>
            api.request<{ url: string }>({ url: '/' + key, signal }).then((r) => r.data.url),
          )
          .subscribe((s) => s.data && results.push(component + s.data)),
      ),
    )
    await until(() => results.length === 100, 'every component served')
    expect(served).toBe(5)
    for (const list of subscriptions) for (const s of list) s.unsubscribe()
    await stopApp(app)
  })
})
