// The shared machinery of the Node wx host: listener registry, callback delivery in WeChat's
// forms, resource tracking for close(), and the file sandbox. Every domain file
// (network.ts, socket.ts, storage.ts, ...) receives one HostContext and adds its members to
// `ctx.wx`. Nothing here depends on the SDK in src/core..src/device: the host is a second
// implementation of wx, not a helper of the SDK.
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve, sep } from 'node:path'

/** Anything the host must release on `close()`. */
export interface HostResource {
  close(): void | Promise<void>
}

/** A call recorded in the host's call log. */
export interface HostCall {
  /** The wx member that was called (`request`, `getStorageSync`, `SocketTask.send`, ...). */
  api: string
  /** The arguments it was called with. */
  args: unknown[]
  /** `Date.now()` at the call. */
  time: number
}

/** The network state the host reports. */
export interface HostNetworkStatus {
  /** Whether the device is online. */
  isConnected: boolean
  /** `wifi`, `2g`, `3g`, `4g`, `5g`, `unknown` or `none`. */
  networkType: string
}

/** The outcome a host async API reports: `ok(result)` or `fail(reason, errno?)`. */
export interface Settle<R extends object = Record<string, unknown>> {
  /** Calls `success` and `complete` with `{ ...result, errMsg: '<api>:ok' }`. */
  ok(result?: R): void
  /** Calls `fail` and `complete` with `{ errMsg: '<api>:fail <reason>', errno }`. */
  fail(reason: string, errno?: number): void
}

type Listener = (...args: any[]) => void

/**
 * Events the host raises for its own parts (never seen by wx listeners, never counted by
 * `listenerCount`): `hide`/`show` (app lifecycle) and `network` (the new `HostNetworkStatus`).
 */
export type HostEventName = 'hide' | 'show' | 'network'

/** An error thrown inside an implementation that should become `<api>:fail <reason>`. */
export class HostFail extends Error {
  constructor(
    readonly reason: string,
    readonly errno?: number,
  ) {
    super(reason)
    this.name = 'HostFail'
  }
}

/** The shared state and helpers of one host. */
export class HostContext {
  /** The wx object being built; domain files add members to it. */
  readonly wx: Record<string, any> = {}
  /** The sandbox root: `usr/` (wx.env.USER_DATA_PATH), `tmp/`, `store/` (saved files). */
  readonly root: string
  /** The call log, in order. */
  readonly calls: HostCall[] = []
  /** Network state; change it with `setNetwork`. */
  network: HostNetworkStatus = { isConnected: true, networkType: 'wifi' }
  /** True once `close()` has started: every later call fails. */
  closed = false
  /** True between `host.hide()` and `host.show()`. */
  hidden = false

  private readonly listeners = new Map<string, Listener[]>()
  private readonly resources = new Set<HostResource>()
  private readonly hostListeners = new Map<HostEventName, Set<(payload?: unknown) => void>>()
  private readonly ownsRoot: boolean
  private tempCounter = 0

  constructor(root?: string) {
    this.ownsRoot = !root
    this.root = resolve(root ?? mkdtempSync(join(tmpdir(), 'wx-host-')))
    for (const dir of ['usr', 'tmp', 'store']) mkdirSync(join(this.root, dir), { recursive: true })
  }

  /** True when the host made its own temp root (and removes it on close). */
  get removesRoot(): boolean {
    return this.ownsRoot
  }

  // ---- listeners -------------------------------------------------------------------------

  /** Registers a global listener (`wx.onX`), keyed by event name without `on` (`NetworkStatusChange`). */
  on(event: string, listener: Listener): void {
    if (typeof listener !== 'function') return
    const list = this.listeners.get(event) ?? []
    list.push(listener)
    this.listeners.set(event, list)
  }

  /** `wx.offX(fn)` removes that listener; `wx.offX()` removes all of them, as WeChat does. */
  off(event: string, listener?: Listener): void {
    const list = this.listeners.get(event)
    if (!list) return
    if (listener === undefined) this.listeners.delete(event)
    else {
      const i = list.indexOf(listener)
      if (i >= 0) list.splice(i, 1)
      if (list.length === 0) this.listeners.delete(event)
    }
  }

  /** Calls every listener of `event` with `payload` (synchronously, in registration order). */
  emit(event: string, payload?: unknown): void {
    const list = this.listeners.get(event)
    if (!list) return
    for (const listener of list.slice()) listener(payload)
  }

  /** Listeners registered for one event (`NetworkStatusChange`), or for all events. */
  listenerCount(event?: string): number {
    if (event !== undefined) return this.listeners.get(event)?.length ?? 0
    let n = 0
    for (const list of this.listeners.values()) n += list.length
    return n
  }

  /** Names of the events that still have listeners, with their counts. */
  listenerSummary(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [name, list] of this.listeners) out[name] = list.length
    return out
  }

  /**
   * Subscribes a host part to a host event (`hide`, `show`, `network`); returns the
   * unsubscribe function. These are internal: wx's `onAppHide` listeners are separate.
   */
  onHost(event: HostEventName, listener: (payload?: unknown) => void): () => void {
    let set = this.hostListeners.get(event)
    if (!set) this.hostListeners.set(event, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
    }
  }

  /** Raises a host event for the parts subscribed with `onHost`. */
  emitHost(event: HostEventName, payload?: unknown): void {
    const set = this.hostListeners.get(event)
    if (set) for (const listener of [...set]) listener(payload)
  }

  // ---- calls -----------------------------------------------------------------------------

  /** Adds an entry to the call log. */
  log(api: string, args: unknown[]): void {
    this.calls.push({ api, args, time: Date.now() })
  }

  /**
   * Delivers callbacks the way WeChat does: later, never inside the call. A resolved promise
   * is used (not a timer) so jest's fake timers do not hold callbacks back.
   */
  later(fn: () => void): void {
    void Promise.resolve().then(fn)
  }

  /**
   * Makes the `Settle` for one call of `api` with `options`: it calls the caller's
   * `success`/`fail` and then `complete`, once, later.
   */
  settle<R extends object>(api: string, options: unknown): Settle<R> {
    const o = (options && typeof options === 'object' ? options : {}) as {
      success?: Listener
      fail?: Listener
      complete?: Listener
    }
    let done = false
    const deliver = (cb: Listener | undefined, result: object) =>
      this.later(() => {
        if (typeof cb === 'function') cb(result)
        if (typeof o.complete === 'function') o.complete(result)
      })
    return {
      ok: (result) => {
        if (done) return
        done = true
        deliver(o.success, { ...(result ?? {}), errMsg: api + ':ok' })
      },
      fail: (reason, errno) => {
        if (done) return
        done = true
        const result: { errMsg: string; errno?: number } = { errMsg: api + ':fail ' + reason }
        if (errno !== undefined) result.errno = errno
        deliver(o.fail, result)
      },
    }
  }

  /**
   * Defines `wx[name]` as a callback-style async API. `impl` gets the options (always an
   * object) and the `Settle`; a `HostFail` it throws becomes `fail(reason, errno)`, anything
   * else `fail(message)`. Whatever `impl` returns (a task) is returned to the caller. When the
   * caller passes none of `success`/`fail`/`complete` and `promise` is not false, the call
   * returns a Promise instead, as base library 2.10.2+ does for most APIs.
   */
  defineAsync<R extends object>(
    name: string,
    impl: (options: Record<string, any>, settle: Settle<R>) => unknown,
    config: { promise?: boolean } = {},
  ): void {
    this.wx[name] = (options?: unknown) => {
      this.log(name, [options])
      const opts = (options && typeof options === 'object' ? options : {}) as Record<string, any>
      const wantsPromise =
        config.promise !== false &&
        typeof opts.success !== 'function' &&
        typeof opts.fail !== 'function' &&
        typeof opts.complete !== 'function'
      if (wantsPromise) {
        return new Promise((resolvePromise, reject) => {
          const bridged = { ...opts, success: resolvePromise, fail: reject }
          this.runAsync(name, bridged, impl)
        })
      }
      return this.runAsync(name, opts, impl)
    }
  }

  private runAsync<R extends object>(
    name: string,
    opts: Record<string, any>,
    impl: (options: Record<string, any>, settle: Settle<R>) => unknown,
  ): unknown {
    const settle = this.settle<R>(name, opts)
    if (this.closed) {
      settle.fail('host closed')
      return undefined
    }
    try {
      return impl(opts, settle)
    } catch (error) {
      if (error instanceof HostFail) settle.fail(error.reason, error.errno)
      else settle.fail(error instanceof Error ? error.message : String(error))
      return undefined
    }
  }

  /** Defines `wx.onX`/`wx.offX` for an event kept in the shared registry. */
  defineListener(event: string, withOff = true): void {
    this.wx['on' + event] = (listener: Listener) => {
      this.log('on' + event, [listener])
      this.on(event, listener)
    }
    if (withOff) {
      this.wx['off' + event] = (listener?: Listener) => {
        this.log('off' + event, [listener])
        this.off(event, listener)
      }
    }
  }

  // ---- resources -------------------------------------------------------------------------

  /** Registers something `close()` must release; returns a function that unregisters it. */
  track(resource: HostResource): () => void {
    this.resources.add(resource)
    return () => {
      this.resources.delete(resource)
    }
  }

  /** A `setTimeout` that `close()` clears. */
  setTimer(fn: () => void, ms: number): () => void {
    const handle = setTimeout(() => {
      untrack()
      fn()
    }, ms)
    const untrack = this.track({ close: () => clearTimeout(handle) })
    return () => {
      clearTimeout(handle)
      untrack()
    }
  }

  /** A `setInterval` that `close()` clears. */
  setRepeatingTimer(fn: () => void, ms: number): () => void {
    const handle = setInterval(fn, ms)
    const untrack = this.track({ close: () => clearInterval(handle) })
    return () => {
      clearInterval(handle)
      untrack()
    }
  }

  /** Releases every tracked resource (sockets, servers, file handles, timers). */
  async closeResources(): Promise<void> {
    const all = [...this.resources]
    this.resources.clear()
    // One resource failing to close must not keep the others open.
    await Promise.all(
      all.map((r) =>
        Promise.resolve()
          .then(() => r.close())
          .catch(() => undefined),
      ),
    )
    this.listeners.clear()
    this.hostListeners.clear()
  }

  // ---- files -----------------------------------------------------------------------------

  /**
   * Maps a wx path to a real path inside the sandbox:
   * `wxfile://usr/a.txt` → `<root>/usr/a.txt`, `wxfile://tmp_1.png` and `http://tmp/1.png`
   * → `<root>/tmp/...`, `wxfile://store_1.png` → `<root>/store/...`. Anything else (an
   * absolute path, a path that climbs out with `../`) throws `HostFail('permission denied,
   * ...')`, as WeChat refuses it.
   */
  resolvePath(wxPath: unknown): string {
    if (typeof wxPath !== 'string' || wxPath === '') {
      throw new HostFail('invalid path ' + JSON.stringify(wxPath))
    }
    let base: string
    let rest: string
    if (wxPath === 'wxfile://usr' || wxPath.startsWith('wxfile://usr/')) {
      base = join(this.root, 'usr')
      rest = wxPath.slice('wxfile://usr'.length)
    } else if (wxPath.startsWith('wxfile://tmp_') || wxPath.startsWith('wxfile://tmp/')) {
      base = join(this.root, 'tmp')
      rest = wxPath.slice('wxfile://'.length).replace(/^tmp\//, '')
    } else if (wxPath.startsWith('http://tmp/')) {
      base = join(this.root, 'tmp')
      rest = wxPath.slice('http://tmp/'.length)
    } else if (wxPath.startsWith('wxfile://store_') || wxPath.startsWith('wxfile://store/')) {
      base = join(this.root, 'store')
      rest = wxPath.slice('wxfile://'.length).replace(/^store\//, '')
    } else {
      throw new HostFail('permission denied, open ' + wxPath, 1300013)
    }
    const real = resolve(base, '.' + sep + rest.replace(/^\/+/, ''))
    const inside = relative(base, real)
    if (inside.startsWith('..') || resolve(base, inside) !== real) {
      throw new HostFail('permission denied, open ' + wxPath, 1300013)
    }
    return real
  }

  /** A fresh temp file name: `{ wxPath: 'wxfile://tmp_<n>.<ext>', realPath }`. */
  tempPath(ext = ''): { wxPath: string; realPath: string } {
    this.tempCounter += 1
    const name =
      'tmp_' +
      process.pid +
      '_' +
      Date.now().toString(36) +
      '_' +
      this.tempCounter +
      (ext ? '.' + ext.replace(/^\./, '') : '')
    return { wxPath: 'wxfile://' + name, realPath: join(this.root, 'tmp', name) }
  }

  /** The wx path of a real path inside the sandbox (the inverse of `resolvePath`). */
  toWxPath(realPath: string): string {
    const rel = relative(this.root, realPath).split(sep).join('/')
    if (rel.startsWith('usr/') || rel === 'usr') return 'wxfile://' + rel
    if (rel.startsWith('tmp/')) return 'wxfile://' + rel.slice(4)
    if (rel.startsWith('store/')) return 'wxfile://' + rel.slice(6)
    throw new HostFail('permission denied, ' + realPath)
  }
}
