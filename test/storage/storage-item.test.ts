import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { firstValueFrom, take, toArray } from 'rxjs'
import { createWxHost } from '../../src/testing'
import { useHostSlot } from '../helpers/installed-host'
import { listenerCount } from '../../src/storage/key-queue'
import { storageItem } from '../../src/storage/storage-item'
import { isStorageQuotaError, StorageQuotaError } from '../../src/storage/storage-quota-error'
import { WxError } from '../../src/core/errors'

const MB = 1024 * 1024

describe('storageItem (through the wx host)', () => {
  afterEach(() => {
    jest.useRealTimers()
  })
  const slot = useHostSlot()
  afterEach(() => {
    expect(listenerCount()).toBe(0)
  })

  it('reads the default while the key is absent, then what was set, then the default again', async () => {
    const item = storageItem('settings', { defaultValue: { theme: 'light' } })
    await expect(item.get()).resolves.toEqual({ theme: 'light' })
    await item.set({ theme: 'dark' })
    await expect(item.get()).resolves.toEqual({ theme: 'dark' })
    expect(slot.host.storage.snapshot()).toEqual({ settings: { theme: 'dark' } })
    await item.remove()
    await expect(item.get()).resolves.toEqual({ theme: 'light' })
    expect(slot.host.storage.snapshot()).toEqual({})
  })

  it('reads undefined for an absent key without a default', async () => {
    await expect(storageItem<number>('n').get()).resolves.toBeUndefined()
  })

  it('stores values without a TTL plain, so other code reads them unchanged', async () => {
    await storageItem<string>('token').set('abc')
    expect(slot.host.wx.getStorageSync('token')).toBe('abc')
  })

  it('reads plain values written by other code as they are', async () => {
    slot.host.wx.setStorageSync('legacy', { a: 1 })
    slot.host.wx.setStorageSync('when', new Date(0))
    await expect(storageItem('legacy', { ttl: 1000 }).get()).resolves.toEqual({ a: 1 })
    await expect(storageItem<Date>('when').get()).resolves.toEqual(new Date(0))
  })

  describe('value$', () => {
    it('emits the current value first, then every change made through any item of the key', async () => {
      const a = storageItem('count', { defaultValue: 0 })
      const b = storageItem<number>('count', { defaultValue: -1 })
      await a.set(1)
      const seen: number[] = []
      const sub = a.value$.subscribe((v) => seen.push(v))
      await a.get() // queued after the subscription's own read
      expect(seen).toEqual([1])
      await b.set(2)
      await a.set(3)
      await b.remove()
      expect(seen).toEqual([1, 2, 3, 0])
      expect(listenerCount()).toBe(1)
      sub.unsubscribe()
      expect(listenerCount()).toBe(0)
      expect(slot.host.listenerCount()).toBe(0)
    })

    it('gives a late subscriber the value of a write still in flight', async () => {
      const item = storageItem<string>('name')
      const pending = item.set('late')
      await expect(firstValueFrom(item.value$)).resolves.toBe('late')
      await pending
    })

    it('errors when storage cannot be read', async () => {
      ;(slot.host.wx as unknown as Record<string, unknown>).getStorage = (o: {
        fail: (r: unknown) => void
      }) => Promise.resolve().then(() => o.fail({ errMsg: 'getStorage:fail io error' }))
      const error = await firstValueFrom(storageItem('x').value$).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(WxError)
      expect((error as WxError).errMsg).toBe('getStorage:fail io error')
    })
  })

  describe('TTL', () => {
    beforeEach(() => {
      jest.useFakeTimers({ now: new Date('2024-06-01T00:00:00Z') })
    })

    it('stores an envelope with the expiry and reads the value until it expires', async () => {
      const item = storageItem<{ id: number }>('session', { ttl: 60_000 })
      await item.set({ id: 7 })
      expect(slot.host.wx.getStorageSync('session')).toEqual({
        __mprx: 1,
        expires: Date.parse('2024-06-01T00:01:00Z'),
        value: { id: 7 },
      })
      jest.setSystemTime(Date.parse('2024-06-01T00:00:59Z'))
      await expect(item.get()).resolves.toEqual({ id: 7 })
    })

    it('reads an expired value as the default and removes it', async () => {
      const item = storageItem('session', { ttl: 1000, defaultValue: 'none' })
      await item.set('live')
      jest.setSystemTime(Date.now() + 1000)
      await expect(item.get()).resolves.toBe('none')
      expect(slot.host.storage.snapshot()).toEqual({})
    })

    it('lets one set() override the TTL and keeps a Date a Date', async () => {
      const item = storageItem<Date>('when')
      await item.set(new Date(5), { ttl: 10 })
      await expect(item.get()).resolves.toEqual(new Date(5))
      jest.setSystemTime(Date.now() + 10)
      await expect(item.get()).resolves.toBeUndefined()
    })

    it('emits the default from value$ when the value expires while subscribed, and leaves no timer', async () => {
      const item = storageItem('flag', { ttl: 5000, defaultValue: false })
      await item.set(true)
      const seen: boolean[] = []
      const sub = item.value$.subscribe((v) => seen.push(v))
      await item.get()
      expect(seen).toEqual([true])
      expect(jest.getTimerCount()).toBe(1)
      await jest.advanceTimersByTimeAsync(5000)
      await item.get()
      expect(seen).toEqual([true, false])
      expect(jest.getTimerCount()).toBe(0)
      await item.set(true)
      expect(jest.getTimerCount()).toBe(1)
      sub.unsubscribe()
      expect(jest.getTimerCount()).toBe(0)
    })

    it('rejects a bad ttl', async () => {
      expect(() => storageItem('k', { ttl: 0 })).toThrow(/storageItem: `options.ttl`/)
      expect(() => storageItem('k', { ttl: NaN })).toThrow(TypeError)
      await expect(storageItem('k').set(1, { ttl: -5 })).rejects.toThrow(/options.ttl/)
    })
  })

  describe('quotas', () => {
    it('refuses a value over 1 MB before writing, keeping the old value and the other keys', async () => {
      const item = storageItem<string>('big')
      await item.set('small')
      await storageItem<number>('other').set(1)
      const setCalls = () => slot.host.calls.filter((c) => c.api === 'setStorage').length
      const before = setCalls()
      const error = await item.set('x'.repeat(MB + 1)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageQuotaError)
      expect(error).toBeInstanceOf(WxError)
      expect(isStorageQuotaError(error)).toBe(true)
      expect(error).toMatchObject({
        api: 'setStorage',
        errMsg: 'setStorage:fail exceed storage item max length',
        key: 'big',
        kind: 'item',
        size: MB + 1,
        limit: MB,
      })
      expect((error as Error).message).toMatch(/the old value is kept/)
      expect(setCalls()).toBe(before)
      expect(slot.host.storage.snapshot()).toEqual({ big: 'small', other: 1 })
    })

    it('counts UTF-8 bytes: 349,526 CJK characters (1,048,578 bytes) are refused', async () => {
      const error = await storageItem('cjk')
        .set('中'.repeat(349_526))
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ kind: 'item', size: 349_526 * 3 })
      await expect(storageItem('cjk').set('中'.repeat(349_525))).resolves.toBeUndefined()
    })

    it('accepts a value of exactly 1 MB', async () => {
      await expect(storageItem('edge').set('x'.repeat(MB))).resolves.toBeUndefined()
    })

    it('refuses a write that would take storage over the total, before writing', async () => {
      slot.host.storage.setQuota({ maxTotalSize: 64 * 1024 })
      await storageItem('a').set('a'.repeat(30 * 1024))
      await storageItem('b').set('b'.repeat(20 * 1024))
      const c = storageItem('c', { defaultValue: 'old' })
      await c.set('c')
      const error = await c.set('c'.repeat(20 * 1024)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageQuotaError)
      expect(error).toMatchObject({
        errMsg: 'setStorage:fail exceed storage max size',
        kind: 'total',
        limit: 64 * 1024,
      })
      expect((error as StorageQuotaError).total).toBeGreaterThan(64 * 1024)
      expect(slot.host.storage.snapshot()).toEqual({
        a: 'a'.repeat(30 * 1024),
        b: 'b'.repeat(20 * 1024),
        c: 'c',
      })
      // Replacing a big value with one that fits in the room it frees is fine.
      await expect(storageItem('a').set('A'.repeat(40 * 1024))).resolves.toBeUndefined()
    })

    it("turns wx's own quota refusal (within the last KB) into the same error", async () => {
      slot.host.storage.setQuota({ maxTotalSize: 8 * 1024 })
      await storageItem('a').set('a'.repeat(7500))
      // 7,501 bytes are in use, reported as 8 KB (so 7,169..8,192). 'b' + 800 bytes fits at
      // the low end, so the size check lets it through; wx finds 8,302 > 8,192 and refuses.
      const error = await storageItem('b')
        .set('b'.repeat(800))
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageQuotaError)
      expect(error).toMatchObject({ kind: 'total', limit: 8 * 1024 })
      expect((error as StorageQuotaError).cause).toBeInstanceOf(WxError)
      expect(slot.host.storage.snapshot()).toEqual({ a: 'a'.repeat(7500) })
    })
  })

  it('ends 1,000 concurrent set() calls on one key with the last value', async () => {
    const item = storageItem<number>('counter')
    const other = storageItem<number>('counter')
    const seen: (number | undefined)[] = []
    const sub = other.value$.subscribe((v) => seen.push(v))
    const writes: Promise<void>[] = []
    for (let i = 1; i <= 1000; i++) writes.push((i % 2 ? item : other).set(i))
    await Promise.all(writes)
    await expect(item.get()).resolves.toBe(1000)
    expect(slot.host.storage.snapshot()).toEqual({ counter: 1000 })
    expect(seen[seen.length - 1]).toBe(1000)
    // Every write was seen, in call order.
    expect(seen.slice(-1000)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1))
    sub.unsubscribe()
  })

  it('rejects bad input clearly', async () => {
    expect(() => storageItem('')).toThrow(/^storageItem: `key` must be a non-empty string/)
    expect(() => storageItem(42 as never)).toThrow(TypeError)
    const item = storageItem<unknown>('k')
    await expect(item.set(undefined as never)).rejects.toThrow(
      /storageItem.set: `value`.*remove\(\)/,
    )
    await expect(item.set(() => 1)).rejects.toThrow(/a value wx can store/)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    await expect(item.set(cyclic)).rejects.toThrow(TypeError)
    expect(slot.host.storage.snapshot()).toEqual({})
  })

  it('rejects "not supported" without a wx, and never throws', async () => {
    slot.restore()
    const item = storageItem('k')
    await expect(item.get()).rejects.toMatchObject({ errMsg: 'getStorage:fail not supported' })
    await expect(item.set(1)).rejects.toMatchObject({ errMsg: 'getStorageInfo:fail not supported' })
    slot.restore = slot.host.install()
  })
})

describe('storageItem across a restart', () => {
  it('reads values written before, with a new host on the same storage folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mprx-storage-'))
    try {
      const first = createWxHost({ storage: { dir } })
      let restore = first.install()
      await storageItem('profile').set({ name: 'Ann' })
      await storageItem('session', { ttl: 3_600_000 }).set('s1')
      restore()
      await first.close()

      const second = createWxHost({ storage: { dir } })
      restore = second.install()
      await expect(storageItem('profile').get()).resolves.toEqual({ name: 'Ann' })
      await expect(storageItem('session').get()).resolves.toBe('s1')
      const values = await firstValueFrom(storageItem('profile').value$.pipe(take(1), toArray()))
      expect(values).toEqual([{ name: 'Ann' }])
      restore()
      await second.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
