// Helpers for the objects wx makes (players, recorders, contexts): creating one from its
// factory, and listening to its `onX` events with a teardown that undoes exactly that.
import { notSupported, toWxError, type WxError } from '../core/errors'
import { getWxMember } from '../core/wx'

/** A callback of an `onX` event of a wx object. */
export type WxObjectListener = (result?: any) => void

/**
 * Registers each handler with the object's `on<Event>` (events it lacks are skipped); the
 * function returned removes exactly those with `off<Event>`, where the object has one.
 */
export function listenAll(target: object, handlers: Record<string, WxObjectListener>): () => void {
  const members = target as Record<string, ((listener: WxObjectListener) => void) | undefined>
  const added: string[] = []
  for (const event in handlers) {
    const on = members['on' + event]
    if (typeof on === 'function') {
      on.call(target, handlers[event])
      added.push(event)
    }
  }
  return () =>
    added.forEach((event) => {
      const off = members['off' + event]
      if (typeof off === 'function') off.call(target, handlers[event])
    })
}

/**
 * What the wx factory `factory` makes (a player, a recorder, a context), or the error saying
 * why there is none: not supported when wx lacks it, or what it threw (a closed test host) as
 * a `WxError` of `api`.
 */
export function createWxObject<T>(factory: string, api = factory, options?: object): T | WxError {
  const member = getWxMember(factory)
  if (!member) return notSupported(factory)
  try {
    return (member.fn.call(member.host, options) as T) || notSupported(factory)
  } catch (error) {
    return toWxError(api, error)
  }
}
