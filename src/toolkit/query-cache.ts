// The query cache's entries and their transitions. One entry per key holds the data, the fetch
// in flight (shared by every subscriber) and the subscribers' count; the last unsubscribe
// cancels the fetch and starts the entry's cacheTime, after which it is dropped.
//
//   subscribe ─▶ emit what is cached (or loading) ─stale or empty─▶ fetch ─▶ emit fresh
//   last unsubscribe ─▶ fetch cancelled ─cacheTime─▶ entry dropped (storage copy kept)
// Each transition is one function below, next to the teardown it owes.
import { Observable, Subject, Subscription } from 'rxjs'
import { MAX_TIMER_DELAY } from '../core/check'
import { appVisible$ } from '../network/app-visibility'
import { isOnline$ } from '../network/network-status'
import { runFetcher, type QueryFetcher } from './query-fetch'
import { hashKey, type QueryKey } from './query-key'
import type { QueryPersister } from './query-persist'
import type { QueryOptions, QueryState } from './query-types'

/** A query's settings with every default filled in. */
export interface ResolvedOptions {
  staleTime: number
  cacheTime: number
  refetchOnShow: boolean
  refetchOnReconnect: boolean
  persist: boolean
}

/** A fetch in flight. */
export interface Fetch {
  cancel: () => void
  /** `refetch()` calls waiting for it: while any waits, an unsubscribe does not cancel it. */
  waiters: Array<(state: QueryState<unknown>) => void>
}

/** The entries of one client, its defaults and its storage. */
export interface QueryCache {
  entries: Map<string, Entry>
  defaults: ResolvedOptions
  persister?: QueryPersister
}

/** One key's data and what is happening to it. */
export interface Entry {
  cache: QueryCache
  key: QueryKey
  hash: string
  data: unknown
  hasData: boolean
  error: Error | null
  updatedAt: number
  invalidated: boolean
  /** The latest fetcher given for the key. */
  fetcher?: QueryFetcher<unknown>
  options: ResolvedOptions
  fetch?: Fetch
  observers: number
  changes: Subject<QueryState<unknown>>
  gcTimer?: ReturnType<typeof setTimeout>
  /** The app-show and network-return listeners, while subscribed. */
  watch?: Subscription
  /** Whether the storage copy has been asked for. */
  restored: boolean
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value))
}

/** The state an entry shows now. */
export function stateOf(entry: Entry): QueryState<unknown> {
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

/** `given` over `base`; `persist` only where the client persists at all. */
export function resolveOptions(
  base: ResolvedOptions,
  given: QueryOptions | undefined,
): ResolvedOptions {
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

/** The entry of `key`, made on first use. */
export function entryOf(cache: QueryCache, key: QueryKey): Entry {
  const hash = hashKey(key)
  let entry = cache.entries.get(hash)
  if (!entry) {
    entry = {
      cache,
      key,
      hash,
      data: undefined,
      hasData: false,
      error: null,
      updatedAt: 0,
      invalidated: false,
      options: cache.defaults,
      observers: 0,
      changes: new Subject(),
      restored: false,
    }
    cache.entries.set(hash, entry)
  }
  return entry
}

const isLive = (entry: Entry) => entry.cache.entries.get(entry.hash) === entry

/** Tells the subscribers the entry's state. */
export function notify(entry: Entry): void {
  if (entry.changes.observed) entry.changes.next(stateOf(entry))
}

/** Sets fresh data, and its storage copy when the query persists. */
export function setData(entry: Entry, data: unknown, updatedAt: number): void {
  entry.data = data
  entry.hasData = true
  entry.error = null
  entry.updatedAt = updatedAt
  entry.invalidated = false
  const persister = entry.cache.persister
  if (persister && entry.options.persist) void persister.save(entry.hash, data, updatedAt)
}

function settleFetch(
  entry: Entry,
  fetch: Fetch,
  outcome: { data: unknown } | { error: unknown },
): void {
  if (entry.fetch !== fetch) return
  entry.fetch = undefined
  if ('data' in outcome) setData(entry, outcome.data, Date.now())
  else entry.error = toError(outcome.error)
  notify(entry)
  const state = stateOf(entry)
  for (const waiter of fetch.waiters) waiter(state)
}

/** Starts a fetch with the latest fetcher unless one is in flight; returns the one in flight. */
export function startFetch(entry: Entry): Fetch | undefined {
  if (entry.fetch || !entry.fetcher) return entry.fetch
  const fetch: Fetch = { cancel: () => {}, waiters: [] }
  entry.fetch = fetch
  notify(entry)
  fetch.cancel = runFetcher(entry.fetcher, entry.key, (outcome) =>
    settleFetch(entry, fetch, outcome),
  )
  return entry.fetch
}

/** Cancels the fetch in flight; its `refetch()` callers get the state as it is. */
export function cancelFetch(entry: Entry): void {
  const fetch = entry.fetch
  if (!fetch) return
  entry.fetch = undefined
  fetch.cancel()
  const state = stateOf(entry)
  for (const waiter of fetch.waiters) waiter(state)
}

function refetchIfStale(entry: Entry): void {
  if (stateOf(entry).isStale) startFetch(entry)
}

/** Removes the entry: its timer, listeners and fetch go with it. */
export function drop(entry: Entry): void {
  if (entry.gcTimer !== undefined) clearTimeout(entry.gcTimer)
  entry.gcTimer = undefined
  if (entry.watch) entry.watch.unsubscribe()
  entry.watch = undefined
  cancelFetch(entry)
  if (isLive(entry)) entry.cache.entries.delete(entry.hash)
}

/** Nobody subscribes: drops the entry after its cacheTime (at once for 0, never for Infinity). */
export function scheduleGc(entry: Entry): void {
  if (entry.observers || entry.gcTimer !== undefined || !isLive(entry)) return
  const wait = entry.options.cacheTime
  if (wait === 0) drop(entry)
  else if (wait !== Infinity) {
    entry.gcTimer = setTimeout(() => drop(entry), Math.min(wait, MAX_TIMER_DELAY))
  }
}

// Reads the storage copy once; data that arrived first (network, setQueryData) wins.
function restore(entry: Entry): void {
  const persister = entry.cache.persister
  if (!persister || !entry.options.persist || entry.restored || entry.hasData) return
  entry.restored = true
  void persister.load(entry.hash).then((stored) => {
    if (!stored || entry.hasData || !isLive(entry)) return
    entry.data = stored.data
    entry.hasData = true
    entry.updatedAt = stored.updatedAt
    notify(entry)
  })
}

// Calls `refetch` each time `source` goes from false back to true.
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

// The app-show and network-return listeners of a subscribed entry (shared streams: any number
// of entries add one pair of wx listeners each).
function watch(entry: Entry): Subscription | undefined {
  const { refetchOnShow, refetchOnReconnect } = entry.options
  if (!refetchOnShow && !refetchOnReconnect) return undefined
  const subscription = new Subscription()
  const again = () => refetchIfStale(entry)
  if (refetchOnShow) subscription.add(onReturn(appVisible$, again))
  if (refetchOnReconnect) subscription.add(onReturn(isOnline$, again))
  return subscription
}

/**
 * Subscribes to an entry: emits its state at once (the fetch, if the data is stale, already
 * started), then each change; the returned teardown undoes it, and the last one cancels the
 * fetch and starts the cacheTime.
 */
export function subscribeEntry(
  entry: Entry,
  subscriber: { next(state: QueryState<unknown>): void },
): () => void {
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
