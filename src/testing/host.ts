import './jsdom-globals'
import { rm } from 'node:fs/promises'
import {
  ASYNC_APIS,
  FACTORY_APIS,
  LISTENER_APIS,
  PROPERTIES,
  SYNC_APIS,
  UNPAIRED_LISTENERS,
} from '../core/wx-catalog.generated'
import { installAudio, type AudioHostControls, type AudioHostOptions } from './audio'
import { HostContext, type HostCall, type HostNetworkStatus } from './context'
import { installDevice, type DeviceHostControls, type DeviceHostOptions } from './device'
import { installFiles, type FilesHostControls, type FilesHostOptions } from './files'
import { installLocation, type LocationHostControls, type LocationHostOptions } from './location'
import { installMedia, type MediaHostControls, type MediaHostOptions } from './media'
import { installNetwork, type NetworkHostControls, type NetworkHostOptions } from './network'
import { installSocket, type SocketHostControls, type SocketHostOptions } from './socket'
import { installStorage, type StorageHostControls, type StorageHostOptions } from './storage'

/** Options of `createWxHost`. */
export interface WxHostOptions {
  /**
   * The sandbox folder (`usr/`, `tmp/`, `store/` are made inside). A folder the host made
   * itself is removed on `close()`; one given here is kept.
   * @default a new folder under the OS temp dir
   */
  root?: string
  /** The network state at start. @default `{ isConnected: true, networkType: 'wifi' }` */
  network?: Partial<HostNetworkStatus>
  /**
   * When `onNetworkStatusChange` hears of a change made by `setNetwork`: `0` at once, a number
   * of ms later (the calls on the wire and new calls fail at once, as on a phone whose status
   * event comes after the failures), or `'never'`. `getNetworkType` always answers the current
   * state. Assignable later as `host.networkEventDelay`. @default 0
   */
  networkEventDelay?: number | 'never'
  /** Options of the HTTP part (request, uploadFile, downloadFile). */
  http?: NetworkHostOptions
  /** Options of the socket part. */
  socket?: SocketHostOptions
  /** Options of storage (persistence folder, quotas). */
  storage?: StorageHostOptions
  /** Options of the file APIs. */
  files?: FilesHostOptions
  /** Options of the simulated audio players. */
  audio?: AudioHostOptions
  /** Options of images, recording and voice. */
  media?: MediaHostOptions
  /** Options of the simulated location. */
  location?: LocationHostOptions
  /** Options of the device profile, settings and scripted user decisions. */
  device?: DeviceHostOptions
}

/** A Node-backed `wx` and the controls a test uses to drive it. */
export interface WxHost {
  /** The `wx` object: every member of `WechatMiniprogram.Wx`. */
  readonly wx: WechatMiniprogram.Wx
  /** The sandbox folder behind `wxfile://` paths. */
  readonly root: string
  /** Every call made on `wx` (and on the tasks and managers it returned), in order. */
  readonly calls: readonly HostCall[]
  /**
   * Listeners registered through `wx.onX` and not yet removed, for one event
   * (`'onNetworkStatusChange'` or `'NetworkStatusChange'`) or for all.
   */
  listenerCount(name?: string): number
  /** The events that still have listeners, with their counts (for leak messages). */
  listeners(): Record<string, number>
  /** The network state the host reports now. */
  getNetwork(): HostNetworkStatus
  /**
   * Changes the network state and fires `onNetworkStatusChange` listeners if it changed (after
   * `networkEventDelay`).
   */
  setNetwork(status: Partial<HostNetworkStatus>): void
  /** See `WxHostOptions.networkEventDelay`; assignable. */
  networkEventDelay: number | 'never'
  /**
   * Sends the app to the background: fires `onAppHide`. A request/upload/download still
   * running `http.backgroundGrace` (5 s) later fails with `interrupted` (errno 600003), and
   * new ones fail the same way until `show()`, as WeChat does.
   */
  hide(): void
  /** Brings the app back: fires `onAppShow`. */
  show(options?: Record<string, unknown>): void
  /** True between `hide()` and `show()`. */
  readonly hidden: boolean
  /**
   * Makes this host the global `wx` (`globalThis.wx = host.wx`) and returns a function that
   * puts back what was there before.
   */
  install(): () => void
  /**
   * Releases every socket, server, file handle and timer, removes the sandbox if the host made
   * it, and makes every later call fail. Safe to call twice.
   */
  close(): Promise<void>
  /** Controls of request/upload/download. */
  readonly http: NetworkHostControls
  /** Controls of sockets. */
  readonly socket: SocketHostControls
  /** Controls of storage. */
  readonly storage: StorageHostControls
  /** Controls of files. */
  readonly files: FilesHostControls
  /** Controls of the audio players. */
  readonly audio: AudioHostControls
  /** Controls of images, recording and voice (scripted picks). */
  readonly media: MediaHostControls
  /** Controls of location (scripted track). */
  readonly location: LocationHostControls
  /** Controls of the device (profile, settings, scripted user decisions). */
  readonly device: DeviceHostControls
}

const NOT_SUPPORTED = 'not supported by miniprogram-rx host'

function installLifecycle(ctx: HostContext): void {
  ctx.defineAsync('getNetworkType', (_options, settle) => {
    settle.ok({ networkType: ctx.network.networkType })
  })
  // WeChat runs a nextTick callback in a later time slice, as setTimeout(0) does
  ctx.wx.nextTick = (callback: () => void) => {
    ctx.log('nextTick', [callback])
    ctx.setTimer(callback, 0)
  }
}

// Every member of the typings that no domain part defined: listeners work (they only
// register), async APIs fail with "not supported", sync APIs and factories throw it.
function installRemaining(ctx: HostContext): void {
  const wx = ctx.wx
  const unpaired = new Set(UNPAIRED_LISTENERS.split(','))
  for (const name of LISTENER_APIS.split(',')) {
    if (wx[name] || !name.startsWith('on')) continue
    ctx.defineListener(name.slice(2), !unpaired.has(name))
  }
  for (const name of LISTENER_APIS.split(',')) {
    // an offX whose onX a domain part defined by hand
    if (!wx[name] && name.startsWith('off')) {
      const event = name.slice(3)
      wx[name] = (listener?: (...args: any[]) => void) => {
        ctx.log(name, [listener])
        ctx.off(event, listener)
      }
    }
  }
  for (const name of ASYNC_APIS.split(',')) {
    if (!wx[name]) ctx.defineAsync(name, (_o, settle) => settle.fail(NOT_SUPPORTED))
  }
  for (const name of (SYNC_APIS + ',' + FACTORY_APIS).split(',')) {
    if (wx[name]) continue
    wx[name] = (...args: unknown[]) => {
      ctx.log(name, args)
      throw new Error(name + ':fail ' + NOT_SUPPORTED)
    }
  }
  for (const name of PROPERTIES.split(',')) {
    if (name in wx) continue
    wx[name] = name === 'env' ? { USER_DATA_PATH: 'wxfile://usr' } : undefined
  }
}

/**
 * Creates a `wx` backed by Node: real HTTP and WebSocket, a real file sandbox, persistent
 * storage, simulated players, location, device and user decisions. For tests of mini program
 * code in jest (with or without `miniprogram-simulate`), and for the SDK's own tests.
 *
 * @example
 * const host = createWxHost()
 * const restore = host.install()        // global.wx = host.wx
 * // ... run page code ...
 * restore(); await host.close()
 */
export function createWxHost(options: WxHostOptions = {}): WxHost {
  const ctx = new HostContext(options.root)
  ctx.network = { isConnected: true, networkType: 'wifi', ...options.network }

  installLifecycle(ctx)
  const http = installNetwork(ctx, options.http ?? {})
  const socket = installSocket(ctx, options.socket ?? {})
  const storage = installStorage(ctx, options.storage ?? {})
  const files = installFiles(ctx, options.files ?? {})
  const audio = installAudio(ctx, options.audio ?? {})
  const media = installMedia(ctx, options.media ?? {})
  const location = installLocation(ctx, options.location ?? {})
  // installed last: `canIUse` reads what the other parts defined
  const device = installDevice(ctx, options.device ?? {})
  installRemaining(ctx)

  const eventName = (name: string) => (/^on[A-Z]/.test(name) ? name.slice(2) : name)
  let closing: Promise<void> | undefined

  const host: WxHost = {
    wx: ctx.wx as unknown as WechatMiniprogram.Wx,
    root: ctx.root,
    calls: ctx.calls,
    listenerCount: (name) => ctx.listenerCount(name === undefined ? undefined : eventName(name)),
    listeners: () => ctx.listenerSummary(),
    getNetwork: () => ({ ...ctx.network }),
    setNetwork(status) {
      const next = { ...ctx.network, ...status }
      if (status.isConnected === false && status.networkType === undefined)
        next.networkType = 'none'
      if (status.isConnected === true && next.networkType === 'none') next.networkType = 'wifi'
      if (status.networkType !== undefined && status.isConnected === undefined)
        next.isConnected = status.networkType !== 'none'
      const changed =
        next.isConnected !== ctx.network.isConnected || next.networkType !== ctx.network.networkType
      ctx.network = next
      if (!changed) return
      ctx.emitHost('network', { ...next })
      const delay = host.networkEventDelay
      if (delay === 'never') return
      if (delay > 0) ctx.setTimer(() => ctx.emit('NetworkStatusChange', { ...next }), delay)
      else ctx.emit('NetworkStatusChange', { ...next })
    },
    networkEventDelay: options.networkEventDelay ?? 0,
    hide() {
      if (ctx.hidden || ctx.closed) return
      ctx.hidden = true
      ctx.emitHost('hide')
      ctx.emit('AppHide', {})
    },
    show(showOptions = {}) {
      if (!ctx.hidden || ctx.closed) return
      ctx.hidden = false
      ctx.emitHost('show')
      ctx.emit('AppShow', { path: '', query: {}, scene: 1001, ...showOptions })
    },
    get hidden() {
      return ctx.hidden
    },
    install() {
      const g = globalThis as { wx?: unknown }
      const had = 'wx' in g
      const previous = g.wx
      g.wx = ctx.wx
      return () => {
        // Still ours, or a copy of ours (miniprogram-simulate merges wx into its own object)?
        const current = g.wx as Record<string, unknown> | undefined
        if (current !== ctx.wx && current?.request !== ctx.wx.request) return
        if (had) g.wx = previous
        else delete g.wx
      }
    },
    close() {
      if (!closing) {
        ctx.closed = true
        closing = ctx.closeResources().then(async () => {
          if (ctx.removesRoot) await rm(ctx.root, { recursive: true, force: true })
        })
      }
      return closing
    },
    http,
    socket,
    storage,
    files,
    audio,
    media,
    location,
    device,
  }
  return host
}
