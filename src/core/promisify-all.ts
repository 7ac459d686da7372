import { checkValue, type CustomRule } from './check'
import { invoke } from './promisify'
import type { PromisifiedMethods } from './wxp-types'

// An object or a function (a class instance, a manager, a context).
const TARGET_RULE: CustomRule = {
  type: 'custom',
  required: true,
  test: (value) => value !== null && (typeof value === 'object' || typeof value === 'function'),
  expected: 'an object',
}
const NAMES_RULE: CustomRule = {
  type: 'custom',
  test: (value) => Array.isArray(value),
  expected: 'an array of method names',
}

// Methods that are never callback-style: synchronous twins and listener registration.
const NOT_CALLBACK_STYLE = /Sync$|^(on|off)([A-Z]|$)/

/**
 * Promise versions of the callback-style methods of a manager or context object
 * (`wx.getFileSystemManager()`, `wx.createMapContext(id)`, `wx.createCameraContext()`, ...).
 * Each method is called on the object itself, with the same rules as `wxp`: the options are
 * copied, failures reject with `WxError`, a returned task is put on the promise.
 *
 * The types expose exactly the methods whose options take `success`; at run time every
 * function member except `*Sync` and `on*`/`off*` is wrapped, or only `names` when given.
 *
 * @example
 * const fs = promisifyAll(wx.getFileSystemManager())
 * const { data } = await fs.readFile({ filePath, encoding: 'utf8' })
 */
export function promisifyAll<T extends object>(
  target: T,
  names?: readonly string[],
): PromisifiedMethods<T> {
  checkValue('promisifyAll', 'target', target, TARGET_RULE)
  checkValue('promisifyAll', 'names', names, NAMES_RULE)
  const result: Record<string, unknown> = {}
  const wrap = (name: string) => {
    if (!(name in result)) result[name] = (options?: unknown) => invoke(name, options, target)
  }
  if (names) {
    names.forEach((name) => wrap(String(name)))
    return result as PromisifiedMethods<T>
  }
  // Methods may live on prototypes and be non-enumerable (class instances), so walk the chain.
  for (let o: object | null = target; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    Object.getOwnPropertyNames(o).forEach((name) => {
      if (name === 'constructor' || NOT_CALLBACK_STYLE.test(name)) return
      const descriptor = Object.getOwnPropertyDescriptor(o, name)
      if (descriptor && typeof descriptor.value === 'function') wrap(name)
    })
  }
  return result as PromisifiedMethods<T>
}
