// bindData in Page() pages (through a small Page runtime) and initDataBindings with a
// Chaining API builder context, on the Node wx host.
import { BehaviorSubject, Observable, Subject } from 'rxjs'
import {
  bindData,
  initDataBindings,
  isOnline$,
  pauseData,
  resumeData,
  unbindData,
  untilDetached,
} from 'miniprogram-rx'
import type { ChainingContext } from 'miniprogram-rx'
import { createWxHost } from 'miniprogram-rx/testing'
import { tick, useBindingHost } from './binding-host'
import { fakeInstance } from './fake-instance'
import { installPage, lastPage, open } from './page-runtime'

const host = createWxHost()
const restoreWx = host.install()
const restorePage = installPage()

useBindingHost(host, () => {
  restorePage()
  restoreWx()
})

describe('bindData in Page()', () => {
  const position = new BehaviorSubject(0)
  let login: Promise<string> = Promise.resolve('Ada')
  Page({
    data: { title: 'Player' },
    async onLoad() {
      bindData(this, { online: isOnline$, position })
      const user = await login
      bindData(this, { user: new BehaviorSubject(user) })
    },
    onHide() {
      pauseData(this)
    },
    onShow() {
      resumeData(this)
    },
    onUnload() {
      unbindData(this)
    },
  })
  const definition = lastPage()

  it('binds on load and unbinds everything on unload', async () => {
    const page = open(definition)
    position.next(1)
    await tick()
    expect(page.instance.calls).toEqual([{ online: true, position: 1, user: 'Ada' }])
    expect(page.instance.data).toEqual({ title: 'Player', online: true, position: 1, user: 'Ada' })
    page.unload()
    expect(position.observed).toBe(false)
  })

  it('refuses what onLoad binds after an await that outlived the page', async () => {
    let answer!: (user: string) => void
    login = new Promise((resolve) => (answer = resolve))
    const page = open(definition)
    await tick()
    page.unload()
    answer('Grace')
    await tick()
    expect(page.instance.calls).toEqual([{ online: true, position: 1 }])
    login = Promise.resolve('Ada')
  })

  it('holds setData back while hidden and catches up once on show', async () => {
    const page = open(definition)
    await tick()
    page.hide()
    for (let i = 2; i < 12; i++) {
      position.next(i)
      await tick()
    }
    host.setNetwork({ isConnected: false, networkType: 'none' })
    await tick()
    expect(page.instance.calls).toHaveLength(1)
    page.show()
    await tick()
    expect(page.instance.calls[1]).toEqual({ online: false, position: 11 })
    page.unload()
  })

  it('keeps two open instances of one page apart', async () => {
    const first = open(definition)
    const second = open(definition)
    await tick()
    first.unload()
    position.next(99)
    await tick()
    expect(first.instance.data.position).toBe(11)
    expect(second.instance.data.position).toBe(99)
    second.unload()
  })
})

describe('initDataBindings (Chaining API)', () => {
  function context() {
    const lifetimes: Record<string, () => void> = {}
    const pageLifetimes: Record<string, () => void> = {}
    const self = fakeInstance()
    const ctx: ChainingContext = {
      self,
      lifetime: (name, func) => (lifetimes[name] = func),
      pageLifetime: (name, func) => (pageLifetimes[name] = func),
    }
    return { ctx, self, lifetimes, pageLifetimes }
  }

  it('binds on attached, pauses on hide, and unbinds on detached', async () => {
    const { ctx, self, lifetimes, pageLifetimes } = context()
    const value = new Subject<number>()
    initDataBindings(ctx, { value, online: isOnline$ }, { pauseWhileHidden: true })
    expect(Object.keys(lifetimes).sort()).toEqual(['attached', 'detached'])
    lifetimes.attached()
    value.next(1)
    await tick()
    pageLifetimes.hide()
    value.next(2)
    value.next(3)
    await tick()
    pageLifetimes.show()
    await tick()
    expect(self.calls).toEqual([{ value: 1, online: true }, { value: 3 }])
    lifetimes.detached()
    expect(value.observed).toBe(false)
  })

  it('refuses what is not a builder context, and bad sources, when called', () => {
    const { ctx, lifetimes } = context()
    expect(() => initDataBindings({} as never)).toThrow(/^initDataBindings: `context` must be/)
    expect(() => initDataBindings({ ...ctx, self: {} as never })).toThrow(
      /^initDataBindings: `instance` must be/,
    )
    expect(() => initDataBindings(ctx, { count: 3 } as never)).toThrow(
      /^initDataBindings: `sources.count` must be/,
    )
    expect(lifetimes).toEqual({})
  })

  it('registers no page lifetimes unless asked to pause while hidden', () => {
    const { ctx, lifetimes, pageLifetimes } = context()
    initDataBindings(ctx)
    expect(pageLifetimes).toEqual({})
    const source = new Subject<number>()
    source.pipe(untilDetached(ctx.self)).subscribe()
    lifetimes.attached()
    lifetimes.detached()
    expect(source.observed).toBe(false)
  })
})

describe('leaks', () => {
  it('10,000 load/unload cycles leave no subscription, no wx listener and no timer', async () => {
    let live = 0
    const values = new BehaviorSubject(0)
    const counted = new Observable<number>((subscriber) => {
      live += 1
      const inner = values.subscribe(subscriber)
      return () => {
        live -= 1
        inner.unsubscribe()
      }
    })
    const definition = {
      onLoad(this: ReturnType<typeof fakeInstance>) {
        bindData(this, { online: isOnline$, value: counted })
        counted.pipe(untilDetached(this)).subscribe()
      },
      onUnload(this: ReturnType<typeof fakeInstance>) {
        unbindData(this)
      },
    }
    let peak = 0
    for (let i = 0; i < 10000; i++) {
      const page = open(definition)
      peak = Math.max(peak, live)
      values.next(i)
      if (i % 100 === 0) await tick()
      page.unload()
    }
    await tick()
    expect(peak).toBe(2)
    expect(live).toBe(0)
    expect(values.observed).toBe(false)
  })
})
