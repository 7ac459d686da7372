// Whether the app is in the foreground, from wx.onAppShow / wx.onAppHide. The pool and the
// socket follow it while they hold work: WeChat cuts network calls 5 s after the app hides
// and refuses new ones until it shows again (errno 600003, `interrupted`).
import { merge, Observable, of, ReplaySubject } from 'rxjs'
import { distinctUntilChanged, map, share } from 'rxjs/operators'
import { fromWxEvent } from '../core/from-wx-event'
import { getWx } from '../core/wx'

function hasLifecycleEvents(): boolean {
  const wx = getWx() as unknown as Record<string, unknown> | undefined
  return !!wx && typeof wx.onAppShow === 'function' && typeof wx.onAppHide === 'function'
}

function watchVisibility(): Observable<boolean> {
  // No API tells whether the app is visible now; a subscriber that holds work was started
  // by the app running, so it starts from `true`. Without the events there is nothing to
  // follow, and the app counts as visible for good.
  if (!hasLifecycleEvents()) return of(true)
  return merge(
    of(true),
    fromWxEvent('onAppShow').pipe(map(() => true)),
    fromWxEvent('onAppHide').pipe(map(() => false)),
  ).pipe(distinctUntilChanged())
}

/**
 * `true` while the app is in the foreground, `false` after `wx.onAppHide` until
 * `wx.onAppShow`; emits on change only, and the current value at once to a late subscriber. Shared: one pair of wx listeners however many
 * subscribers, attached on the first subscribe and removed after the last unsubscribe.
 * Where the base library lacks the events it emits `true` once.
 */
export const appVisible$: Observable<boolean> = /*#__PURE__*/ new Observable<boolean>(
  (subscriber) => watchVisibility().subscribe(subscriber),
).pipe(
  // Replays the current value to a late subscriber; starts afresh after the last one leaves
  // (or after a host without the events completed it), so a new wx is looked up again.
  /*#__PURE__*/ share({ connector: () => new ReplaySubject<boolean>(1) }),
)
