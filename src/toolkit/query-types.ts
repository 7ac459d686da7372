// The public shapes of the query cache: what a query emits, the options of a client and of a
// query, and the client itself.
import type { Observable } from 'rxjs'
import type { QueryFetcher } from './query-fetch'
import type { QueryKey } from './query-key'
import type { QueryPersistOptions } from './query-persist'

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
