// What storageItem costs per key: no storage scan per write, and nothing kept for a key that
// nobody observes.
import { createWxHost } from '../../src/testing'
import { useHostSlot } from '../helpers/installed-host'
import { listenerCount, observedKeyCount } from '../../src/storage/key-queue'
import { storageItem } from '../../src/storage/storage-item'
import { StorageQuotaError } from '../../src/storage/storage-quota-error'

const slot = useHostSlot()

afterEach(() => {
  expect(listenerCount()).toBe(0)
  expect(observedKeyCount()).toBe(0)
})

const calls = (api: string) => slot.host.calls.filter((c) => c.api === api).length

describe('storageItem.set() without a storage scan per write', () => {
  it('asks getStorageInfo (which lists every key) once, not before every write', async () => {
    for (let i = 0; i < 200; i++) await storageItem<number>('k' + i).set(i)
    for (let i = 0; i < 200; i++) await storageItem<number>('k' + (i % 7)).set(-i)
    expect(calls('setStorage')).toBe(400)
    expect(calls('getStorageInfo')).toBe(1)
    expect(slot.host.wx.getStorageSync('k3')).toBe(-199)
  })

  it('still refuses a write that cannot fit after other code filled storage (wx refuses it)', async () => {
    slot.host.storage.setQuota({ maxTotalSize: 64 * 1024 })
    await storageItem('mine').set('m')
    // Written behind the SDK's back: its estimate does not know these bytes.
    slot.host.wx.setStorageSync('theirs', 'x'.repeat(60 * 1024))
    const error = await storageItem('mine')
      .set('y'.repeat(10 * 1024))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageQuotaError)
    expect(error).toMatchObject({ kind: 'total', limit: 64 * 1024 })
    expect(slot.host.wx.getStorageSync('mine')).toBe('m')
  })

  it('gives the quota in force when wx refuses a write after the quota changed', async () => {
    await storageItem('first').set('x'.repeat(10 * 1024))
    // The estimate says 10 MB; the host now allows 16 KB.
    slot.host.storage.setQuota({ maxTotalSize: 16 * 1024 })
    const error = await storageItem('second')
      .set('y'.repeat(10 * 1024))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageQuotaError)
    expect(error).toMatchObject({ kind: 'total', limit: 16 * 1024, code: 'ERR_STORAGE_QUOTA' })
    expect(slot.host.wx.getStorageSync('second')).toBe('')
    // The next write starts from what wx said: refused before writing, with the total.
    const setsBefore = calls('setStorage')
    const next = await storageItem('third')
      .set('z'.repeat(10 * 1024))
      .catch((e: unknown) => e)
    expect(next).toMatchObject({ kind: 'total', limit: 16 * 1024 })
    expect((next as StorageQuotaError).total).toBeGreaterThan(16 * 1024)
    expect(calls('setStorage')).toBe(setsBefore)
  })

  it('asks again once its running estimate says a write would not fit, and then writes', async () => {
    slot.host.storage.setQuota({ maxTotalSize: 64 * 1024 })
    const item = storageItem<string>('big')
    // Each write replaces the last: the store stays at ~20 KB while the estimate, which counts
    // every write as new bytes, passes 64 KB on the fourth.
    for (let i = 0; i < 6; i++) await item.set(String(i).repeat(20 * 1024))
    expect(slot.host.wx.getStorageSync('big')).toBe('5'.repeat(20 * 1024))
    const asked = calls('getStorageInfo')
    expect(asked).toBeGreaterThan(1)
    expect(asked).toBeLessThan(6)
  })

  it('asks again with a new wx (another host installed)', async () => {
    await storageItem('a').set(1)
    slot.restore()
    await slot.host.close()
    slot.host = createWxHost()
    slot.restore = slot.host.install()
    await storageItem('a').set(2)
    expect(calls('getStorageInfo')).toBe(1)
  })
})

describe('storage keys nobody observes', () => {
  it('keeps nothing for a key once its last value$ subscriber has left', async () => {
    const subs = Array.from({ length: 50 }, (_, i) => storageItem('w' + i).value$.subscribe())
    expect(observedKeyCount()).toBe(50)
    await storageItem('w1').set('x')
    subs.forEach((s) => s.unsubscribe())
    expect(observedKeyCount()).toBe(0)
    // A key observed again gets a fresh channel that still hears changes.
    const seen: unknown[] = []
    const sub = storageItem('w1').value$.subscribe((v) => seen.push(v))
    await storageItem('w1').get()
    await storageItem('w1').set('y')
    expect(seen).toEqual(['x', 'y'])
    sub.unsubscribe()
  })

  it('keeps nothing for keys that were only written', async () => {
    for (let i = 0; i < 100; i++) await storageItem('only-set-' + i).set(i)
    expect(observedKeyCount()).toBe(0)
  })
})
