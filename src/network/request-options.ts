// Checking a call's options at the entry point, joining them with the pool's defaults
// (baseURL, header), and the security checks that run on what is finally sent.
import { argumentError } from '../core/describe'
import { assertObject, check, hasOwn, MAX_TIMER_DELAY, type Rules } from '../core/check'
import { isFunction, isString } from '../core/guards'
import type { PreparedOptions, TransferApi } from './request-types'
import { parseUrlHost, type UrlHost } from './url-host'

export { parseUrlHost, type UrlHost }

const METHODS = 'OPTIONS GET HEAD POST PUT DELETE TRACE CONNECT'.split(' ')

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

/**
 * A per-attempt timeout: milliseconds a timer can wait (engines fire longer ones at once), or
 * `Infinity` for none.
 */
export const TIMEOUT_RULE = {
  type: 'custom',
  test: (value: unknown) =>
    typeof value === 'number' && value > 0 && (value <= MAX_TIMER_DELAY || value === Infinity),
  expected: 'a number of milliseconds in (0, ' + MAX_TIMER_DELAY + '], or Infinity for none',
} as const

/** An `AbortSignal` or a look-alike with all three members the pool uses. */
const SIGNAL_RULE = {
  type: 'custom',
  test: (value: unknown) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { aborted?: unknown }).aborted === 'boolean' &&
    isFunction((value as { addEventListener?: unknown }).addEventListener) &&
    isFunction((value as { removeEventListener?: unknown }).removeEventListener),
  expected: 'an AbortSignal-like object (aborted, addEventListener, removeEventListener)',
} as const

const CALL_RULES: Rules = {
  url: { type: 'string', nonEmpty: true, required: true },
  timeout: TIMEOUT_RULE,
  priority: { type: 'number' },
  validateStatus: { type: 'function' },
  onHeadersReceived: { type: 'function' },
  onProgressUpdate: { type: 'function' },
  onChunkReceived: { type: 'function' },
  signal: SIGNAL_RULE,
}

const UPLOAD_RULES: Rules = {
  filePath: { type: 'string', nonEmpty: true, required: true },
  name: { type: 'string', nonEmpty: true, required: true },
  formData: { type: 'object' },
}
const DOWNLOAD_RULES: Rules = { filePath: { type: 'string', nonEmpty: true } }

const URL_RULES: Rules = { url: { type: 'string', nonEmpty: true, required: true } }
const TIMEOUT_RULES: Rules = { timeout: TIMEOUT_RULE }

/** The pool-level settings these checks need. */
export interface OptionDefaults {
  baseURL?: string
  header?: Record<string, unknown>
  allowInsecure?: boolean
  allowedHosts?: string[]
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
  if (header !== undefined) assertObject(api, header, field)
  for (const name in header as Record<string, unknown>) {
    if (!hasOwn(header as object, name)) continue
    const value = (header as Record<string, unknown>)[name]
    if (!HEADER_NAME.test(name)) {
      throw argumentError(api, field + ' name', 'an HTTP token (no CR, LF, ":" or spaces)', name)
    }
    const type = value == null ? 'string' : typeof value
    const problem =
      type != 'string' && type != 'number' && type != 'boolean'
        ? 'a string'
        : BAD_HEADER_VALUE.test(String(value)) && 'a value without CR, LF or NUL'
    if (problem) throw argumentError(api, field + '["' + name + '"]', problem, value)
  }
}

function checkMethod(api: string, method: unknown): string {
  const upper = isString(method) ? method.toUpperCase() : ''
  if (METHODS.indexOf(upper) < 0) {
    throw argumentError(api, 'options.method', 'one of ' + METHODS.join(', '), method)
  }
  return upper
}

// An allowedHosts entry (`api.example.com`, `127.0.0.1:8080`, `*.example.com`, `[::1]`) against
// the host a WHATWG parser reads; entries are compared the way hosts are written out.
function hostMatches(entry: string, host: UrlHost): boolean {
  const wanted = entry.toLowerCase().replace(/\.(?=$|:\d+$)/, '')
  const withPort = /^(\[[^\]]*\]|[^:]*):\d+$/.test(wanted)
  const name = withPort ? host.hostname + ':' + host.port : host.hostname
  if (wanted.slice(0, 2) === '*.') {
    return name.length >= wanted.length && name.slice(1 - wanted.length) === wanted.slice(1)
  }
  return wanted === name
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
  if (expected) throw argumentError(api, 'options.url', expected, url)
  if (allowed && !allowed.some((entry) => hostMatches(entry, host as UrlHost))) {
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
  assertObject(api, input)
  check(api, input, CALL_RULES)
  if (api == 'uploadFile') check(api, input, UPLOAD_RULES)
  if (api == 'downloadFile') check(api, input, DOWNLOAD_RULES)
  if (input.onChunkReceived !== undefined && api !== 'request') {
    throw argumentError(
      api,
      'options.onChunkReceived',
      'undefined (request only)',
      input.onChunkReceived,
    )
  }
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
