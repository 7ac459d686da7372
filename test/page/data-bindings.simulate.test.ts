/** @jest-environment jsdom */
// The dataBindings behavior in real components (miniprogram-simulate) on the Node wx host:
// attach/detach, the await race, hidden pages, errors, behaviors of behaviors, two instances.
import { BehaviorSubject, Observable, Subject } from 'rxjs'
import { bindData, dataBindings, isOnline$, untilDetached } from 'miniprogram-rx'
import type { DataTarget } from 'miniprogram-rx'
import { createWxHost } from 'miniprogram-rx/testing'
import { tick, useBindingHost } from './binding-host'

const host = createWxHost()
const restore = host.install()
// miniprogram-simulate copies the global wx when it loads: require it after install().
// (typed here by what the tests use: its own typings bring an older copy of the wx typings)
const simulate: Simulate = require('miniprogram-simulate')
// jsdom's document, typed loosely (this project compiles its tests without the DOM library)
const { document } = globalThis as unknown as { document: { createElement(tag: string): never } }

interface Simulated {
  instance: DataTarget
  attach(parent: never): void
  detach(): void
  triggerPageLifeTime(name: 'show' | 'hide'): void
  querySelector(selector: string): { dom: { textContent: string } }
}
interface Simulate {
  load(definition: object): string
  behavior(definition: object): string
  render(id: string): Simulated
}

/** Renders and attaches component `id`, counting its setData calls. */
function mount(id: string) {
  const page = simulate.render(id)
  const instance = page.instance
  const calls: object[] = []
  const setData = instance.setData
  instance.setData = (data: Record<string, unknown>) => {
    calls.push(data)
    setData.call(instance, data)
  }
  page.attach(document.createElement('parent-wrapper'))
  return { page, calls, text: (selector: string) => page.querySelector(selector).dom.textContent }
}

useBindingHost(host, restore)

describe('dataBindings in a component', () => {
  it('renders bound streams, one setData per tick, and unsubscribes on detach', async () => {
    const count = new BehaviorSubject(0)
    const id = simulate.load({
      template: '<view class="online">{{online}}</view><view class="count">{{count}}</view>',
      behaviors: [dataBindings({ online: isOnline$, count })],
    })
    const { page, calls, text } = mount(id)
    count.next(1)
    count.next(2)
    await tick()
    expect(calls).toEqual([{ online: true, count: 2 }])
    expect(text('.online')).toBe('true')
    host.setNetwork({ isConnected: false, networkType: 'none' })
    count.next(3)
    await tick()
    expect(calls).toHaveLength(2)
    expect(text('.online')).toBe('false')
    expect(text('.count')).toBe('3')
    expect(host.listenerCount('onNetworkStatusChange')).toBe(1)
    page.detach()
    expect(count.observed).toBe(false)
  })

  it('ends a binding made after an await that outlived the component, without subscribing', async () => {
    let subscribed = 0
    const profile$ = new Observable<string>((subscriber) => {
      subscribed += 1
      subscriber.next('Ada')
    })
    let login!: () => void
    const loggedIn = new Promise<void>((resolve) => (login = resolve))
    let done!: Promise<void>
    const id = simulate.load({
      template: '<view>{{profile}}</view>',
      behaviors: [dataBindings()],
      lifetimes: {
        attached(this: DataTarget) {
          done = (async () => {
            await loggedIn
            bindData(this, { profile: profile$, online: isOnline$ })
          })()
        },
      },
    })
    const { page, calls } = mount(id)
    page.detach()
    login()
    await done
    await tick()
    expect(subscribed).toBe(0)
    expect(calls).toEqual([])
  })

  it('untilDetached ends manual subscriptions made in the component', async () => {
    const source = new Subject<number>()
    const seen: number[] = []
    const id = simulate.load({
      template: '<view></view>',
      behaviors: [dataBindings()],
      lifetimes: {
        attached(this: DataTarget) {
          source.pipe(untilDetached(this)).subscribe((value) => seen.push(value))
        },
      },
    })
    const { page } = mount(id)
    source.next(1)
    page.detach()
    source.next(2)
    expect(seen).toEqual([1])
    expect(source.observed).toBe(false)
  })

  it('pauses setData while the page is hidden and catches up once on show', async () => {
    const position = new BehaviorSubject(0)
    const id = simulate.load({
      template: '<view class="position">{{position}}</view>',
      behaviors: [dataBindings({ position }, { pauseWhileHidden: true })],
    })
    const { page, calls, text } = mount(id)
    await tick()
    page.triggerPageLifeTime('hide')
    for (let i = 1; i <= 20; i++) {
      position.next(i)
      await tick()
    }
    expect(calls).toEqual([{ position: 0 }])
    page.triggerPageLifeTime('show')
    await tick()
    expect(calls).toEqual([{ position: 0 }, { position: 20 }])
    expect(text('.position')).toBe('20')
    page.detach()
  })

  it('shows a failed stream in errorKey and keeps the others', async () => {
    const failing = new Subject<number>()
    const id = simulate.load({
      template:
        '<view class="error">{{error.key}}: {{error.message}}</view><view class="online">{{online}}</view>',
      behaviors: [dataBindings({ failing, online: isOnline$ }, { errorKey: 'error' })],
    })
    const { page, text } = mount(id)
    failing.error(new Error('socket closed'))
    await tick()
    expect(text('.error')).toBe('failing: socket closed')
    expect(text('.online')).toBe('true')
    page.detach()
  })

  it('works as a behavior of a behavior, beside the component own lifetimes', async () => {
    const seen: string[] = []
    const shared = simulate.behavior({
      behaviors: [dataBindings({ online: isOnline$ })],
      lifetimes: {
        detached() {
          seen.push('behavior detached')
        },
      },
    })
    const id = simulate.load({
      template: '<view class="online">{{online}}</view>',
      behaviors: [shared],
      lifetimes: {
        detached() {
          seen.push('component detached')
        },
      },
    })
    const { page, text } = mount(id)
    await tick()
    expect(text('.online')).toBe('true')
    page.detach()
    expect(seen).toEqual(['behavior detached', 'component detached'])
  })

  it('keeps two instances of one component apart', async () => {
    const value = new Subject<number>()
    const id = simulate.load({
      template: '<view class="value">{{value}}</view>',
      behaviors: [dataBindings({ value, online: isOnline$ })],
    })
    const first = mount(id)
    const second = mount(id)
    value.next(1)
    await tick()
    first.page.detach()
    value.next(2)
    await tick()
    expect(first.calls).toEqual([{ value: 1, online: true }])
    expect(second.calls).toEqual([{ value: 1, online: true }, { value: 2 }])
    expect(second.text('.value')).toBe('2')
    expect(host.listenerCount('onNetworkStatusChange')).toBe(1)
    second.page.detach()
  })
})
