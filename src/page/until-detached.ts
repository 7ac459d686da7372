import { Observable } from 'rxjs'
import type { MonoTypeOperatorFunction } from 'rxjs'
import { bindingsOf, checkInstance, own } from './page-lifecycle'
import type { DataTarget } from './set-data-batch'

/**
 * An operator that ties a manual subscription to `instance`: it is unsubscribed when the
 * instance is detached/unloaded (no `complete` is sent), and a subscription made after that
 * (after an `await` that outlived the page) never subscribes to the source at all.
 *
 * @example
 * this.track = location$().pipe(untilDetached(this)).subscribe((fix) => draw(fix))
 */
export function untilDetached<T>(instance: DataTarget): MonoTypeOperatorFunction<T> {
  checkInstance('untilDetached', instance)
  return (source) =>
    new Observable<T>((subscriber) => {
      const record = bindingsOf(instance)
      if (record.detached) {
        subscriber.unsubscribe()
        return undefined
      }
      own(record, subscriber)
      return source.subscribe(subscriber)
    })
}
