import {
  checkHeader,
  checkPrepared,
  joinURL,
  mergeHeaders,
  methodOf,
  parseUrlHost,
  prepareOptions,
} from '../../src/network/request-options'
import type { PreparedOptions } from '../../src/network/request-types'

const prepared = (url: string, header: Record<string, unknown> = {}) =>
  ({ url, method: 'GET', header }) as PreparedOptions

describe('joinURL', () => {
  it('joins relative URLs to baseURL with exactly one slash', () => {
    expect(joinURL('https://a.test/v1/', '/users')).toBe('https://a.test/v1/users')
    expect(joinURL('https://a.test/v1', 'users')).toBe('https://a.test/v1/users')
    expect(joinURL('https://a.test/v1', '?q=1')).toBe('https://a.test/v1?q=1')
    expect(joinURL('https://a.test/v1', '')).toBe('https://a.test/v1')
  })

  it('keeps absolute URLs and URLs without a baseURL as they are', () => {
    expect(joinURL('https://a.test', 'https://b.test/x')).toBe('https://b.test/x')
    expect(joinURL(undefined, '/x')).toBe('/x')
  })
})

describe('mergeHeaders', () => {
  it("lets the call's header win over the pool's, whatever the case", () => {
    expect(mergeHeaders({ Accept: 'a', 'X-App': '1' }, { accept: 'b', 'X-Call': '2' })).toEqual({
      accept: 'b',
      'X-Call': '2',
      'X-App': '1',
    })
    expect(mergeHeaders(undefined, undefined)).toEqual({})
  })
})

describe('parseUrlHost', () => {
  // Updated with issue 11: the default port is dropped from `host` (as WHATWG's `host` does)
  // and `port` is added; `https:///nohost` has the host `nohost` for a WHATWG parser (and so
  // for the platform), so reading it as "no host" was the defect. More in url-host.test.ts.
  it('reads scheme, hostname and host:port without the URL class', () => {
    expect(parseUrlHost('https://User:pw@API.Example.com:8443/x?y#z')).toEqual({
      scheme: 'https',
      hostname: 'api.example.com',
      host: 'api.example.com:8443',
      port: '8443',
    })
    expect(parseUrlHost('http://[::1]:80/')).toEqual({
      scheme: 'http',
      hostname: '[::1]',
      host: '[::1]',
      port: '80',
    })
    expect(parseUrlHost('ftp://a.test/')).toBeUndefined()
    expect(parseUrlHost('/relative')).toBeUndefined()
    expect(parseUrlHost('https:///nohost')?.hostname).toBe('nohost')
    expect(parseUrlHost('https://')).toBeUndefined()
  })
})

describe('checkHeader', () => {
  it('refuses CR, LF or NUL in values and non-token names', () => {
    expect(() => checkHeader('request', 'options.header', { 'X-A': 'a\r\nSet-Cookie: x' })).toThrow(
      /request: `options.header\["X-A"\]` must be a value without CR, LF or NUL/,
    )
    expect(() => checkHeader('request', 'options.header', { 'X-A': 'a\nb' })).toThrow(TypeError)
    expect(() => checkHeader('request', 'options.header', { 'X-A\r\nB': 'a' })).toThrow(
      /options.header name/,
    )
    expect(() => checkHeader('request', 'options.header', { 'X A': 'a' })).toThrow(TypeError)
    expect(() => checkHeader('request', 'options.header', { 'X-A': { a: 1 } })).toThrow(
      /must be a string/,
    )
    expect(() => checkHeader('request', 'options.header', 'x')).toThrow(/must be an object/)
  })

  it('accepts strings, numbers, booleans and empty values', () => {
    expect(() =>
      checkHeader('request', 'options.header', { a: 'x', b: 1, c: true, d: undefined, e: null }),
    ).not.toThrow()
  })
})

describe('checkPrepared (security)', () => {
  it('refuses http:// unless allowInsecure', () => {
    expect(() => checkPrepared('request', prepared('http://a.test/'), {})).toThrow(
      /request: `options.url` must be https:\/\/.*allowInsecure: true/,
    )
    expect(() =>
      checkPrepared('request', prepared('http://a.test/'), { allowInsecure: true }),
    ).not.toThrow()
    expect(() => checkPrepared('request', prepared('https://a.test/'), {})).not.toThrow()
  })

  it('refuses relative URLs, other schemes and control characters', () => {
    expect(() => checkPrepared('request', prepared('/x'), {})).toThrow(/absolute http\(s\) URL/)
    expect(() => checkPrepared('request', prepared('wxfile://x'), {})).toThrow(TypeError)
    expect(() => checkPrepared('request', prepared('https://a.test/\r\nX: y'), {})).toThrow(
      /control characters/,
    )
  })

  it('checks allowedHosts: exact names, host:port, *.wildcards', () => {
    const allowedHosts = ['api.test', '127.0.0.1:8080', '*.cdn.test']
    const ok = (url: string) => () => checkPrepared('downloadFile', prepared(url), { allowedHosts })
    expect(ok('https://API.test/x')).not.toThrow()
    expect(ok('https://api.test:444/x')).not.toThrow()
    expect(ok('https://127.0.0.1:8080/')).not.toThrow()
    expect(ok('https://img.cdn.test/a.png')).not.toThrow()
    expect(ok('https://127.0.0.1:9090/')).toThrow(/host "127.0.0.1:9090" is not in/)
    expect(ok('https://cdn.test/')).toThrow(/downloadFile: `options.url` host/)
    expect(ok('https://evil.test/?api.test')).toThrow(TypeError)
    expect(ok('https://api.test.evil.test/')).toThrow(TypeError)
  })
})

describe('prepareOptions', () => {
  it('copies, joins, merges and upper-cases without touching the input', () => {
    const input = {
      url: '/x',
      method: 'post',
      header: { A: '1' },
      data: { q: 1 },
      priority: 3,
      retry: 1,
      timeout: 50,
    }
    const copy = JSON.parse(JSON.stringify(input))
    const out = prepareOptions('request', input, {
      baseURL: 'https://a.test',
      header: { B: '2' },
    })
    expect(out).toEqual({
      url: 'https://a.test/x',
      method: 'POST',
      header: { A: '1', B: '2' },
      data: { q: 1 },
      timeout: 50,
    })
    expect(input).toEqual(copy)
    expect(methodOf('request', out)).toBe('POST')
    expect(methodOf('uploadFile', out)).toBe('POST')
    expect(methodOf('downloadFile', out)).toBe('GET')
  })

  it('names the API and the field of bad input', () => {
    const bad: Array<[string, unknown, RegExp]> = [
      ['request', undefined, /^request: `options` must be an object, got undefined/],
      ['request', {}, /`options.url` must be a non-empty string, got undefined/],
      ['request', { url: 42 }, /`options.url` must be a non-empty string, got number 42/],
      ['request', { url: '' }, /`options.url`/],
      ['request', { url: 'https://a', method: 'FETCH' }, /`options.method` must be one of/],
      ['request', { url: 'https://a', method: 1 }, /`options.method`/],
      ['request', { url: 'https://a', timeout: -1 }, /`options.timeout` must be a number/],
      ['request', { url: 'https://a', timeout: 0 }, /`options.timeout`/],
      ['request', { url: 'https://a', timeout: '5' }, /`options.timeout`/],
      ['request', { url: 'https://a', priority: NaN }, /`options.priority`/],
      ['request', { url: 'https://a', validateStatus: 1 }, /`options.validateStatus`/],
      ['request', { url: 'https://a', signal: {} }, /`options.signal`/],
      ['request', { url: 'https://a', header: [] }, /`options.header` must be an object/],
      ['uploadFile', { url: 'https://a', name: 'f' }, /^uploadFile: `options.filePath`/],
      ['uploadFile', { url: 'https://a', filePath: 'x' }, /`options.name`/],
      ['uploadFile', { url: 'https://a', filePath: 'x', name: 'f', formData: 1 }, /formData/],
      ['downloadFile', { url: 'https://a', filePath: 3 }, /^downloadFile: `options.filePath`/],
    ]
    for (const [api, input, message] of bad) {
      expect(() => prepareOptions(api as 'request', input, {})).toThrow(message)
    }
  })
})
