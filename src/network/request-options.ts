// Checking a call's options at the entry point, joining them with the pool's defaults
// (baseURL, header), and the security checks that run on what is finally sent.
import { argumentError, describe, isPlainObject } from '../core/describe'
import type { PreparedOptions, TransferApi } from './request-types'

const METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT']

// RFC 9110 token: what a header name may be. Anything else (CR, LF, ':', spaces) is refused.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// CR, LF and NUL in a value would let a caller (or a hook) smuggle a second header line.
const BAD_HEADER_VALUE = /[\r\n\0]/
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/
const ABSOLUTE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/
const HTTP_URL = /^(https?):\/\/([^/?#]*)/i

// The options that belong to the pool and are never passed on to wx.
const OWN_KEYS: Record<string, true> = {
  priority: true,
  retry: true,
  validateStatus: true,
  signal: true,
  onHeadersReceived: true,
  onProgressUpdate: true,
  success: true,
  fail: true,
  complete: true,
}

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
  const match = HTTP_URL.exec(url)
  if (!match) return undefined
  let authority = match[2].toLowerCase()
  const at = authority.lastIndexOf('@')
  if (at >= 0) authority = authority.slice(at + 1)
  let hostname = authority
  const port = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority)
  if (port) hostname = port[1]
  if (!hostname) return undefined
  return { scheme: match[1].toLowerCase(), hostname, host: authority }
}

/** `url` joined to `baseURL` unless it is absolute; exactly one `/` between them. */
export function joinURL(baseURL: string | undefined, url: string): string {
  if (!baseURL || ABSOLUTE.test(url)) return url
  if (url === '') return baseURL
  if (url.charAt(0) === '?' || url.charAt(0) === '#') return baseURL + url
  return baseURL.replace(/\/+$/, '') + '/' + url.replace(/^\/+/, '')
}

/** Headers of `base` and `own`, where `own` wins over a name of `base` in any case. */
export function mergeHeaders(
  base: Record<string, unknown> | undefined,
  own: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  let ownKeys: Record<string, true> | undefined
  if (own) {
    for (const key in own) {
      if (!Object.prototype.hasOwnProperty.call(own, key)) continue
      out[key] = own[key]
      if (!ownKeys) ownKeys = {}
      ownKeys[key.toLowerCase()] = true
    }
  }
  if (base) {
    for (const key in base) {
      if (
        Object.prototype.hasOwnProperty.call(base, key) &&
        !(ownKeys && ownKeys[key.toLowerCase()])
      ) {
        out[key] = base[key]
      }
    }
  }
  return out
}

/** Throws a `TypeError` naming `api` and `field` for a header with a bad name or value. */
export function checkHeader(api: string, field: string, header: unknown): void {
  if (header === undefined) return
  if (!isPlainObject(header)) throw argumentError(api, field, 'an object', header)
  for (const name in header) {
    if (!Object.prototype.hasOwnProperty.call(header, name)) continue
    if (!HEADER_NAME.test(name)) {
      throw argumentError(api, field + ' name', 'an HTTP token (no CR, LF, ":" or spaces)', name)
    }
    const value = header[name]
    if (value === undefined || value === null) continue
    const type = typeof value
    if (type !== 'string' && type !== 'number' && type !== 'boolean') {
      throw argumentError(api, field + '["' + name + '"]', 'a string', value)
    }
    if (BAD_HEADER_VALUE.test(String(value))) {
      throw argumentError(api, field + '["' + name + '"]', 'a value without CR, LF or NUL', value)
    }
  }
}

function hostAllowed(host: UrlHost, allowed: string[]): boolean {
  for (let i = 0; i < allowed.length; i++) {
    const entry = allowed[i].toLowerCase()
    if (entry.slice(0, 2) === '*.') {
      const suffix = entry.slice(1)
      const name = entry.indexOf(':') >= 0 ? host.host : host.hostname
      if (name.length > suffix.length && name.slice(-suffix.length) === suffix) return true
    } else if (entry === (entry.indexOf(':') >= 0 ? host.host : host.hostname)) {
      return true
    }
  }
  return false
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
) {
  checkHeader(api, 'options.header', options.header)
  // Hooks may have changed what the entry checks passed.
  const { method, timeout } = options
  if (typeof method !== 'string' || METHODS.indexOf(method.toUpperCase()) < 0) {
    throw argumentError(api, 'options.method', 'one of ' + METHODS.join(', '), method)
  }
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
    throw argumentError(api, 'options.timeout', 'a number of milliseconds > 0', timeout)
  }
  const url = options.url
  // A pool sends the same URL many times over: its checks are done once until it changes.
  if (lastGood && url === lastGood.url && url) return
  if (typeof url !== 'string' || !url) {
    throw argumentError(api, 'options.url', 'a non-empty string', url)
  }
  if (CONTROL.test(url)) {
    throw argumentError(api, 'options.url', 'a URL without control characters (CR, LF, tab)', url)
  }
  const host = parseUrlHost(url)
  if (!host) {
    const hint = defaults.baseURL ? '' : ' (relative URLs need the pool to have a baseURL)'
    throw argumentError(api, 'options.url', 'an absolute http(s) URL' + hint, url)
  }
  if (host.scheme === 'http' && !defaults.allowInsecure) {
    throw new TypeError(
      api +
        ': `options.url` must be https://, got ' +
        describe(url) +
        ' (http:// is refused unless the pool is made with allowInsecure: true)',
    )
  }
  if (defaults.allowedHosts && !hostAllowed(host, defaults.allowedHosts)) {
    throw new TypeError(
      api + ': `options.url` host "' + host.host + '" is not in the pool\'s allowedHosts',
    )
  }
  if (lastGood) lastGood.url = url
}

function checkString(api: string, options: Record<string, unknown>, key: string, need: boolean) {
  const value = options[key]
  if (value === undefined && !need) return
  if (typeof value !== 'string' || value === '') {
    throw argumentError(api, 'options.' + key, 'a non-empty string', value)
  }
}

function checkFunction(api: string, options: Record<string, unknown>, key: string) {
  if (options[key] !== undefined && typeof options[key] !== 'function') {
    throw argumentError(api, 'options.' + key, 'a function', options[key])
  }
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
  if (!isPlainObject(input)) throw argumentError(api, 'options', 'an object', input)
  checkString(api, input, 'url', true)
  if (api === 'uploadFile') {
    checkString(api, input, 'filePath', true)
    checkString(api, input, 'name', true)
    if (input.formData !== undefined && !isPlainObject(input.formData)) {
      throw argumentError(api, 'options.formData', 'an object', input.formData)
    }
  }
  if (api === 'downloadFile') checkString(api, input, 'filePath', false)
  let method = api === 'uploadFile' ? 'POST' : 'GET'
  if (api === 'request' && input.method !== undefined) {
    const given = input.method
    method = typeof given === 'string' ? given.toUpperCase() : ''
    if (METHODS.indexOf(method) < 0) {
      throw argumentError(api, 'options.method', 'one of ' + METHODS.join(', '), given)
    }
  }
  const timeout = input.timeout
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
    throw argumentError(api, 'options.timeout', 'a number of milliseconds > 0', timeout)
  }
  const priority = input.priority
  if (priority !== undefined && (typeof priority !== 'number' || !isFinite(priority))) {
    throw argumentError(api, 'options.priority', 'a finite number', priority)
  }
  checkFunction(api, input, 'validateStatus')
  checkFunction(api, input, 'onHeadersReceived')
  checkFunction(api, input, 'onProgressUpdate')
  const signal = input.signal as { addEventListener?: unknown } | undefined
  if (signal !== undefined && !(signal && typeof signal.addEventListener === 'function')) {
    throw argumentError(api, 'options.signal', 'an AbortSignal-like object', signal)
  }
  checkHeader(api, 'options.header', input.header)

  const out = {} as PreparedOptions
  for (const key in input) {
    if (Object.prototype.hasOwnProperty.call(input, key) && OWN_KEYS[key] !== true) {
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
  if (api === 'uploadFile') return 'POST'
  if (api === 'downloadFile') return 'GET'
  return typeof options.method === 'string' ? options.method.toUpperCase() : 'GET'
}
