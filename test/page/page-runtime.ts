// A small Page() runtime (miniprogram-simulate has none): `Page(options)` registers a page;
// `open()` makes an instance as WeChat does (the options' fields copied onto it, data cloned,
// a setData that applies paths and counts calls) and drives onLoad/onShow/onHide/onUnload.
import { fakeInstance } from './fake-instance'

type Hook = (this: unknown, query?: Record<string, string>) => void

/** One open page and the controls of its lifecycle. */
export interface OpenPage {
  instance: ReturnType<typeof fakeInstance> & Record<string, unknown>
  hide(): void
  show(): void
  unload(): void
}

let registered: Record<string, unknown> | undefined

/** Installs a global `Page` that records the options it is given; returns the restore. */
export function installPage(): () => void {
  const scope = globalThis as { Page?: unknown }
  const previous = scope.Page
  scope.Page = (options: Record<string, unknown>) => {
    registered = options
  }
  return () => {
    scope.Page = previous
  }
}

/** The options of the last `Page()` call. */
export function lastPage(): Record<string, unknown> {
  if (!registered) throw new Error('no Page() was registered')
  return registered
}

/** Opens an instance of `options`: onLoad(query), then onShow. */
export function open(
  options: Record<string, unknown>,
  query: Record<string, string> = {},
): OpenPage {
  const instance = fakeInstance() as OpenPage['instance']
  for (const key in options) if (key !== 'data') instance[key] = options[key]
  instance.data = JSON.parse(JSON.stringify(options.data || {}))
  const call = (name: string, argument?: Record<string, string>) => {
    const hook = options[name] as Hook | undefined
    if (hook) hook.call(instance, argument)
  }
  call('onLoad', query)
  call('onShow')
  return {
    instance,
    hide: () => call('onHide'),
    show: () => call('onShow'),
    unload: () => call('onUnload'),
  }
}
