import { argumentError, isPlainObject } from './describe'
import { notSupported, toWxError } from './errors'
import { getWx } from './wx'

/**
 * A Promise of a wx result that also carries, synchronously, the task object the call
 * returned (`RequestTask`, `UploadTask`, `DownloadTask`, `SocketTask`, ...), so abort and
 * progress are never lost.
 *
 * @example
 * const p = wxp.downloadFile({ url })
 * p.task.onProgressUpdate(e => console.log(e.progress))
 * const { tempFilePath } = await p
 */
export type WxTaskPromise<Result, Task> = Promise<Result> & {
  /** The task the wx call returned, available as soon as the call is made. */
  readonly task: Task
}

type Callback = (result: unknown) => void

/**
 * Calls the callback-style method `api` of `owner` (the global `wx` when omitted) with a copy
 * of `options` plus `success`/`fail`, and returns a Promise of the success result.
 *
 * - The caller's options are never mutated; their own `success`/`fail`/`complete` are still
 *   called, after the promise settles.
 * - A method the running base library lacks rejects with `WxError('<api>:fail not
 *   supported')`; options that are not an object reject with a `TypeError`; a call that
 *   throws rejects with the thrown error as a `WxError`. Nothing throws synchronously.
 * - When the call returns an object (a task), it is put on the promise as `task` before the
 *   promise is returned.
 */
export function invoke(
  api: string,
  options?: unknown,
  owner?: object,
): Promise<unknown> & { task?: unknown } {
  let task: unknown
  const promise: Promise<unknown> & { task?: unknown } = new Promise<unknown>((resolve, reject) => {
    if (options !== undefined && options !== null && !isPlainObject(options)) {
      reject(argumentError(api, 'options', 'an object', options))
      return
    }
    const host = (owner || getWx()) as Record<string, unknown> | undefined
    const fn = host ? host[api] : undefined
    if (typeof fn !== 'function') {
      reject(notSupported(api))
      return
    }
    const given = (options || {}) as Record<string, unknown>
    const copy: Record<string, unknown> = {}
    for (const key in given) {
      if (Object.prototype.hasOwnProperty.call(given, key)) copy[key] = given[key]
    }
    const userSuccess = given.success
    const userFail = given.fail
    copy.success = (result: unknown) => {
      resolve(result)
      if (typeof userSuccess === 'function') (userSuccess as Callback)(result)
    }
    copy.fail = (result: unknown) => {
      reject(toWxError(api, result))
      if (typeof userFail === 'function') (userFail as Callback)(result)
    }
    try {
      task = fn.call(host, copy)
    } catch (error) {
      reject(toWxError(api, error))
    }
  })
  // The executor ran synchronously, so the task (if any) is known before anyone awaits.
  if (
    task !== null &&
    typeof task === 'object' &&
    typeof (task as { then?: unknown }).then !== 'function'
  ) {
    promise.task = task
  }
  return promise
}
