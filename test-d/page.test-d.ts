// Page data bindings, checked by `tsc -p test-d` against dist/index.d.ts: data keys and types
// follow from the observables, in Component(), Page(), Behavior() and the Chaining API, with
// no `any` and no casts in the page code.
import { expectTypeOf } from 'expect-type'
import {
  backgroundAudio,
  bindData,
  dataBindings,
  initDataBindings,
  isOnline$,
  unbindData,
  untilDetached,
  type BindingError,
  type BoundData,
  type DataTarget,
  type AudioState,
} from 'miniprogram-rx'
import { BehaviorSubject, interval, map, type Subscription } from 'rxjs'

const list$ = new BehaviorSubject([{ id: 1, title: 'a' }])

// the data a map of sources writes
expectTypeOf<BoundData<{ online: typeof isOnline$; count: Promise<number> }>>().toEqualTypeOf<{
  online: boolean
  count: number
}>()

// Component(): `this.data` has the bound keys with their types, and the errorKey
Component({
  behaviors: [
    dataBindings(
      { online: isOnline$, player: backgroundAudio.state$, list: list$ },
      { errorKey: 'failure', pauseWhileHidden: true },
    ),
  ],
  data: { title: 'Player' },
  methods: {
    show() {
      expectTypeOf(this.data.online).toEqualTypeOf<boolean>()
      expectTypeOf(this.data.player).toEqualTypeOf<AudioState>()
      expectTypeOf(this.data.list).toEqualTypeOf<{ id: number; title: string }[]>()
      expectTypeOf(this.data.failure).toEqualTypeOf<BindingError | null>()
      expectTypeOf(this.data.title).toEqualTypeOf<string>()
    },
  },
  lifetimes: {
    async attached() {
      await Promise.resolve()
      const subscription = bindData(this, { seconds: interval(1000) }, { onError: () => {} })
      expectTypeOf(subscription).toEqualTypeOf<Subscription>()
      interval(1000)
        .pipe(untilDetached(this))
        .subscribe((n) => expectTypeOf(n).toEqualTypeOf<number>())
    },
  },
})

// Page(): `this` is accepted as the instance; no `this.sub = ...` needed
Page({
  data: {},
  onLoad() {
    bindData(this, { online: isOnline$, title: isOnline$.pipe(map((on) => (on ? 'on' : 'off'))) })
  },
  onUnload() {
    unbindData(this)
  },
})

// Behavior(): a behavior of behaviors
Behavior({ behaviors: [dataBindings({ online: isOnline$ })] })

// the glass-easel Chaining API: the builder context of init() is accepted as is
Component()
  .data(() => ({ ready: false }))
  .init((ctx) => {
    initDataBindings(ctx, { online: isOnline$ }, { pauseWhileHidden: true })
  })
  .register()

// mistakes the types catch
declare const instance: DataTarget
// @ts-expect-error a number is not an observable
bindData(instance, { count: 3 })
// @ts-expect-error an object without setData is not an instance
bindData({ data: {} }, { online: isOnline$ })
// @ts-expect-error errorKey is a string
dataBindings({ online: isOnline$ }, { errorKey: 1 })
