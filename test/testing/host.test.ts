/**
 * @jest-environment jsdom
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
// The host as a whole: every member of WechatMiniprogram.Wx exists, listener bookkeeping,
// "not supported" for the rest, lifecycle and network controls, install(), close(), and
// composition with miniprogram-simulate. (jsdom for simulate; node export conditions so
// `ws` resolves to its Node build.)
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import {
  ASYNC_APIS,
  FACTORY_APIS,
  LISTENER_APIS,
  PROPERTIES,
  SYNC_APIS,
  UNPAIRED_LISTENERS,
} from '../../src/core/wx-catalog.generated'
import { startHttpServer, startWsServer } from '../helpers/servers'
import { call, run, until } from './wx-call'

const names = (list: string) => list.split(',').filter(Boolean)
const listeners = names(LISTENER_APIS)
const unpaired = new Set(names(UNPAIRED_LISTENERS))
const pairs = listeners
  .filter((n) => n.startsWith('on') && listeners.includes('off' + n.slice(2)))
  .map((on) => [on, 'off' + on.slice(2)] as const)

let host: WxHost

beforeEach(() => {
  host = createWxHost()
})

afterEach(async () => {
  await host.close()
})

describe('the wx object', () => {
  it('has every member of WechatMiniprogram.Wx', () => {
    const wx = host.wx as unknown as Record<string, unknown>
    const functions = [
      ...names(ASYNC_APIS),
      ...names(SYNC_APIS),
      ...names(FACTORY_APIS),
      ...listeners,
    ]
    const missing = functions.filter((n) => typeof wx[n] !== 'function')
    expect(missing).toEqual([])
    expect(names(PROPERTIES).filter((n) => !(n in wx))).toEqual([])
    expect(functions.length).toBeGreaterThan(450)
  })

  it('fails an API no part implements with "not supported by miniprogram-rx host"', async () => {
    const out = await run(host.wx.requestPayment as any, { timeStamp: '1' })
    expect(out.res).toEqual({
      errMsg: 'requestPayment:fail not supported by miniprogram-rx host',
    })
    await expect(host.wx.openBluetoothAdapter({} as any)).rejects.toEqual({
      errMsg: 'openBluetoothAdapter:fail not supported by miniprogram-rx host',
    })
    expect(() => host.wx.createVKSession({} as any)).toThrow(
      'createVKSession:fail not supported by miniprogram-rx host',
    )
  })

  it('records calls in the call log', async () => {
    await run(host.wx.getNetworkType)
    expect(host.calls.at(-1)).toMatchObject({ api: 'getNetworkType' })
  })
})

describe('listeners', () => {
  it('counts each on/off pair: on adds, off(fn) removes that one', () => {
    const wx = host.wx as unknown as Record<string, (fn?: unknown) => void>
    const wrong: string[] = []
    for (const [on, off] of pairs) {
      const fn = () => undefined
      const before = host.listenerCount(on)
      wx[on](fn)
      if (host.listenerCount(on) !== before + 1) wrong.push(on)
      if (host.listenerCount(on.slice(2)) !== before + 1) wrong.push(on + ' by event name')
      wx[off](fn)
      if (host.listenerCount(on) !== before) wrong.push(off)
    }
    expect(wrong).toEqual([])
    expect(pairs.length).toBeGreaterThan(50)
    expect(host.listenerCount()).toBe(0)
  })

  it('offX() with no argument removes every listener of that event, as WeChat does', () => {
    const wx = host.wx as unknown as Record<string, (fn?: unknown) => void>
    const left: string[] = []
    for (const [on, off] of pairs) {
      wx[on](() => undefined)
      wx[on](() => undefined)
      wx[off]()
      if (host.listenerCount(on) !== 0) left.push(on)
    }
    expect(left).toEqual([])
    expect(host.listeners()).toEqual({})
  })

  it('counts the onX that have no offX', () => {
    const wx = host.wx as unknown as Record<string, (fn?: unknown) => void>
    for (const on of unpaired) wx[on](() => undefined)
    expect(host.listenerCount()).toBe(unpaired.size)
    expect(host.listenerCount('onSocketOpen')).toBe(1)
  })
})

describe('lifecycle and network controls', () => {
  it('hide() and show() fire onAppHide and onAppShow once each', () => {
    const hide = jest.fn()
    const show = jest.fn()
    host.wx.onAppHide(hide)
    host.wx.onAppShow(show)
    host.hide()
    host.hide()
    expect(host.hidden).toBe(true)
    host.show({ scene: 1089 })
    host.show()
    expect(host.hidden).toBe(false)
    expect(hide).toHaveBeenCalledTimes(1)
    expect(show).toHaveBeenCalledWith(expect.objectContaining({ scene: 1089 }))
    expect(show).toHaveBeenCalledTimes(1)
    host.wx.offAppHide(hide)
    host.wx.offAppShow(show)
    expect(host.listenerCount()).toBe(0)
  })

  it('setNetwork() fires onNetworkStatusChange on change and getNetworkType follows', async () => {
    const changes: unknown[] = []
    const listener = (res: unknown) => changes.push(res)
    host.wx.onNetworkStatusChange(listener)
    host.setNetwork({ isConnected: false })
    host.setNetwork({ isConnected: false })
    host.setNetwork({ networkType: '4g' })
    expect(changes).toEqual([
      { isConnected: false, networkType: 'none' },
      { isConnected: true, networkType: '4g' },
    ])
    expect((await run(host.wx.getNetworkType)).res).toEqual({
      networkType: '4g',
      errMsg: 'getNetworkType:ok',
    })
    host.wx.offNetworkStatusChange(listener)
    expect(host.listenerCount('onNetworkStatusChange')).toBe(0)
  })
})

describe('install()', () => {
  it('sets the global wx and puts back what was there', () => {
    const g = globalThis as { wx?: unknown }
    expect('wx' in g).toBe(false)
    const restore = host.install()
    expect(g.wx).toBe(host.wx)
    restore()
    expect('wx' in g).toBe(false)

    const previous = { mine: true }
    g.wx = previous
    const restoreAgain = host.install()
    expect(g.wx).toBe(host.wx)
    restoreAgain()
    expect(g.wx).toBe(previous)
    delete g.wx
  })

  it('composes with miniprogram-simulate: simulate fills only the missing keys', () => {
    const g = globalThis as { wx?: Record<string, unknown> }
    const restore = host.install()
    jest.isolateModules(() => {
      require('miniprogram-simulate')
    })
    const merged = g.wx!
    const ours = host.wx as unknown as Record<string, unknown>
    const replaced = Object.keys(ours).filter((k) => merged[k] !== ours[k])
    expect(replaced).toEqual([])
    expect(merged.request).toBe(host.wx.request)
    restore()
    expect('wx' in g).toBe(false)
  })
})

describe('close()', () => {
  it('releases requests, sockets, timers and the sandbox; later calls fail', async () => {
    const hanging: { destroy(): void }[] = []
    const http = await startHttpServer((_req, res) => hanging.push(res))
    const ws = await startWsServer()
    try {
      const request = call(host.wx.request, { url: http.url + '/slow' })
      const socket = call(host.wx.connectSocket, { url: ws.url })
      const opened = jest.fn()
      socket.task.onOpen(opened)
      await until(() => hanging.length === 1 && opened.mock.calls.length === 1, 'both to connect')
      host.hide() // starts the background grace timer
      host.wx.onAppShow(() => undefined)

      const closing = host.close()
      expect(host.close()).toBe(closing)
      await closing
      expect((await request.done).res.errMsg).toBe('request:fail host closed')
      await until(() => ws.clients.size === 0, 'the ws server to see the close')
      expect(host.listenerCount()).toBe(0)
      expect(existsSync(host.root)).toBe(false)
      expect((await run(host.wx.request, { url: http.url })).res.errMsg).toBe(
        'request:fail host closed',
      )
      expect((await run(host.wx.getNetworkType)).res.errMsg).toBe('getNetworkType:fail host closed')
    } finally {
      for (const res of hanging) res.destroy()
      await http.close()
      await ws.close()
    }
  })
})

describe('docs/testing.md', () => {
  it('shows the README example test and its page exactly as they are in the suite', () => {
    const root = join(__dirname, '..', '..')
    const docs = [join(root, 'docs', 'testing.md'), join(root, 'README.md')]
      .map((p) => (existsSync(p) ? readFileSync(p, 'utf8') : ''))
      .filter((text) => text.includes('## Testing your pages with miniprogram-rx/testing'))
    expect(docs.length).toBeGreaterThanOrEqual(1)
    const shown = [
      join(__dirname, 'readme-example.test.ts'),
      join(__dirname, 'fixtures', 'weather', 'weather.js'),
      join(__dirname, 'fixtures', 'weather', 'weather.wxml'),
      join(__dirname, 'fixtures', 'weather', 'weather.json'),
    ]
    for (const text of docs) {
      for (const file of shown) expect(text).toContain(readFileSync(file, 'utf8').trim())
    }
  })
})
