// createQueryClient: the public face of the query cache (query-cache.ts holds its entries and
// their transitions): input checks, then one small function per verb.
import { Observable } from 'rxjs'
import { checkValue, optionsError, type Rules } from '../core/check'
import {
  cancelFetch,
  drop,
  entryOf,
  notify,
  resolveOptions,
  scheduleGc,
  setData,
  startFetch,
  subscribeEntry,
  type QueryCache,
} from './query-cache'
import type { QueryFetcher } from './query-fetch'
import { hashKey, keyParts, QUERY_KEY_RULE, startsWith, type QueryKey } from './query-key'
import { createQueryPersister } from './query-persist'
import type { QueryClient, QueryClientOptions, QueryOptions, QueryState } from './query-types'

const API = 'createQueryClient'
const DURATION = { type: 'number', min: 0, allowInfinity: true } as const
// Spelled out rather than spread from one table: a spread at module level is a call that
// bundlers keep in every app that imports anything from the package.
const QUERY_RULES: Rules = {
  staleTime: DURATION,
  cacheTime: DURATION,
  refetchOnShow: { type: 'boolean' },
  refetchOnReconnect: { type: 'boolean' },
  persist: { type: 'boolean' },
}
const CLIENT_RULES: Rules = {
  staleTime: DURATION,
  cacheTime: DURATION,
  refetchOnShow: { type: 'boolean' },
  refetchOnReconnect: { type: 'boolean' },
  persist: {
    type: 'custom',
    test: (v) => typeof v === 'boolean' || (!!v && typeof v === 'object'),
    expected: 'a boolean or an object',
  },
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
  const persister = persist ? createQueryPersister(persist === true ? {} : persist) : undefined
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
  const cache: QueryCache = { entries: new Map(), defaults, persister }
  const entries = cache.entries

  return {
    query$: <T>(key: QueryKey, fetcher: QueryFetcher<T>, given?: QueryOptions) => {
      checkValue('query$', 'key', key, QUERY_KEY_RULE)
      checkValue('query$', 'fetcher', fetcher, { type: 'function', required: true })
      const bad = optionsError('query$', given, QUERY_RULES, { optional: true })
      if (bad) throw bad
      const queryOptions = resolveOptions(defaults, given)
      return new Observable<QueryState<T>>((subscriber) => {
        const entry = entryOf(cache, key)
        entry.fetcher = fetcher as QueryFetcher<unknown>
        entry.options = queryOptions
        return subscribeEntry(entry, subscriber as { next(state: QueryState<unknown>): void })
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
      const entry = entryOf(cache, key)
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
