// Whether a pool may start calls now: the device is online and the app is in the foreground.
// The gate learns both from wx's events (while it watches them) and from evidence: a call
// that succeeded proves the network, a call that failed "offline" or "interrupted" disproves
// it. It watches events only while the pool holds work that waits (a queue, a call on the
// wire for a while, a failure), so an idle pool holds no listener; and it keeps what it last
// learned for STATUS_FRESH_MS, so sequential calls through an idle pool cost no round trip.
import type { Subscription } from 'rxjs'
import { invoke } from '../core/promisify'
import { appVisible$ } from './app-visibility'
import { isOnline$ } from './network-status'

/** How long a known network state is trusted without listening (ms). */
export const STATUS_FRESH_MS = 30000
/** How long a call may run before the gate starts watching the app's lifecycle (ms). */
export const WATCH_AFTER_MS = 1000
/** First and longest wait between two `getNetworkType` probes while offline (ms). */
const PROBE_FIRST_MS = 250
const PROBE_MAX_MS = 5000
/** First and longest wait before trying again after an unexplained `interrupted` (ms). */
const HIDDEN_RETRY_FIRST_MS = 1000
const HIDDEN_RETRY_MAX_MS = 30000

/** What the gate knows of the network. */
type NetworkKnowledge = 'online' | 'offline' | 'unknown'

/** The gate of one pool. */
export interface PoolNetworkGate {
  /** False for a gate that follows nothing (`waitForNetwork: false`). */
  readonly enabled: boolean
  /** True while calls may leave the queue. */
  readonly open: boolean
  /** The pool got work: trust a fresh state, else ask and watch. */
  busy(): void
  /** The pool has no work left: drop every listener and timer, keep what is known. */
  idle(): void
  /** A call has to wait in the queue: watch the events from now on. */
  waiting(): void
  /** A call succeeded: the network works. */
  sawSuccess(): void
  /** A call failed because the device is offline: close, watch, and ask again. */
  sawOffline(): void
  /** A call failed `interrupted` (the app is in the background): close until it shows. */
  sawInterrupted(): void
  /**
   * After a network failure that may or may not mean offline: calls `then(true)` when the
   * network is there, `then(false)` when it is not (asks `getNetworkType` unless known).
   */
  verify(then: (online: boolean) => void): void
}

/** What the gate tells its pool. */
export interface GateOwner {
  /** The gate opened (or may have): start what can start. */
  opened(): void
}

/** A gate that is always open, for pools made with `waitForNetwork: false`. */
export function createOpenGate(): PoolNetworkGate {
  const nothing = () => undefined
  return {
    enabled: false,
    open: true,
    busy: nothing,
    idle: nothing,
    waiting: nothing,
    sawSuccess: nothing,
    sawOffline: nothing,
    sawInterrupted: nothing,
    verify: (then) => then(true),
  }
}

/** Makes the gate of one pool. */
export function createPoolNetworkGate(owner: GateOwner): PoolNetworkGate {
  let network: NetworkKnowledge = 'unknown'
  let knownAt = 0
  let visible = true
  let watching: Subscription[] | undefined
  let watchTimer: ReturnType<typeof setTimeout> | undefined
  let probeTimer: ReturnType<typeof setTimeout> | undefined
  let probeDelay = 0
  let asking = false
  // Offline evidence outranks any "online" that was asked for before it: counted, so an answer
  // can tell whether it is newer than the last doubt.
  let doubts = 0
  let doubtsWhenAsked = 0
  let verdictWaiters: Array<(online: boolean) => void> = []
  let hiddenTimer: ReturnType<typeof setTimeout> | undefined
  let hiddenDelay = HIDDEN_RETRY_FIRST_MS

  const isOpen = () => network === 'online' && visible

  const learnNetwork = (online: boolean) => {
    const wasOpen = isOpen()
    network = online ? 'online' : 'offline'
    knownAt = Date.now()
    if (online) stopProbing()
    else startProbing()
    if (!wasOpen && isOpen()) owner.opened()
  }
  // An event is news, but the stream's first answer may predate a failure that said offline:
  // after such a failure, "online" from the stream is checked with a fresh getNetworkType.
  const heardNetwork = (online: boolean) => {
    if (online && network === 'offline' && doubts > 0) return ask()
    if (online) probeDelay = 0
    learnNetwork(online)
  }

  const learnVisible = (now: boolean) => {
    const wasOpen = isOpen()
    visible = now
    if (now) {
      stopHiddenRetry()
      hiddenDelay = HIDDEN_RETRY_FIRST_MS
    }
    if (!wasOpen && isOpen()) owner.opened()
  }

  // Watching: the wx events, from the first wait to the pool's next idle.
  const watch = () => {
    stopWatchTimer()
    if (watching) return
    watching = []
    watching.push(isOnline$.subscribe(heardNetwork))
    watching.push(appVisible$.subscribe((now) => learnVisible(now)))
  }
  const stopWatching = () => {
    const subscriptions = watching
    watching = undefined
    if (subscriptions) subscriptions.forEach((subscription) => subscription.unsubscribe())
  }

  const stopWatchTimer = () => {
    if (watchTimer !== undefined) clearTimeout(watchTimer)
    watchTimer = undefined
  }

  // Asking getNetworkType: once at a time; every waiter gets the one answer.
  const ask = () => {
    if (asking) return
    asking = true
    doubtsWhenAsked = doubts
    const answered = (online: boolean) => {
      asking = false
      // Asked before the latest "offline" failure: ask again.
      if (online && doubtsWhenAsked < doubts) return ask()
      doubts = 0
      const waiters = verdictWaiters
      verdictWaiters = []
      learnNetwork(online)
      waiters.forEach((then) => then(online))
    }
    invoke('getNetworkType').then(
      (result) => answered((result as { networkType?: unknown }).networkType !== 'none'),
      // Without a readable state, assume online rather than hold every call forever.
      () => answered(true),
    )
  }

  // Probing: while offline, ask again with a growing pause; the event may come late or never.
  const startProbing = () => {
    if (probeTimer !== undefined) return
    probeDelay = probeDelay ? Math.min(probeDelay * 2, PROBE_MAX_MS) : PROBE_FIRST_MS
    probeTimer = setTimeout(() => {
      probeTimer = undefined
      ask()
    }, probeDelay)
  }
  const stopProbing = () => {
    if (probeTimer !== undefined) clearTimeout(probeTimer)
    probeTimer = undefined
  }

  // An `interrupted` the lifecycle events did not announce: try again later, in case the
  // failure belonged to a hide that is already over.
  const startHiddenRetry = () => {
    if (hiddenTimer !== undefined) return
    hiddenTimer = setTimeout(() => {
      hiddenTimer = undefined
      hiddenDelay = Math.min(hiddenDelay * 2, HIDDEN_RETRY_MAX_MS)
      learnVisible(true)
    }, hiddenDelay)
  }
  const stopHiddenRetry = () => {
    if (hiddenTimer !== undefined) clearTimeout(hiddenTimer)
    hiddenTimer = undefined
  }

  return {
    enabled: true,
    get open() {
      return isOpen()
    },
    busy() {
      const fresh = network !== 'unknown' && Date.now() - knownAt <= STATUS_FRESH_MS
      if (!fresh) network = 'unknown'
      if (network !== 'online') return watch()
      watchTimer = setTimeout(watch, WATCH_AFTER_MS)
    },
    idle() {
      // What the events told us stays true up to now.
      if (watching && network !== 'unknown') knownAt = Date.now()
      stopWatching()
      stopWatchTimer()
      stopProbing()
      stopHiddenRetry()
      visible = true
      probeDelay = 0
      doubts = 0
      if (network === 'offline') network = 'unknown'
      const waiters = verdictWaiters
      verdictWaiters = []
      waiters.forEach((then) => then(true))
    },
    waiting: watch,
    sawSuccess() {
      probeDelay = 0
      doubts = 0
      if (network !== 'offline') {
        network = 'online'
        knownAt = Date.now()
      }
    },
    sawOffline() {
      watch()
      doubts++
      network = 'offline'
      knownAt = Date.now()
      if (asking || probeTimer !== undefined) return
      // The first doubt is asked about at once; repeated ones wait for the next probe.
      if (probeDelay) startProbing()
      else ask()
    },
    sawInterrupted() {
      watch()
      // Already closed by onAppHide: onAppShow will open it.
      if (!visible) return
      visible = false
      startHiddenRetry()
    },
    verify(then) {
      if (network === 'offline') return then(false)
      verdictWaiters.push(then)
      ask()
    },
  }
}
