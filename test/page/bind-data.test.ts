// bindData, untilDetached, unbindData, pauseData/resumeData on a fake instance, with jest's
// fake timers standing in for the tick, then on the Node wx host (isOnline$, wx.nextTick).
import { BehaviorSubject, Observable, Subject, throwError } from 'rxjs'
import {
  bindData,
  isOnline$,
  pauseData,
  resumeData,
  unbindData,
  untilDetached,
} from 'miniprogram-rx'
import { createWxHost } from 'miniprogram-rx/testing'
import { fakeInstance } from './fake-instance'

/** An observable that counts its live subscribers. */
function counted<T>(source: Observable<T>) {
  const counter = { live: 0, total: 0 }
  const observable = new Observable<T>((subscriber) => {
    counter.live += 1
    counter.total += 1
    const inner = source.subscribe(subscriber)
    return () => {
      counter.live -= 1
      inner.unsubscribe()
    }
  })
  return { observable, counter }
}

beforeEach(() => jest.useFakeTimers())
afterEach(() => {
  expect(jest.getTimerCount()).toBe(0)
  jest.useRealTimers()
})

describe('bindData', () => {
  it('writes every emission of one tick in one setData, at the next tick', () => {
    const page = fakeInstance()
    const online = new BehaviorSubject(true)
    const count = new Subject<number>()
    bindData(page, { online, count })
    count.next(1)
    count.next(2)
    online.next(false)
    expect(page.calls).toEqual([])
    jest.advanceTimersByTime(50)
    expect(page.calls).toEqual([{ online: false, count: 2 }])
    unbindData(page)
  })

  it('never calls setData twice for one instance in one tick', () => {
    const page = fakeInstance()
    const a = new Subject<number>()
    const b = new Subject<number>()
    bindData(page, { a })
    bindData(page, { b })
    a.next(1)
    b.next(1)
    jest.advanceTimersByTime(50)
    a.next(2)
    b.next(2)
    a.next(3)
    jest.advanceTimersByTime(50)
    expect(page.calls).toEqual([
      { a: 1, b: 1 },
      { a: 3, b: 2 },
    ])
    unbindData(page)
  })

  it('sends nothing for values equal to what was sent, and changed paths for objects', () => {
    const page = fakeInstance()
    const player = new Subject<{ status: string; position: number; title: string }>()
    const online = new Subject<boolean>()
    bindData(page, { player, online })
    player.next({ status: 'playing', position: 0, title: 'A long title of a long song' })
    online.next(true)
    jest.advanceTimersByTime(50)
    player.next({ status: 'playing', position: 0.25, title: 'A long title of a long song' })
    online.next(true)
    jest.advanceTimersByTime(50)
    online.next(true)
    jest.advanceTimersByTime(50)
    expect(page.calls.slice(1)).toEqual([{ 'player.position': 0.25 }])
    expect(page.data.player).toEqual({
      status: 'playing',
      position: 0.25,
      title: 'A long title of a long song',
    })
    unbindData(page)
  })

  it('sends the first change after a quiet spell at the next tick, and a burst once per 50 ms', () => {
    const page = fakeInstance()
    const messages = new Subject<number>()
    bindData(page, { last: messages })
    messages.next(0)
    jest.advanceTimersByTime(0)
    expect(page.calls).toEqual([{ last: 0 }])
    for (let i = 1; i <= 50; i++) {
      messages.next(i) // 50 a second, each in its own macrotask
      jest.advanceTimersByTime(20)
    }
    // one second of messages: the one at 0 ms, then one setData per 50 ms
    expect(page.calls).toHaveLength(21)
    expect(page.calls[page.calls.length - 1]).toEqual({ last: 50 })
    jest.advanceTimersByTime(1000)
    messages.next(51)
    jest.advanceTimersByTime(0)
    expect(page.calls[page.calls.length - 1]).toEqual({ last: 51 })
    unbindData(page)
  })

  it('takes minInterval for the instance, and refuses a bad one', () => {
    const page = fakeInstance()
    const messages = new Subject<number>()
    bindData(page, { last: messages }, { minInterval: 0 })
    for (let i = 1; i <= 10; i++) {
      messages.next(i)
      jest.advanceTimersByTime(1)
    }
    expect(page.calls).toHaveLength(10)
    expect(() => bindData(page, {}, { minInterval: -1 })).toThrow(
      'bindData: `options.minInterval` must be a number in [0, 2147483647], got number -1',
    )
    unbindData(page)
  })

  it('uses wx.nextTick when the base library has it', () => {
    const ticks: (() => void)[] = []
    const previous = (globalThis as { wx?: unknown }).wx
    ;(globalThis as { wx?: unknown }).wx = { nextTick: (fn: () => void) => ticks.push(fn) }
    try {
      const page = fakeInstance()
      const value = new Subject<number>()
      bindData(page, { value })
      value.next(1)
      value.next(2)
      expect(ticks).toHaveLength(1)
      expect(jest.getTimerCount()).toBe(0)
      ticks[0]()
      expect(page.calls).toEqual([{ value: 2 }])
      unbindData(page)
    } finally {
      ;(globalThis as { wx?: unknown }).wx = previous
    }
  })

  it('binds promises and arrays too', async () => {
    const page = fakeInstance()
    bindData(page, { user: Promise.resolve({ name: 'Ada' }), tags: ['a', 'b'] })
    await Promise.resolve()
    jest.advanceTimersByTime(50)
    expect(page.data).toEqual({ user: { name: 'Ada' }, tags: 'b' })
    unbindData(page)
  })
})

describe('teardown', () => {
  it('unbindData ends every binding and drops the pending setData', () => {
    const page = fakeInstance()
    const a = counted(new Subject<number>())
    const b = counted(new BehaviorSubject(1))
    bindData(page, { a: a.observable })
    bindData(page, { b: b.observable })
    expect(a.counter.live + b.counter.live).toBe(2)
    unbindData(page)
    expect(a.counter.live + b.counter.live).toBe(0)
    jest.advanceTimersByTime(10)
    expect(page.calls).toEqual([])
  })

  it('refuses a binding made after the page left (the await race): no subscribe, no setData', async () => {
    const page = fakeInstance()
    const late = counted(new BehaviorSubject('late'))
    const loading = (async () => {
      await Promise.resolve() // the page awaits a login...
      await Promise.resolve()
      return bindData(page, { profile: late.observable })
    })()
    unbindData(page) // ...and the user leaves first
    const subscription = await loading
    expect(subscription.closed).toBe(true)
    expect(late.counter.total).toBe(0)
    jest.advanceTimersByTime(10)
    expect(page.calls).toEqual([])
  })

  it('untilDetached ends a manual subscription on unbindData without completing it', () => {
    const page = fakeInstance()
    const source = counted(new Subject<number>())
    const seen: string[] = []
    source.observable.pipe(untilDetached(page)).subscribe({
      next: (value) => seen.push('next ' + value),
      complete: () => seen.push('complete'),
    })
    expect(source.counter.live).toBe(1)
    unbindData(page)
    expect(source.counter.live).toBe(0)
    expect(seen).toEqual([])
  })

  it('untilDetached after unbindData never subscribes to the source', () => {
    const page = fakeInstance()
    unbindData(page)
    const source = counted(new BehaviorSubject(1))
    const seen: unknown[] = []
    const subscription = source.observable.pipe(untilDetached(page)).subscribe({
      next: (value) => seen.push(value),
      complete: () => seen.push('complete'),
    })
    expect(subscription.closed).toBe(true)
    expect(source.counter.total).toBe(0)
    expect(seen).toEqual([])
  })

  it('forgets subscriptions that ended by themselves', () => {
    const page = fakeInstance()
    for (let i = 0; i < 100; i++) {
      const source = new Subject<number>()
      source.pipe(untilDetached(page)).subscribe()
      source.complete()
      bindData(page, { done: [i] })
    }
    const record = (
      page as unknown as Record<string, { subscriptions: { _finalizers: unknown[] | null } }>
    ).__miniprogramRxBindings
    expect(record.subscriptions._finalizers || []).toHaveLength(0)
    jest.advanceTimersByTime(50)
    unbindData(page)
  })

  it('keeps two instances of one page apart', () => {
    const first = fakeInstance()
    const second = fakeInstance()
    const shared = new Subject<number>()
    bindData(first, { value: shared })
    bindData(second, { value: shared })
    shared.next(1)
    jest.advanceTimersByTime(50)
    unbindData(first)
    shared.next(2)
    jest.advanceTimersByTime(50)
    expect(first.calls).toEqual([{ value: 1 }])
    expect(second.calls).toEqual([{ value: 1 }, { value: 2 }])
    unbindData(second)
  })
})

describe('errors', () => {
  it('writes a failure to errorKey and keeps the other streams running', () => {
    const page = fakeInstance()
    const failing = new Subject<number>()
    const other = new Subject<number>()
    bindData(page, { failing, other }, { errorKey: 'error' })
    failing.next(1)
    const failure = Object.assign(new Error('request:fail timeout'), {
      name: 'TimeoutError',
      code: 'ERR_TIMEOUT',
    })
    failing.error(failure)
    other.next(5)
    jest.advanceTimersByTime(50)
    expect(page.data).toEqual({
      failing: 1,
      other: 5,
      error: {
        key: 'failing',
        name: 'TimeoutError',
        message: 'request:fail timeout',
        code: 'ERR_TIMEOUT',
      },
    })
    unbindData(page)
  })

  it('calls onError with the error and the key', () => {
    const page = fakeInstance()
    const onError = jest.fn()
    const boom = new Error('boom')
    bindData(page, { value: throwError(() => boom) }, { onError })
    expect(onError).toHaveBeenCalledWith(boom, 'value')
    jest.advanceTimersByTime(50)
    expect(page.calls).toEqual([])
    unbindData(page)
  })

  it('logs a failure nobody handles with console.error instead of throwing it', () => {
    const page = fakeInstance()
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      bindData(page, { value: throwError(() => new Error('boom')) })
      jest.advanceTimersByTime(10) // an unhandled RxJS error would be thrown from a timer here
      expect(log).toHaveBeenCalledTimes(1)
      expect(String(log.mock.calls[0][0])).toMatch(/^bindData: "value" failed/)
    } finally {
      log.mockRestore()
      unbindData(page)
    }
  })

  it('refuses bad input with a TypeError naming the API and the field', () => {
    const page = fakeInstance()
    expect(() => bindData({} as never, {})).toThrow(/^bindData: `instance` must be/)
    expect(() => bindData(page, null as never)).toThrow(/^bindData: `sources` must be/)
    expect(() => bindData(page, { value: 3 } as never)).toThrow(
      /^bindData: `sources.value` must be an Observable/,
    )
    expect(() => bindData(page, { 'a.b': [1] })).toThrow(
      /`sources` must be data keys \(without \. \[ \]\)/,
    )
    expect(() => untilDetached(undefined as never)).toThrow(/^untilDetached: `instance`/)
    expect(() => bindData(page, {}, null as never)).toThrow(
      /^bindData: `options` must be an object/,
    )
    expect(() => bindData(page, {}, { errorKey: 'a.b' })).toThrow(
      'bindData: `options.errorKey` must be a data key, got "a.b"',
    )
    expect(() => bindData(page, {}, { onError: 1 as never })).toThrow(
      /^bindData: `options.onError` must be a function/,
    )
    expect(() => unbindData(3 as never)).toThrow(TypeError)
  })
})

describe('hidden pages', () => {
  it('sends nothing while paused, then one catch-up update with the latest values', () => {
    const page = fakeInstance()
    const position = new Subject<number>()
    const title = new Subject<string>()
    bindData(page, { position, title })
    position.next(0)
    title.next('A')
    jest.advanceTimersByTime(50)
    pauseData(page)
    for (let i = 1; i <= 40; i++) {
      position.next(i / 4)
      jest.advanceTimersByTime(250)
    }
    title.next('B')
    title.next('A')
    jest.advanceTimersByTime(1000)
    expect(page.calls).toHaveLength(1)
    resumeData(page)
    expect(page.calls).toHaveLength(1)
    jest.advanceTimersByTime(50)
    expect(page.calls).toEqual([{ position: 0, title: 'A' }, { position: 10 }])
    unbindData(page)
  })
})

describe('on the Node wx host', () => {
  it('binds isOnline$ through wx.nextTick and leaves no listener and no timer', async () => {
    const host = createWxHost()
    const restore = host.install()
    try {
      const page = fakeInstance()
      bindData(page, { online: isOnline$ })
      await Promise.resolve() // the host answers getNetworkType later, never inside the call
      await Promise.resolve()
      jest.advanceTimersByTime(50)
      host.setNetwork({ isConnected: false, networkType: 'none' })
      jest.advanceTimersByTime(50)
      expect(page.calls).toEqual([{ online: true }, { online: false }])
      expect(host.calls.filter((call) => call.api === 'nextTick')).toHaveLength(2)
      expect(host.listenerCount()).toBe(1)
      unbindData(page)
      expect(host.listenerCount()).toBe(0)
    } finally {
      restore()
      await host.close()
    }
  })
})
