import { WxError } from '../../src/core/errors'
import {
  ASYNC_APIS,
  FACTORY_APIS,
  LISTENER_APIS,
  PROPERTIES,
  SYNC_APIS,
  TASK_APIS,
  TYPINGS_VERSION,
  WXP_CATALOG,
} from '../../src/core/wx-catalog.generated'
import { decodeNames, wxp } from '../../src/core/wxp'
import { createFakeWx } from '../helpers/fake-wx'

const asyncNames = ASYNC_APIS.split(',')
const passThroughNames = (SYNC_APIS + ',' + FACTORY_APIS + ',' + LISTENER_APIS).split(',')

describe('wxp', () => {
  let restore: (() => void) | undefined
  afterEach(() => {
    restore?.()
    restore = undefined
  })

  it('has a member for every member of WechatMiniprogram.Wx in the typings', () => {
    expect(TYPINGS_VERSION).toMatch(/^\d+\.\d+\.\d+$/)
    expect(asyncNames.length).toBeGreaterThanOrEqual(290)
    for (const name of [...asyncNames, ...passThroughNames]) {
      expect(typeof (wxp as unknown as Record<string, unknown>)[name]).toBe('function')
    }
    for (const name of PROPERTIES.split(',')) expect(name in wxp).toBe(true)
  })

  it('covers the saveFile family declared in typings/', () => {
    for (const name of ['saveFile', 'getSavedFileList', 'getSavedFileInfo', 'removeSavedFile']) {
      expect(asyncNames).toContain(name)
    }
  })

  it('lists request, uploadFile, downloadFile and connectSocket as task APIs', () => {
    expect(TASK_APIS.split(',')).toEqual(
      expect.arrayContaining(['request', 'uploadFile', 'downloadFile', 'connectSocket']),
    )
  })

  it('resolves every async API with exactly what success received (recording fake wx)', async () => {
    const fake = createFakeWx()
    restore = fake.install()
    const members = wxp as unknown as Record<
      string,
      (o?: object) => Promise<{ errMsg: string; echo: unknown }>
    >
    const results = await Promise.all(
      asyncNames.map((name) => members[name]({ marker: name }).then((r) => [name, r] as const)),
    )
    expect(fake.calls).toHaveLength(asyncNames.length)
    for (const [name, result] of results) {
      expect(result.errMsg).toBe(name + ':ok')
      expect(result.echo).toMatchObject({ marker: name })
    }
    expect(fake.calls.map((c) => c.api).sort()).toEqual([...asyncNames].sort())
  })

  it('rejects every async API with WxError when wx fails it', async () => {
    const script: Record<string, (o: { fail?: (r: unknown) => void }) => void> = {}
    for (const name of asyncNames)
      script[name] = (o) => o.fail?.({ errMsg: name + ':fail nope', errno: 9 })
    restore = createFakeWx(script).install()
    const members = wxp as unknown as Record<string, (o?: object) => Promise<unknown>>
    for (const name of asyncNames) {
      const error = await members[name]({}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(WxError)
      expect(error).toMatchObject({ api: name, errMsg: name + ':fail nope', errno: 9 })
    }
  })

  it('exposes the task of wxp.request synchronously', () => {
    const task = { abort: jest.fn() }
    restore = createFakeWx({ request: () => task }).install()
    const p = wxp.request({ url: 'https://example.com' })
    expect(p.task).toBe(task)
    p.task.abort()
    expect(task.abort).toHaveBeenCalledTimes(1)
  })

  it('rejects "not supported" for an API the running base library lacks', async () => {
    const fake = createFakeWx()
    delete fake.wx.chooseMedia
    restore = fake.install()
    await expect(wxp.chooseMedia({})).rejects.toMatchObject({
      errMsg: 'chooseMedia:fail not supported',
    })
  })

  it('passes sync APIs, factories and listeners through to the current wx, bound to it', () => {
    const fake = createFakeWx({
      getStorageSync: function (this: unknown, key: unknown) {
        return { self: this, key }
      },
      getFileSystemManager: () => ({ kind: 'fs' }),
    } as never)
    restore = fake.install()
    const out = wxp.getStorageSync('k') as unknown as { self: unknown; key: string }
    expect(out.key).toBe('k')
    expect(out.self).toBe(fake.wx)
    expect(wxp.getFileSystemManager()).toEqual({ kind: 'fs' })
    const handler = jest.fn()
    wxp.onNetworkStatusChange(handler)
    fake.emit('NetworkStatusChange', { isConnected: false, networkType: 'none' })
    expect(handler).toHaveBeenCalledWith({ isConnected: false, networkType: 'none' })
    wxp.offNetworkStatusChange(handler)
    expect(fake.listenerCount()).toBe(0)
  })

  it('throws "not supported" from a sync API the base library lacks', () => {
    restore = createFakeWx().install()
    expect(() => wxp.getWindowInfo()).toThrow(WxError)
    expect(() => wxp.getWindowInfo()).toThrow('getWindowInfo:fail not supported')
  })

  it('reads properties from the current wx at each access', () => {
    const fake = createFakeWx()
    fake.wx.env = { USER_DATA_PATH: 'wxfile://usr' }
    restore = fake.install()
    expect(wxp.env.USER_DATA_PATH).toBe('wxfile://usr')
    fake.wx.env = { USER_DATA_PATH: 'wxfile://other' }
    expect(wxp.env.USER_DATA_PATH).toBe('wxfile://other')
  })

  it('looks wx up at call time, so a wx installed after import is used', async () => {
    const first = createFakeWx({
      getSetting: (o) => o.success?.({ errMsg: 'getSetting:ok', from: 1 }),
    })
    const second = createFakeWx({
      getSetting: (o) => o.success?.({ errMsg: 'getSetting:ok', from: 2 }),
    })
    let undo = first.install()
    await expect(wxp.getSetting()).resolves.toMatchObject({ from: 1 })
    undo()
    undo = second.install()
    await expect(wxp.getSetting()).resolves.toMatchObject({ from: 2 })
    undo()
  })
})

describe('the catalog wxp ships', () => {
  it('decodes to exactly the names of the plain lists', () => {
    const [asyncApis, syncApis, events, properties] = WXP_CATALOG.split('|')
    expect(decodeNames(asyncApis)).toEqual(ASYNC_APIS.split(','))
    expect(decodeNames(syncApis).sort()).toEqual((SYNC_APIS + ',' + FACTORY_APIS).split(',').sort())
    const listeners = decodeNames(events).flatMap((e) =>
      e.endsWith('!') ? ['on' + e.slice(0, -1)] : ['on' + e, 'off' + e],
    )
    expect(listeners.sort()).toEqual(LISTENER_APIS.split(',').sort())
    expect(properties).toBe(PROPERTIES)
  })
})
