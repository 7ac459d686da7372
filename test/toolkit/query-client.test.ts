// The query cache on the Node wx host (lifecycle and network events, storage) with jest's fake
// timers; fetchers are controlled promises, so every step is driven by the test.
import { createQueryClient, type QueryFetcher, type QueryState } from 'miniprogram-rx'
import type { WxHost } from 'miniprogram-rx/testing'
import { Observable } from 'rxjs'
import { closeAndExpectClean, hostOnFakeTimers } from '../testing/clean-host'

let host: WxHost
let restore: () => void

/** A fetcher whose answers the test gives, counting calls and aborts. */
function controlled<T>() {
  const pending: Array<{ resolve(value: T): void; reject(error: Error): void }> = []
  let calls = 0
  let aborted = 0
  const fetcher: QueryFetcher<T> = ({ signal }) => {
    calls++
    signal.addEventListener('abort', () => aborted++)
    return new Promise<T>((resolve, reject) => pending.push({ resolve, reject }))
  }
  return {
    fetcher,
    answer: (value: T) => pending.shift()!.resolve(value),
    fail: (error: Error) => pending.shift()!.reject(error),
    get calls() {
      return calls
    },
    get aborted() {
      return aborted
    },
  }
}

/** Lets promise callbacks run (fake timers leave microtasks real). */
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}

const brief = (s: QueryState<unknown>) => ({
  status: s.status,
  data: s.data,
  isFetching: s.isFetching,
  isStale: s.isStale,
})

beforeEach(() => {
  ;({ host } = hostOnFakeTimers())
  restore = host.install()
})
afterEach(async () => {
  restore()
  await closeAndExpectClean(host)
})

describe('createQueryClient', () => {
  it('emits loading, then success, as plain objects with null for what is absent', async () => {
    const client = createQueryClient()
    const source = controlled<string[]>()
    const seen: QueryState<string[]>[] = []
    const subscription = client.query$('todos', source.fetcher).subscribe((s) => seen.push(s))
    expect(seen[0]).toEqual({
      status: 'loading',
      data: null,
      error: null,
      isStale: true,
      isFetching: true,
      updatedAt: 0,
    })
    source.answer(['a'])
    await flush()
    expect(brief(seen[seen.length - 1])).toEqual({
      status: 'success',
      data: ['a'],
      isFetching: false,
      isStale: false,
    })
    expect(seen[seen.length - 1].updatedAt).toBe(Date.now())
    subscription.unsubscribe()
    client.clear()
  })

  it('emits the cached value at once, then the fresh one', async () => {
    const client = createQueryClient({ cacheTime: 60000 })
    const source = controlled<number>()
    const first = client.query$('n', source.fetcher).subscribe()
    source.answer(1)
    await flush()
    first.unsubscribe()
    jest.advanceTimersByTime(10)
    const seen: QueryState<number>[] = []
    const second = client.query$('n', source.fetcher).subscribe((s) => seen.push(s))
    expect(brief(seen[0])).toEqual({ status: 'success', data: 1, isFetching: true, isStale: true })
    source.answer(2)
    await flush()
    expect(brief(seen[seen.length - 1])).toEqual({
      status: 'success',
      data: 2,
      isFetching: false,
      isStale: false,
    })
    second.unsubscribe()
    client.clear()
  })

  it('does not refetch data younger than staleTime', async () => {
    const client = createQueryClient({ staleTime: 1000 })
    const source = controlled<number>()
    const a = client.query$('k', source.fetcher).subscribe()
    source.answer(1)
    await flush()
    const b = client.query$('k', source.fetcher).subscribe()
    expect(source.calls).toBe(1)
    jest.advanceTimersByTime(1001)
    const c = client.query$('k', source.fetcher).subscribe()
    expect(source.calls).toBe(2)
    ;[a, b, c].forEach((s) => s.unsubscribe())
    client.clear()
  })

  it('shares one fetch among concurrent subscribers, and the last unsubscribe cancels it', async () => {
    const client = createQueryClient()
    const source = controlled<number>()
    const subscriptions = Array.from({ length: 20 }, () =>
      client.query$(['list', 1], source.fetcher).subscribe(),
    )
    expect(source.calls).toBe(1)
    subscriptions.slice(0, 19).forEach((s) => s.unsubscribe())
    expect(source.aborted).toBe(0)
    subscriptions[19].unsubscribe()
    expect(source.aborted).toBe(1)
    client.clear()
  })

  it('cancels a fetcher that returns the pool’s abortable promise or an Observable', () => {
    const client = createQueryClient()
    let aborts = 0
    let unsubscribed = 0
    const abortable = () =>
      Object.assign(new Promise<number>(() => undefined), { abort: () => aborts++ })
    const stream = () => new Observable<number>(() => () => unsubscribed++)
    client.query$('p', abortable).subscribe().unsubscribe()
    client.query$('o', stream).subscribe().unsubscribe()
    expect(aborts).toBe(1)
    expect(unsubscribed).toBe(1)
    client.clear()
  })

  it('drops an entry cacheTime after its last subscriber leaves, leaving no timer', async () => {
    const client = createQueryClient({ cacheTime: 5000 })
    const source = controlled<number>()
    const subscription = client.query$('g', source.fetcher).subscribe()
    source.answer(7)
    await flush()
    subscription.unsubscribe()
    expect(client.getQueryData('g')).toBe(7)
    expect(jest.getTimerCount()).toBe(1)
    jest.advanceTimersByTime(5000)
    expect(client.getQueryData('g')).toBeUndefined()
    expect(jest.getTimerCount()).toBe(0)
  })

  it('invalidates by prefix: subscribed queries under it refetch, others do not', async () => {
    const client = createQueryClient({ staleTime: Infinity })
    const todo = controlled<string>()
    const user = controlled<string>()
    const subs = [
      client.query$(['todos', 1], todo.fetcher).subscribe(),
      client.query$(['todos', 2], todo.fetcher).subscribe(),
      client.query$(['users', 1], user.fetcher).subscribe(),
    ]
    todo.answer('t1')
    todo.answer('t2')
    user.answer('u1')
    await flush()
    client.invalidate('todos')
    expect(todo.calls).toBe(4)
    expect(user.calls).toBe(1)
    subs.forEach((s) => s.unsubscribe())
    client.clear()
  })

  it('sets data by value or updater, cancelling a fetch that would overwrite it', async () => {
    const client = createQueryClient()
    const source = controlled<number>()
    const seen: Array<number | null> = []
    const subscription = client.query$('c', source.fetcher).subscribe((s) => seen.push(s.data))
    client.setQueryData('c', 5)
    client.setQueryData<number>('c', (n) => (n ?? 0) + 1)
    expect(source.aborted).toBe(1)
    expect(client.getQueryData('c')).toBe(6)
    expect(seen).toEqual([null, 5, 6])
    subscription.unsubscribe()
    client.clear()
  })

  it('keeps the data on a failed refetch, with status error, and refetch() resolves the state', async () => {
    const client = createQueryClient()
    const source = controlled<number>()
    const subscription = client.query$('e', source.fetcher).subscribe()
    source.answer(1)
    await flush()
    const again = client.refetch<number>('e')
    source.fail(new Error('boom'))
    const state = await again
    expect(state).toMatchObject({ status: 'error', data: 1, isFetching: false })
    expect(state!.error!.message).toBe('boom')
    await expect(client.refetch('unknown')).resolves.toBeUndefined()
    subscription.unsubscribe()
    client.clear()
  })

  it('refetches stale subscribed queries when the app shows again and when the network returns', async () => {
    const client = createQueryClient()
    const source = controlled<number>()
    const subscription = client.query$('v', source.fetcher).subscribe()
    source.answer(1)
    await flush()
    jest.advanceTimersByTime(1)
    host.hide()
    host.show()
    expect(source.calls).toBe(2)
    source.answer(2)
    await flush()
    jest.advanceTimersByTime(1)
    host.setNetwork({ isConnected: false, networkType: 'none' })
    host.setNetwork({ isConnected: true, networkType: 'wifi' })
    expect(source.calls).toBe(3)
    source.answer(3)
    await flush()
    subscription.unsubscribe()
    expect(host.listenerCount()).toBe(0)
    client.clear()
  })

  it('does not watch the app or the network when both refetch options are off', async () => {
    const client = createQueryClient({ refetchOnShow: false, refetchOnReconnect: false })
    const subscription = client.query$('w', () => 1).subscribe()
    expect(host.listenerCount()).toBe(0)
    host.hide()
    host.show()
    subscription.unsubscribe()
    client.clear()
  })

  it('completes its subscribers on clear()', () => {
    const client = createQueryClient()
    let completed = false
    client
      .query$('x', () => new Promise<number>(() => undefined))
      .subscribe({
        complete: () => (completed = true),
      })
    client.clear()
    expect(completed).toBe(true)
  })

  it('refuses bad input with a TypeError naming the API and the field', () => {
    expect(() => createQueryClient({ staleTime: -1 })).toThrow(
      /createQueryClient: `options.staleTime` must be a number >= 0/,
    )
    expect(() => createQueryClient({ persist: { maxBytes: 11 * 1024 * 1024 } })).toThrow(
      /`options.persist.maxBytes` must be a whole number in \[1, 10485760\]/,
    )
    const client = createQueryClient()
    expect(() => client.query$([] as string[], () => 1)).toThrow(/query\$: `key` must be/)
    expect(() => client.query$('k', 'nope' as never)).toThrow(/`fetcher` must be a function/)
    expect(() => client.invalidate(undefined as never)).toThrow(/invalidate: `key`/)
  })
})
