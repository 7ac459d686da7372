// The pool's network gate in fake time against a scripted wx: what it trusts, when it listens,
// how it learns "offline" from failures and probes until the network is back.
import { createRequestPool, isWxError } from 'miniprogram-rx'
import {
  ASK_DEADLINE_MS,
  STATUS_FRESH_MS,
  WATCH_AFTER_MS,
} from '../../src/network/pool-network-gate'
import { REFUSED_WAIT_MS } from '../../src/network/pooled-call'
import { createPoolFakeWx, flush, type PoolFakeWx } from './pool-fake-wx'

let fake: PoolFakeWx
let restore: () => void
let networkTypeCalls: number

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] })
  fake = createPoolFakeWx()
  const ask = fake.wx.getNetworkType
  networkTypeCalls = 0
  fake.wx.getNetworkType = (options: unknown) => {
    networkTypeCalls++
    ask(options)
  }
  restore = fake.install()
})

afterEach(async () => {
  await flush()
  expect(fake.networkListeners()).toBe(0)
  expect(jest.getTimerCount()).toBe(0)
  restore()
  jest.useRealTimers()
})

const url = 'https://api.test/x'
const OFFLINE = 'request:fail -106:net::ERR_INTERNET_DISCONNECTED'

async function tick(ms = 0): Promise<void> {
  await flush()
  await jest.advanceTimersByTimeAsync(ms)
  await flush()
}

async function answerAll(): Promise<void> {
  await tick()
  for (const t of fake.open()) t.respond()
  await tick()
}

describe('what an idle pool trusts', () => {
  it('asks once, then sends sequential calls without asking or listening for 30 s', async () => {
    const pool = createRequestPool()
    const first = pool.request({ url })
    await answerAll()
    await first
    expect(networkTypeCalls).toBe(1)
    for (let i = 0; i < 20; i++) {
      const call = pool.request({ url })
      // Sent at once, synchronously: no getNetworkType round trip, no listener.
      expect(fake.open()).toHaveLength(1)
      expect(fake.networkListeners()).toBe(0)
      fake.open()[0].respond()
      await call
    }
    expect(networkTypeCalls).toBe(1)
    await tick(STATUS_FRESH_MS + 1)
    const later = pool.request({ url })
    expect(fake.open()).toHaveLength(0)
    await answerAll()
    await later
    expect(networkTypeCalls).toBe(2)
  })

  it('listens while calls wait for a slot or run for a while, and stops when idle', async () => {
    const pool = createRequestPool({ concurrency: 1 })
    await Promise.all([pool.request({ url }), answerAll()])
    const a = pool.request({ url })
    expect(fake.networkListeners()).toBe(0)
    await tick(WATCH_AFTER_MS)
    // A call on the wire for a while: the pool follows the network (and the app) now.
    expect(fake.networkListeners()).toBe(1)
    fake.open()[0].respond()
    await a
    expect(fake.networkListeners()).toBe(0)
    const calls = [pool.request({ url }), pool.request({ url })]
    // The second has to queue: listening starts at once.
    expect(fake.networkListeners()).toBe(1)
    await answerAll()
    await answerAll()
    await Promise.all(calls)
  })
})

describe('offline learned from failures', () => {
  it('stops, asks getNetworkType, probes until online, and spends no retry', async () => {
    const pool = createRequestPool({ concurrency: 2 })
    await Promise.all([pool.request({ url }), answerAll()])
    const calls = [1, 2, 3, 4].map(() => pool.request({ url, method: 'POST' }))
    // The device went offline; wx fails what runs, and no status event comes.
    fake.setOnline(false, { silent: true })
    const listenersBefore = fake.networkListeners()
    expect(listenersBefore).toBe(1)
    for (const t of fake.open()) t.fail(OFFLINE, 600001)
    await tick()
    expect(fake.transfers).toHaveLength(3)
    const asked = networkTypeCalls
    expect(asked).toBeGreaterThan(1)
    await tick(10_000)
    // Probed again while offline, never sent.
    expect(networkTypeCalls).toBeGreaterThan(asked + 2)
    expect(fake.transfers).toHaveLength(3)
    expect(pool.getStats()).toMatchObject({ queued: 4, retried: 0, failed: 0 })
    // Back online, but the event never comes: the next probe finds it.
    fake.setOnline(true, { silent: true })
    await tick(5_000)
    while (fake.open().length) {
      fake.open()[0].respond()
      await tick()
    }
    await Promise.all(calls)
    expect(pool.getStats()).toMatchObject({ done: 5, retried: 0, failed: 0 })
  })

  it('checks the network before spending a retry on a connection failure', async () => {
    const pool = createRequestPool({ retry: { limit: 1, delay: 1 } })
    await Promise.all([pool.request({ url }), answerAll()])
    const call = pool.request({ url })
    fake.setOnline(false)
    fake.open()[0].fail('request:fail -21:net::ERR_NETWORK_CHANGED', 600001)
    await tick(1000)
    expect(pool.getStats()).toMatchObject({ queued: 1, retried: 0 })
    fake.setOnline(true)
    await tick()
    fake.open()[0].respond()
    await call
    expect(pool.getStats().retried).toBe(0)
    // Online, the same failure is an ordinary retry.
    const again = pool.request({ url })
    fake.open()[0].fail('request:fail -101:net::ERR_CONNECTION_RESET', 600001)
    await tick(10)
    fake.open()[0].respond()
    await again
    expect(pool.getStats().retried).toBe(1)
  })
})

describe('interrupted without lifecycle events', () => {
  it('puts an interrupted GET back and tries again later; a POST fails ERR_INTERRUPTED', async () => {
    const pool = createRequestPool()
    await Promise.all([pool.request({ url }), answerAll()])
    const get = pool.request({ url })
    const post = pool.request({ url, method: 'POST' }).catch((error: unknown) => error)
    for (const t of fake.open()) t.fail('request:fail interrupted', 600003)
    const error = await post
    expect(isWxError(error) && error.code).toBe('ERR_INTERRUPTED')
    await tick()
    expect(fake.open()).toHaveLength(0)
    expect(pool.size).toBe(1)
    await tick(1000)
    expect(fake.open()).toHaveLength(1)
    fake.open()[0].respond()
    await get
    expect(pool.getStats()).toMatchObject({ retried: 0, failed: 1, done: 2 })
  })
})

/** Gives the scripted wx onAppShow/onAppHide (and their off*); returns the listener lists. */
function addLifecycle(): Record<string, Array<() => void>> {
  const lifecycle: Record<string, Array<() => void>> = { AppShow: [], AppHide: [] }
  for (const name of ['AppShow', 'AppHide']) {
    fake.wx['on' + name] = (fn: () => void) => lifecycle[name].push(fn)
    fake.wx['off' + name] = (fn: () => void) => {
      const list = lifecycle[name]
      if (list.indexOf(fn) >= 0) list.splice(list.indexOf(fn), 1)
    }
  }
  return lifecycle
}

describe('the app hidden, in fake time', () => {
  it('hears onAppShow after an interrupted call even when it missed the hide', async () => {
    const lifecycle = addLifecycle()
    const pool = createRequestPool()
    await Promise.all([pool.request({ url }), answerAll()])
    // The app hid while the pool was idle; a timer of the app then makes a call.
    const call = pool.request({ url })
    fake.open()[0].fail('request:fail interrupted', 600003)
    await tick(500)
    expect(fake.open()).toHaveLength(0)
    lifecycle.AppShow.slice().forEach((fn) => fn())
    await tick()
    expect(fake.open()).toHaveLength(1)
    fake.open()[0].respond()
    await call
    expect(pool.getStats()).toMatchObject({ retried: 0, failed: 0, done: 2 })
    expect(lifecycle.AppHide.length + lifecycle.AppShow.length).toBe(0)
  })

  it('tries again after 1 s, 2 s, 4 s while the interruptions go on', async () => {
    addLifecycle()
    const pool = createRequestPool()
    await Promise.all([pool.request({ url }), answerAll()])
    const call = pool.request({ url })
    const sentAt: number[] = []
    const start = Date.now()
    for (let i = 0; i < 3; i++) {
      sentAt.push(Date.now() - start)
      fake.open()[0].fail('request:fail interrupted', 600003)
      while (!fake.open().length) await tick(100)
    }
    sentAt.push(Date.now() - start)
    expect(sentAt).toEqual([0, 1000, 3000, 7000])
    fake.open()[0].respond()
    await call
    expect(pool.getStats().retried).toBe(0)
  })

  it('a call that waited hidden far past its timeout is sent on show, its timeout from then', async () => {
    const lifecycle = addLifecycle()
    const pool = createRequestPool({ concurrency: 1 })
    const running = pool.request({ url })
    await tick()
    // The pool follows the lifecycle while it holds work.
    const waiting = pool.request({ url, timeout: 100 })
    expect(lifecycle.AppHide).toHaveLength(1)
    lifecycle.AppHide.forEach((fn) => fn())
    fake.open()[0].respond()
    await running
    await tick(60_000)
    // Hidden for a minute, far past its 100 ms timeout: still queued, never sent.
    expect(fake.transfers).toHaveLength(1)
    expect(pool.size).toBe(1)
    lifecycle.AppShow.forEach((fn) => fn())
    await tick()
    expect(fake.transfers).toHaveLength(2)
    await tick(99)
    fake.open()[0].respond()
    await waiting
    expect(pool.getStats()).toMatchObject({ retried: 0, failed: 0, done: 2 })
    expect(lifecycle.AppHide.length + lifecycle.AppShow.length).toBe(0)
  })
})

describe('what wx refuses or never answers', () => {
  it('sends after ASK_DEADLINE_MS when getNetworkType never answers', async () => {
    fake.wx.getNetworkType = () => undefined
    const pool = createRequestPool()
    const call = pool.request({ url })
    await tick(ASK_DEADLINE_MS - 1)
    expect(fake.transfers).toHaveLength(0)
    await tick(1)
    expect(fake.transfers).toHaveLength(1)
    fake.open()[0].respond()
    await call
  })

  it('waits and sends again, free, a POST that wx refused for its task limit', async () => {
    const pool = createRequestPool({ retry: 0 })
    await Promise.all([pool.request({ url }), answerAll()])
    const call = pool.request({ url, method: 'POST' })
    fake.open()[0].fail('request:fail exceed max task count', 600007)
    await tick(REFUSED_WAIT_MS - 1)
    expect(fake.transfers).toHaveLength(2)
    await tick(1)
    expect(fake.transfers).toHaveLength(3)
    fake.open()[0].respond()
    await call
    expect(pool.getStats()).toMatchObject({ retried: 0, failed: 0, done: 2 })
  })
})
