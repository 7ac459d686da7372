// The query cache: stale-while-revalidate for pages. One entry per key holds the data, the
// fetch in flight (shared by every subscriber) and the subscribers' count; the last
// unsubscribe cancels the fetch and starts the entry's cacheTime, after which it is dropped.
//
//   subscribe ─▶ emit what is cached (or loading) ─stale or empty─▶ fetch ─▶ emit fresh
//   last unsubscribe ─▶ fetch cancelled ─cacheTime─▶ entry dropped (storage copy kept)
import { Observable, Subject, Subscription } from 'rxjs'
import { checkValue, optionsError, type Rules } from '../core/check'
import { appVisible$ } from '../network/app-visibility'
import { isOnline$ } from '../network/network-status'
import { runFetcher, type QueryFetcher } from './query-fetch'
import { hashKey, keyParts, QUERY_KEY_RULE, startsWith, type QueryKey } from './query-key'
import {
  createQueryPersister,
  type QueryPersister,
  type QueryPersistOptions,
} from './query-persist'

/** Where a query is: no data yet, data, or the last fetch failed (its data, if any, kept). */
export type QueryStatus = 'loading' | 'success' | 'error'

/**
 * What `query$` emits: a plain object made to bind to page data (`null`, never `undefined`,
 * for what is absent, since `setData` drops `undefined`).
 */
export interface QueryState<T> {
  /** `loading` until there is data, `success` with data, `error` when the last fetch failed. */
  status: QueryStatus
  /** The data: cached, restored from storage, or fresh. `null` while there is none. */
  data: T | null
  /** Why the last fetch failed; `null` after a success. */
  error: Error | null
  /** True when the data is older than `staleTime`, invalidated, or absent. */
  isStale: boolean
  /** True while a fetch is in flight (also while cached data is shown). */
  isFetching: boolean
  /** When the data was fetched or set (epoch ms); 0 while there is none. */
  updatedAt: number
}

/** Timing and refetch settings, per client (defaults) or per query. */
export interface QueryDefaults {
  /** Milliseconds data stays fresh: no refetch on subscribe or show until then. @default 0 */
  staleTime?: number
  /**
   * Milliseconds an entry nobody subscribes to stays in memory; `Infinity` keeps it. Its
   * storage copy, if any, is kept either way. @default 300000 (5 minutes)
   */
  cacheTime?: number
  /** Refetch stale subscribed queries when the app comes back to the foreground. @default true */
  refetchOnShow?: boolean
  /** Refetch stale subscribed queries when the network comes back. @default true */
  refetchOnReconnect?: boolean
}

/** Options of one query. */
export interface QueryOptions extends QueryDefaults {
  /** Keep this query in storage when the client persists. @default true */
  persist?: boolean
}

/** Options of `createQueryClient`. */
export interface QueryClientOptions extends QueryDefaults {
  /**
   * Keep fetched data in wx storage (within a byte budget, least recently used evicted first),
   * so a cold start shows the last data before the network answers. `true` uses the defaults.
   * @default false
   */
  persist?: QueryPersistOptions | boolean
}

/** A query cache. See `createQueryClient`. */
export interface QueryClient {
  /**
   * The state of the query `key`: what is cached at once (or `loading`), then each change.
   * Subscribers of one key share one fetch; the fetch starts when the data is absent or stale
   * and is cancelled when the last subscriber leaves. `fetcher` is the latest given for the key.
   */
  query$<T>(
    key: QueryKey,
    fetcher: QueryFetcher<T>,
    options?: QueryOptions,
  ): Observable<QueryState<T>>
  /**
   * Fetches `key` again now, stale or not (joining a fetch in flight), with its latest fetcher.
   * Resolves with the state after it, or `undefined` when no query of that key has a fetcher.
   * Never rejects: a failure is in the state.
   */
  refetch<T>(key: QueryKey): Promise<QueryState<T> | undefined>
  /** Marks every query whose key starts with `key` stale; subscribed ones refetch now. */
  invalidate(key: QueryKey): void
  /** Sets the data of `key` (a value, or a function of the current data) as fresh. */
  setQueryData<T>(key: QueryKey, data: T | ((current: T | undefined) => T)): void
  /** The data of `key` in memory, or `undefined`. */
  getQueryData<T>(key: QueryKey): T | undefined
  /** Cancels every fetch and drops every entry and timer (storage is kept). */
  clear(): void
}

interface ResolvedOptions {
  staleTime: number
  cacheTime: number
  refetchOnShow: boolean
  refetchOnReconnect: boolean
  persist: boolean
}

interface Fetch {
  cancel: () => void
  /** `refetch()` calls waiting for it: while any waits, an unsubscribe does not cancel it. */
  waiters: Array<(state: QueryState<unknown>) => void>
}

interface Entry {
  key: QueryKey
  hash: string
  data: unknown
  hasData: boolean
  error: Error | null
  updatedAt: number
  invalidated: boolean
  fetcher?: QueryFetcher<unknown>
  options: ResolvedOptions
  fetch?: Fetch
  observers: number
  changes: Subject<QueryState<unknown>>
  gcTimer?: ReturnType<typeof setTimeout>
  /** The app-show and network-return listeners, while subscribed. */
  watch?: Subscription
  restored: boolean
}

const API = 'createQueryClient'
const DURATION = { type: 'number', min: 0, allowInfinity: true } as const
const DEFAULT_RULES: Rules = {
  staleTime: DURATION,
  cacheTime: DURATION,
  refetchOnShow: { type: 'boolean' },
  refetchOnReconnect: { type: 'boolean' },
}
const QUERY_RULES: Rules = { ...DEFAULT_RULES, persist: { type: 'boolean' } }
const CLIENT_RULES: Rules = {
  ...DEFAULT_RULES,
  persist: {
    type: 'custom',
    test: (v) => typeof v === 'boolean' || (!!v && typeof v === 'object'),
    expected: 'a boolean or an object',
  },
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

function stateOf(entry: Entry): QueryState<unknown> {
  const age = Date.now() - entry.updatedAt
  return {
    status: entry.error ? 'error' : entry.hasData ? 'success' : 'loading',
    data: entry.hasData ? entry.data : null,
    error: entry.error,
    isStale: !entry.hasData || entry.invalidated || age > entry.options.staleTime,
    isFetching: !!entry.fetch,
    updatedAt: entry.updatedAt,
  }
}

function resolveOptions(base: ResolvedOptions, given: QueryOptions | undefined): ResolvedOptions {
  if (!given) return base
  const pick = <K extends keyof ResolvedOptions>(name: K): ResolvedOptions[K] =>
    given[name] === undefined ? base[name] : (given[name] as ResolvedOptions[K])
  return {
    staleTime: pick('staleTime'),
    cacheTime: pick('cacheTime'),
    refetchOnShow: pick('refetchOnShow'),
    refetchOnReconnect: pick('refetchOnReconnect'),
    persist: base.persist && given.persist !== false,
  }
}

// Calls `onReturn` each time `source` goes from false back to true.
function onReturn(source: Observable<boolean>, refetch: () => void): Subscription {
  let away = false
  return source.subscribe((now) => {
    if (!now) away = true
    else if (away) {
      away = false
      refetch()
    }
  })
}

/**
 * Makes a query cache with stale-while-revalidate: `query$(key, fetcher)` emits the cached
 * state at once and the fresh one when the fetch answers, as plain objects that bind to page
 * data (`status`, `data`, `error`, `isStale`, `isFetching`, `updatedAt`). Subscribers of a key
 * share one fetch; the last unsubscribe cancels it. With `persist`, data is also kept in wx
 * storage within a byte budget, so a cold start renders it before the network answers.
 * Throws a `TypeError` naming the field for bad options.
 *
 * @example
 * const queries = createQueryClient({ persist: true, staleTime: 30000 })
 * const todos$ = queries.query$('todos', ({ signal }) =>
 *   api.request<Todo[]>({ url: '/todos', signal }).then((r) => r.data),
 * )
 * // in a page: todos$.subscribe((todos) => this.setData({ todos }))
 */
export function createQueryClient(options: QueryClientOptions = {}): QueryClient {
  const invalid = optionsError(API, options, CLIENT_RULES, { optional: true })
  if (invalid) throw invalid
  const persist = options.persist
  const persister: QueryPersister | undefined = persist
    ? createQueryPersister(persist === true ? {} : persist)
    : undefined
  const defaults = resolveOptions(
    {
      staleTime: 0,
      cacheTime: 5 * 60 * 1000,
      refetchOnShow: true,
      refetchOnReconnect: true,
      persist: !!persister,
    },
    { ...options, persist: undefined },
  )
  const entries = new Map<string, Entry>()

  const entryOf = (key: QueryKey): Entry => {
    const hash = hashKey(key)
    let entry = entries.get(hash)
    if (!entry) {
      entry = {
        key,
        hash,
        data: undefined,
        hasData: false,
        error: null,
        updatedAt: 0,
        invalidated: false,
        options: defaults,
        observers: 0,
        changes: new Subject(),
        restored: false,
      }
      entries.set(hash, entry)
    }
    return entry
  }

  const notify = (entry: Entry) => {
    if (entry.changes.observed) entry.changes.next(stateOf(entry))
  }

  const setData = (entry: Entry, data: unknown, updatedAt: number) => {
    entry.data = data
    entry.hasData = true
    entry.error = null
    entry.updatedAt = updatedAt
    entry.invalidated = false
    if (persister && entry.options.persist) void persister.save(entry.hash, data, updatedAt)
  }

  const settleFetch = (
    entry: Entry,
    fetch: Fetch,
    outcome: { data: unknown } | { error: unknown },
  ) => {
    if (entry.fetch !== fetch) return
    entry.fetch = undefined
    if ('data' in outcome) setData(entry, outcome.data, Date.now())
    else entry.error = toError(outcome.error)
    notify(entry)
    const state = stateOf(entry)
    for (const waiter of fetch.waiters) waiter(state)
  }

  const startFetch = (entry: Entry): Fetch | undefined => {
    if (entry.fetch || !entry.fetcher) return entry.fetch
    const fetch: Fetch = { cancel: () => {}, waiters: [] }
    entry.fetch = fetch
    notify(entry)
    const cancel = runFetcher(entry.fetcher, entry.key, (outcome) =>
      settleFetch(entry, fetch, outcome),
    )
    fetch.cancel = cancel
    return entry.fetch
  }

  const cancelFetch = (entry: Entry) => {
    const fetch = entry.fetch
    if (!fetch) return
    entry.fetch = undefined
    fetch.cancel()
    const state = stateOf(entry)
    for (const waiter of fetch.waiters) waiter(state)
  }

  const refetchIfStale = (entry: Entry) => {
    if (stateOf(entry).isStale) startFetch(entry)
  }

  const drop = (entry: Entry) => {
    if (entry.gcTimer !== undefined) clearTimeout(entry.gcTimer)
    entry.gcTimer = undefined
    if (entry.watch) entry.watch.unsubscribe()
    entry.watch = undefined
    cancelFetch(entry)
    if (entries.get(entry.hash) === entry) entries.delete(entry.hash)
  }

  // Nobody subscribes: drop the entry after its cacheTime (at once for 0, never for Infinity).
  const scheduleGc = (entry: Entry) => {
    if (entry.observers || entry.gcTimer !== undefined) return
    if (entries.get(entry.hash) !== entry) return
    const wait = entry.options.cacheTime
    if (wait === 0) drop(entry)
    else if (wait !== Infinity)
      entry.gcTimer = setTimeout(() => drop(entry), Math.min(wait, 2147483647))
  }

  const restore = (entry: Entry) => {
    if (!persister || !entry.options.persist || entry.restored || entry.hasData) return
    entry.restored = true
    void persister.load(entry.hash).then((stored) => {
      // Fresh data (from the network or setQueryData) may have arrived first: it wins.
      if (!stored || entry.hasData || entries.get(entry.hash) !== entry) return
      entry.data = stored.data
      entry.hasData = true
      entry.updatedAt = stored.updatedAt
      notify(entry)
    })
  }

  const watch = (entry: Entry) => {
    const { refetchOnShow, refetchOnReconnect } = entry.options
    if (!refetchOnShow && !refetchOnReconnect) return undefined
    const subscription = new Subscription()
    const again = () => refetchIfStale(entry)
    if (refetchOnShow) subscription.add(onReturn(appVisible$, again))
    if (refetchOnReconnect) subscription.add(onReturn(isOnline$, again))
    return subscription
  }

  const subscribe = (entry: Entry, subscriber: { next(state: QueryState<unknown>): void }) => {
    if (entry.gcTimer !== undefined) clearTimeout(entry.gcTimer)
    entry.gcTimer = undefined
    if (!entry.observers++) entry.watch = watch(entry)
    restore(entry)
    // The fetch starts first, so the first state already says it is fetching; whatever it
    // changes before the subscription below is in that state.
    refetchIfStale(entry)
    subscriber.next(stateOf(entry))
    const changes = entry.changes.subscribe(subscriber)
    return () => {
      changes.unsubscribe()
      if (--entry.observers) return
      if (entry.watch) entry.watch.unsubscribe()
      entry.watch = undefined
      if (entry.fetch && !entry.fetch.waiters.length) cancelFetch(entry)
      scheduleGc(entry)
    }
  }

  return {
    query$: <T>(key: QueryKey, fetcher: QueryFetcher<T>, given?: QueryOptions) => {
      checkValue('query$', 'key', key, QUERY_KEY_RULE)
      checkValue('query$', 'fetcher', fetcher, { type: 'function', required: true })
      const bad = optionsError('query$', given, QUERY_RULES, { optional: true })
      if (bad) throw bad
      const queryOptions = resolveOptions(defaults, given)
      return new Observable<QueryState<T>>((subscriber) => {
        const entry = entryOf(key)
        entry.fetcher = fetcher as QueryFetcher<unknown>
        entry.options = queryOptions
        return subscribe(entry, subscriber as { next(state: QueryState<unknown>): void })
      })
    },
    refetch: <T>(key: QueryKey) => {
      checkValue('refetch', 'key', key, QUERY_KEY_RULE)
      const entry = entries.get(hashKey(key))
      const fetch = entry && startFetch(entry)
      if (!fetch) return Promise.resolve(undefined)
      return new Promise<QueryState<T>>((resolve) => {
        fetch.waiters.push(resolve as (state: QueryState<unknown>) => void)
      }).then((state) => {
        if (entry && !entry.observers) scheduleGc(entry)
        return state
      })
    },
    invalidate: (key) => {
      checkValue('invalidate', 'key', key, QUERY_KEY_RULE)
      const prefix = keyParts(key)
      entries.forEach((entry) => {
        if (!startsWith(keyParts(entry.key), prefix)) return
        entry.invalidated = true
        if (entry.observers) startFetch(entry)
        notify(entry)
      })
    },
    setQueryData: <T>(key: QueryKey, data: T | ((current: T | undefined) => T)) => {
      checkValue('setQueryData', 'key', key, QUERY_KEY_RULE)
      const entry = entryOf(key)
      const current = entry.hasData ? (entry.data as T) : undefined
      const next =
        typeof data === 'function' ? (data as (current: T | undefined) => T)(current) : data
      // A fetch in flight would overwrite what was just set with older news.
      cancelFetch(entry)
      setData(entry, next, Date.now())
      notify(entry)
      scheduleGc(entry)
    },
    getQueryData: <T>(key: QueryKey) => {
      checkValue('getQueryData', 'key', key, QUERY_KEY_RULE)
      const entry = entries.get(hashKey(key))
      return entry && entry.hasData ? (entry.data as T) : undefined
    },
    clear: () => {
      entries.forEach((entry) => {
        drop(entry)
        // Subscribers complete: what they showed is gone from the cache.
        entry.changes.complete()
      })
      entries.clear()
    },
  }
}
