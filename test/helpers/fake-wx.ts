// A scripted fake `wx` for unit tests that need exact control. Integration tests use the
// Node host from src/testing instead.
import { ASYNC_APIS, LISTENER_APIS } from '../../src/core/wx-catalog.generated'

type Options = Record<string, any> & {
  success?: (r: unknown) => void
  fail?: (r: unknown) => void
  complete?: (r: unknown) => void
}

/** One recorded call of the fake. */
export interface FakeCall {
  api: string
  options: Options
}

/** A fake wx whose async APIs answer as the test scripts them. */
export interface FakeWx {
  wx: Record<string, any>
  calls: FakeCall[]
  /** Listeners registered through on*, by event name (`NetworkStatusChange`). */
  listeners: Map<string, Array<(e: unknown) => void>>
  listenerCount(): number
  emit(event: string, payload?: unknown): void
  install(): () => void
}

/**
 * Every async API of the catalog answers `success({ errMsg: '<api>:ok', echo: options })`
 * on a later microtask unless `script[api]` says otherwise; every on/off pair is a working
 * registry.
 */
export function createFakeWx(
  script: Record<string, (options: Options, call: FakeCall) => unknown> = {},
): FakeWx {
  const calls: FakeCall[] = []
  const listeners = new Map<string, Array<(e: unknown) => void>>()
  const wx: Record<string, any> = {}
  for (const name of ASYNC_APIS.split(',')) {
    wx[name] = (options: Options) => {
      const call = { api: name, options }
      calls.push(call)
      if (script[name]) return script[name](options, call)
      void Promise.resolve().then(() => options?.success?.({ errMsg: name + ':ok', echo: options }))
      return undefined
    }
  }
  for (const name of LISTENER_APIS.split(',')) {
    const event = name.replace(/^(on|off)/, '')
    if (name.startsWith('on')) {
      wx[name] = (fn: (e: unknown) => void) => {
        listeners.set(event, [...(listeners.get(event) ?? []), fn])
      }
    } else {
      wx[name] = (fn?: (e: unknown) => void) => {
        const list = listeners.get(event) ?? []
        listeners.set(event, fn === undefined ? [] : list.filter((f) => f !== fn))
      }
    }
  }
  for (const [name, impl] of Object.entries(script)) if (!wx[name]) wx[name] = impl
  return {
    wx,
    calls,
    listeners,
    listenerCount: () => [...listeners.values()].reduce((n, l) => n + l.length, 0),
    emit: (event, payload) => [...(listeners.get(event) ?? [])].forEach((fn) => fn(payload)),
    install() {
      const g = globalThis as { wx?: unknown }
      const previous = g.wx
      g.wx = wx
      return () => {
        if (previous === undefined) delete g.wx
        else g.wx = previous
      }
    },
  }
}
