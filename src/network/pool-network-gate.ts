// Whether a pool may start calls now: the device is online and the app is in the foreground.
// The gate learns both from wx's events (while it watches them) and from evidence: a call
// that succeeded proves the network, a call that failed "offline" or "interrupted" disproves
// it. It watches events only while the pool holds work that waits (a queue, a call on the
// wire for a while, a failure), so an idle pool holds no listener; and it keeps what it last
// learned for STATUS_FRESH_MS, so sequential calls through an idle pool cost no round trip.
import type { Subscription } from 'rxjs'
import { fromWxEvent } from '../core/from-wx-event'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import { appVisible$ } from './app-visibility'
import { isOnline$ } from './network-status'

/** How long a known network state is trusted without listening (ms). */
export const STATUS_FRESH_MS = 30000
/** How long a call may run before the gate starts watching the app's lifecycle (ms). */
export const WATCH_AFTER_MS = 1000
/** First and longest wait between two `getNetworkType` probes while offline (ms). */
const PROBE_FIRST_MS = 250
const PROBE_MAX_MS = 5000
/** How long an unanswered `getNetworkType` may keep the pool closed before it assumes online. */
export const ASK_DEADLINE_MS = 5000
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
  isOpen(): boolean
  /** The pool got work: trust a fresh state, else ask and watch. */
  busy(): void
  /**
   * A call is on the wire and did not end at once: if it is still there after
   * `WATCH_AFTER_MS`, watch the events (one timer per busy period, none for a wx that
   * answers synchronously).
   */
  sending(): void
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
    isOpen: () => true,
    busy: nothing,
    sending: nothing,
    idle: nothing,
    waiting: nothing,
    sawSuccess: nothing,
    sawOffline: nothing,
    sawInterrupted: nothing,
    verify: (then) => then(true),
  }
}

type Timer = ReturnType<typeof setTimeout>

function stopTimer(timer: Timer | undefined): undefined {
  if (timer !== undefined) clearTimeout(timer)
  return undefined
}

/** The gate of a pool that waits for the network: see the top of this file. */
class NetworkGate implements PoolNetworkGate {
  readonly enabled = true
  private network: NetworkKnowledge = 'unknown'
  private knownAt = 0
  private visible = true
  /** True between `busy()` and `idle()`: only then may the gate hold listeners or timers. */
  private active = false
  private watching: Subscription[] | undefined
  private watchTimer: Timer | undefined
  private probeTimer: Timer | undefined
  private probeDelay = 0
  private asking = false
  private asks = 0
  private askTimer: Timer | undefined
  private unknownTimer: Timer | undefined
  // Offline evidence outranks any "online" asked for before it: counted, so an answer can
  // tell whether it is newer than the last doubt.
  private doubts = 0
  private doubtsWhenAsked = 0
  private verdictWaiters: Array<(online: boolean) => void> = []
  private hiddenTimer: Timer | undefined
  /** `onAppShow`, heard directly while hidden by evidence (appVisible$ may not tell). */
  private showListener: Subscription | undefined
  private hiddenDelay = HIDDEN_RETRY_FIRST_MS

  constructor(private readonly owner: GateOwner) {}

  isOpen(): boolean {
    return this.network === 'online' && this.visible
  }

  busy(): void {
    this.active = true
    const fresh = this.network !== 'unknown' && Date.now() - this.knownAt <= STATUS_FRESH_MS
    if (!fresh) this.network = 'unknown'
    if (this.network === 'online') return
    this.watch()
    // A status that never comes must not hold every call for good.
    this.unknownTimer = setTimeout(() => {
      this.unknownTimer = undefined
      if (this.network === 'unknown') this.learnNetwork(true)
    }, ASK_DEADLINE_MS)
  }

  sending(): void {
    if (this.watching || this.watchTimer !== undefined || !this.active) return
    this.watchTimer = setTimeout(() => this.watch(), WATCH_AFTER_MS)
  }

  idle(): void {
    // What the events told us stays true up to now.
    if (this.watching && this.network !== 'unknown') this.knownAt = Date.now()
    this.active = false
    this.stopWatching()
    this.probeTimer = stopTimer(this.probeTimer)
    this.stopHiddenRetry()
    this.hiddenDelay = HIDDEN_RETRY_FIRST_MS
    this.askTimer = stopTimer(this.askTimer)
    this.unknownTimer = stopTimer(this.unknownTimer)
    this.asking = false
    this.visible = true
    this.probeDelay = 0
    this.doubts = 0
    if (this.network === 'offline') this.network = 'unknown'
    this.answerWaiters(true)
  }

  waiting(): void {
    this.watch()
  }

  sawSuccess(): void {
    this.probeDelay = 0
    this.hiddenDelay = HIDDEN_RETRY_FIRST_MS
    this.doubts = 0
    if (this.network === 'offline') return
    this.network = 'online'
    this.knownAt = Date.now()
  }

  sawOffline(): void {
    this.watch()
    this.doubts++
    this.network = 'offline'
    this.knownAt = Date.now()
    if (this.asking || this.probeTimer !== undefined) return
    // The first doubt is asked about at once; repeated ones wait for the next probe.
    if (this.probeDelay) this.startProbing()
    else this.ask()
  }

  sawInterrupted(): void {
    this.watch()
    // Already closed by onAppHide: onAppShow will open it.
    if (!this.visible) return
    this.visible = false
    this.startHiddenRetry()
    this.listenForShow()
  }

  verify(then: (online: boolean) => void): void {
    if (this.network === 'offline') return then(false)
    this.verdictWaiters.push(then)
    this.ask()
  }

  // Watching: the wx events, from the first wait to the pool's next idle.
  private watch(): void {
    this.watchTimer = stopTimer(this.watchTimer)
    if (this.watching || !this.active) return
    this.watching = [
      isOnline$.subscribe((online) => this.heardNetwork(online)),
      appVisible$.subscribe((now) => this.learnVisible(now)),
    ]
  }

  private stopWatching(): void {
    this.watchTimer = stopTimer(this.watchTimer)
    const subscriptions = this.watching
    this.watching = undefined
    if (subscriptions) subscriptions.forEach((subscription) => subscription.unsubscribe())
  }

  // An event is news, but the stream's first answer may predate a failure that said offline:
  // after such a failure, "online" from the stream is checked with a fresh getNetworkType.
  private heardNetwork(online: boolean): void {
    if (online && this.network === 'offline' && this.doubts > 0) return this.ask()
    if (online) this.probeDelay = 0
    this.learnNetwork(online)
  }

  private learnNetwork(online: boolean): void {
    this.unknownTimer = stopTimer(this.unknownTimer)
    const wasOpen = this.isOpen()
    this.network = online ? 'online' : 'offline'
    this.knownAt = Date.now()
    if (online) this.probeTimer = stopTimer(this.probeTimer)
    else this.startProbing()
    if (!wasOpen && this.isOpen()) this.owner.opened()
  }

  private learnVisible(now: boolean): void {
    const wasOpen = this.isOpen()
    this.visible = now
    if (now) this.stopHiddenRetry()
    if (now) this.hiddenDelay = HIDDEN_RETRY_FIRST_MS
    if (!wasOpen && this.isOpen()) this.owner.opened()
  }

  // Hidden by evidence: the shared appVisible$ may already have said "visible" and will not
  // repeat it, so the next onAppShow is heard directly.
  private listenForShow(): void {
    const wx = getWx() as unknown as Record<string, unknown> | undefined
    if (this.showListener || !wx || typeof wx.onAppShow !== 'function') return
    this.showListener = fromWxEvent('onAppShow').subscribe(() => this.learnVisible(true))
  }

  private stopHiddenRetry(): void {
    this.hiddenTimer = stopTimer(this.hiddenTimer)
    const listener = this.showListener
    this.showListener = undefined
    if (listener) listener.unsubscribe()
  }

  // Asking getNetworkType: once at a time; every waiter gets the one answer.
  private ask(): void {
    if (this.asking || !this.active) return
    this.asking = true
    this.doubtsWhenAsked = this.doubts
    const ask = ++this.asks
    const answer = (online: boolean) => {
      if (this.asking && ask === this.asks) this.answered(online)
    }
    invoke('getNetworkType').then(
      (result) => answer((result as { networkType?: unknown }).networkType !== 'none'),
      // Without a readable state, assume online rather than hold every call forever.
      () => answer(true),
    )
    if (this.asking) this.askTimer = setTimeout(() => answer(true), ASK_DEADLINE_MS)
  }

  private answered(online: boolean): void {
    this.asking = false
    this.askTimer = stopTimer(this.askTimer)
    if (!this.active) return
    // Asked before the latest "offline" failure: ask again.
    if (online && this.doubtsWhenAsked < this.doubts) return this.ask()
    this.doubts = 0
    this.learnNetwork(online)
    this.answerWaiters(online)
  }

  private answerWaiters(online: boolean): void {
    if (!this.verdictWaiters.length) return
    const waiters = this.verdictWaiters
    this.verdictWaiters = []
    waiters.forEach((then) => then(online))
  }

  // Probing: while offline, ask again with a growing pause; the event may come late or never.
  private startProbing(): void {
    if (this.probeTimer !== undefined || !this.active) return
    this.probeDelay = this.probeDelay ? Math.min(this.probeDelay * 2, PROBE_MAX_MS) : PROBE_FIRST_MS
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined
      this.ask()
    }, this.probeDelay)
  }

  // An `interrupted` the lifecycle events did not announce: try again later, in case the
  // failure belonged to a hide that is already over.
  private startHiddenRetry(): void {
    if (this.hiddenTimer !== undefined || !this.active) return
    this.hiddenTimer = setTimeout(() => {
      this.hiddenTimer = undefined
      // A try, not a show: if it fails `interrupted` again, the next wait is longer.
      const next = Math.min(this.hiddenDelay * 2, HIDDEN_RETRY_MAX_MS)
      this.learnVisible(true)
      this.hiddenDelay = next
    }, this.hiddenDelay)
  }
}

/** Makes the gate of one pool. */
export function createPoolNetworkGate(owner: GateOwner): PoolNetworkGate {
  return new NetworkGate(owner)
}
