// Checking a call's options at the entry point, joining them with the pool's defaults
// (baseURL, header), and the security checks that run on what is finally sent.
import {
  bad,
  check,
  FINITE,
  FUNCTION,
  hasOwn,
  isFunction,
  isString,
  needObject,
  NEEDED,
  OBJECT,
  STRING,
  TIMEOUT,
  type Rule,
} from '../core/check-legacy'
import type { PreparedOptions, TransferApi } from './request-types'

const METHODS = /*#__PURE__*/ 'OPTIONS GET HEAD POST PUT DELETE TRACE CONNECT'.split(' ')

// RFC 9110 token: what a header name may be. Anything else (CR, LF, ':', spaces) is refused.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// CR, LF and NUL in a value would let a caller (or a hook) smuggle a second header line.
const BAD_HEADER_VALUE = /[\r\n\0]/
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/
const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/

// The options that belong to the pool and are never passed on to wx.
const OWN_KEY =
  /^(priority|retry|validateStatus|signal|on(HeadersReceived|ProgressUpdate|ChunkReceived)|success|fail|complete)$/

const CALL_RULES: Record<string, Rule> = {
  url: NEEDED,
  timeout: TIMEOUT,
  priority: FINITE,
  validateStatus: FUNCTION,
  onHeadersReceived: FUNCTION,
  onProgressUpdate: FUNCTION,
  onChunkReceived: FUNCTION,
  signal: [(v) => v && isFunction(v.addEventListener), 'an AbortSignal-like object'],
}

const URL_RULES = { url: NEEDED }
const TIMEOUT_RULES = { timeout: TIMEOUT }

/** The pool-level settings these checks need. */
export interface OptionDefaults {
  baseURL?: string
  header?: Record<string, unknown>
  allowInsecure?: boolean
  allowedHosts?: string[]
}

/** The host part of an http(s) URL, lower case: `hostname` and `hostname:port`. */
export interface UrlHost {
  scheme: string
  hostname: string
  host: string
}

/** Reads scheme and host of an absolute http(s) URL (no `URL` class in mini programs). */
export function parseUrlHost(url: string): UrlHost | undefined {
  const match = /^(https?):\/\/(?:[^/?#]*@)?((\[[^\]]*\]|[^:/?#]*)(:\d*)?)(?=[/?#]|$)/.exec(
    url.toLowerCase(),
  )
  if (match && match[3]) return { scheme: match[1], hostname: match[3], host: match[2] }
}

/** `url` joined to `baseURL` unless it is absolute; exactly one `/` between them. */
export function joinURL(baseURL: string | undefined, url: string): string {
  if (!baseURL || ABSOLUTE.test(url)) return url
  return /^[?#]|^$/.test(url)
    ? baseURL + url
    : baseURL.replace(/\/+$/, '') + '/' + url.replace(/^\/+/, '')
}

/** Headers of `base` and `own`, where `own` wins over a name of `base` in any case. */
export function mergeHeaders(
  base: Record<string, unknown> | undefined,
  own: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  // Lower-case names of `own`, needed only when there is a `base` to merge.
  const taken = base && ({} as Record<string, 1>)
  for (const key in own) {
    if (hasOwn(own as object, key)) {
      out[key] = own[key]
      if (taken) taken[key.toLowerCase()] = 1
    }
  }
  for (const key in base) {
    if (hasOwn(base as object, key) && !(taken as Record<string, 1>)[key.toLowerCase()]) {
      out[key] = base[key]
    }
  }
  return out
}

/** Throws a `TypeError` naming `api` and `field` for a header with a bad name or value. */
export function checkHeader(api: string, field: string, header: unknown): void {
  if (header !== undefined) needObject(api, header, field)
  for (const name in header as Record<string, unknown>) {
    if (!hasOwn(header as object, name)) continue
    const value = (header as Record<string, unknown>)[name]
    if (!HEADER_NAME.test(name)) {
      bad(api, field + ' name', 'an HTTP token (no CR, LF, ":" or spaces)', name)
    }
    const type = value == null ? 'string' : typeof value
    const problem =
      type != 'string' && type != 'number' && type != 'boolean'
        ? 'a string'
        : BAD_HEADER_VALUE.test(String(value)) && 'a value without CR, LF or NUL'
    if (problem) bad(api, field + '["' + name + '"]', problem, value)
  }
}

function checkMethod(api: string, method: unknown): string {
  const upper = isString(method) ? method.toUpperCase() : ''
  if (METHODS.indexOf(upper) < 0) {
    bad(api, 'options.method', 'one of ' + METHODS.join(', '), method)
  }
  return upper
}

/**
 * The security checks on what is about to be sent (after baseURL and hooks): an absolute
 * http(s) URL without control characters, `https://` unless `allowInsecure`, a host in
 * `allowedHosts` when given, and clean headers. Throws a `TypeError` naming `api` and the field.
 * `lastGood` remembers the last URL that passed, to skip its checks when it comes again.
 */
export function checkPrepared(
  api: string,
  options: PreparedOptions,
  defaults: OptionDefaults,
  lastGood?: { url: string },
): void {
  checkHeader(api, 'options.header', options.header)
  // Hooks may have changed what the entry checks passed.
  checkMethod(api, options.method)
  check(api, options, TIMEOUT_RULES)
  const url = options.url
  // A pool sends the same URL many times over: its checks are done once until it changes.
  if (lastGood && url === lastGood.url && url) return
  check(api, options, URL_RULES)
  const host = parseUrlHost(url)
  const allowed = defaults.allowedHosts
  const expected = CONTROL.test(url)
    ? 'a URL without control characters'
    : !host
      ? 'an absolute http(s) URL' + (defaults.baseURL ? '' : ' (relative ones need a baseURL)')
      : host.scheme == 'http' && !defaults.allowInsecure
        ? 'https:// (http:// needs the pool made with allowInsecure: true)'
        : ''
  if (expected) bad(api, 'options.url', expected, url)
  if (
    allowed &&
    !allowed.some((entry) => {
      entry = entry.toLowerCase()
      const name = (host as UrlHost)[entry.indexOf(':') < 0 ? 'hostname' : 'host']
      return entry.slice(0, 2) == '*.'
        ? name.length >= entry.length && name.slice(1 - entry.length) == entry.slice(1)
        : entry == name
    })
  ) {
    throw new TypeError(
      api +
        ': `options.url` host "' +
        (host as UrlHost).host +
        '" is not in the pool\'s allowedHosts',
    )
  }
  if (lastGood) lastGood.url = url
}

/**
 * Checks a call's own options (types, required fields, method, timeout, priority, signal)
 * and returns the options to send: a copy without the pool's own keys, URL joined to
 * `baseURL`, headers merged, method upper case. Throws a `TypeError` naming `api` and the field.
 */
export function prepareOptions(
  api: TransferApi,
  input: unknown,
  defaults: OptionDefaults,
): PreparedOptions {
  needObject(api, input)
  check(api, input, CALL_RULES)
  if (api == 'uploadFile') {
    check(api, input, { filePath: NEEDED, name: NEEDED, formData: OBJECT })
  }
  if (api == 'downloadFile') check(api, input, { filePath: STRING })
  const method =
    api == 'request' && input.method !== undefined
      ? checkMethod(api, input.method)
      : methodOf(api, {} as PreparedOptions)
  checkHeader(api, 'options.header', input.header)
  const out = {} as PreparedOptions
  for (const key in input) {
    if (hasOwn(input, key) && !OWN_KEY.test(key)) {
      out[key] = input[key]
    }
  }
  out.url = joinURL(defaults.baseURL, input.url as string)
  out.header = mergeHeaders(defaults.header, input.header as Record<string, unknown>)
  out.method = method
  if (api == 'request' && isFunction(input.onChunkReceived)) out.enableChunked = true
  return out
}

/** The method a call is sent with, for the retry policy (hooks may have changed it). */
export function methodOf(api: TransferApi, options: PreparedOptions): string {
  return api == 'uploadFile'
    ? 'POST'
    : api == 'downloadFile' || !isString(options.method)
      ? 'GET'
      : options.method.toUpperCase()
}
