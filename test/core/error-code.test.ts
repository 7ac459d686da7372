import { classifyFailure, type ErrorCode } from '../../src/core/error-code'
import { HttpError, toWxError, WxError } from '../../src/core/errors'

// Real errMsg forms: Android (Cronet), iOS (NSURLError, English and Chinese), DevTools, host.
const CASES: Array<[errMsg: string, errno: number | undefined, code: ErrorCode]> = [
  ['request:fail -106:net::ERR_INTERNET_DISCONNECTED', 600001, 'ERR_OFFLINE'],
  ['request:fail The Internet connection appears to be offline.', undefined, 'ERR_OFFLINE'],
  ['request:fail 似乎已断开与互联网的连接。', undefined, 'ERR_OFFLINE'],
  ['request:fail interrupted', 600003, 'ERR_INTERRUPTED'],
  ['request:fail interrupted', undefined, 'ERR_INTERRUPTED'],
  ['request:fail timeout', undefined, 'ERR_TIMEOUT'],
  ['request:fail The request timed out.', undefined, 'ERR_TIMEOUT'],
  ['request:fail 请求超时。', undefined, 'ERR_TIMEOUT'],
  ['request:fail -118:net::ERR_CONNECTION_TIMED_OUT', 600001, 'ERR_TIMEOUT'],
  ['request:fail abort', undefined, 'ERR_ABORTED'],
  ['downloadFile:fail -105:net::ERR_NAME_NOT_RESOLVED', 600001, 'ERR_DNS'],
  ['request:fail A server with the specified hostname could not be found.', undefined, 'ERR_DNS'],
  ['request:fail 未能找到使用指定主机名的服务器。', undefined, 'ERR_DNS'],
  ['request:fail -202:net::ERR_CERT_AUTHORITY_INVALID', 600001, 'ERR_TLS'],
  [
    'request:fail An SSL error has occurred and a secure connection to the server cannot be made.',
    undefined,
    'ERR_TLS',
  ],
  ['request:fail exceed max task count', 600007, 'ERR_TOO_MANY_TASKS'],
  ['connectSocket:fail exceed max cocurrent count', undefined, 'ERR_TOO_MANY_TASKS'],
  ['request:fail -101:net::ERR_CONNECTION_RESET', 600001, 'ERR_NETWORK'],
  ['request:fail The network connection was lost.', undefined, 'ERR_NETWORK'],
  ['request:fail 网络连接已中断。', undefined, 'ERR_NETWORK'],
  // What the request pool meets when a phone changes or loses its network mid-call.
  ['request:fail -21:net::ERR_NETWORK_CHANGED', 600001, 'ERR_NETWORK'],
  ['request:fail -102:net::ERR_CONNECTION_REFUSED', 600001, 'ERR_NETWORK'],
  ['request:fail -100:net::ERR_CONNECTION_CLOSED', 600001, 'ERR_NETWORK'],
  ['request:fail -109:net::ERR_ADDRESS_UNREACHABLE', 600001, 'ERR_NETWORK'],
  ['request:fail Could not connect to the server.', undefined, 'ERR_NETWORK'],
  ['request:fail 未能连接到服务器。', undefined, 'ERR_NETWORK'],
  ['request:fail net::ERR_INTERNET_DISCONNECTED', undefined, 'ERR_OFFLINE'],
  ['request:fail something new', 600000, 'ERR_NETWORK'],
  ['uploadFile:fail socket hang up', undefined, 'ERR_NETWORK'],
  ['request:fail url not in domain list', undefined, 'ERR_NOT_IN_DOMAIN_LIST'],
  ['request:fail invalid url "x"', 600009, 'ERR_INVALID_URL'],
  ['setStorage:fail parameter error: parameter.key should be String', 1001, 'ERR_INVALID_ARGUMENT'],
  ['getLocation:fail auth deny', undefined, 'ERR_PERMISSION_DENIED'],
  ['getStorage:fail data not found', undefined, 'ERR_FAILED'],
  ['openDocument:fail not supported', undefined, 'ERR_NOT_SUPPORTED'],
]

describe('classifyFailure', () => {
  it.each(CASES)('classifies %j (errno %j) as %s', (errMsg, errno, code) => {
    expect(classifyFailure({ errMsg, errno })).toBe(code)
  })

  it('puts errno before the text', () => {
    expect(classifyFailure({ errMsg: 'request:fail timeout', errno: 600003 })).toBe(
      'ERR_INTERRUPTED',
    )
  })
})

describe('error codes on errors', () => {
  it('gives every WxError a code from the classifier', () => {
    expect(toWxError('request', { errMsg: 'request:fail interrupted', errno: 600003 }).code).toBe(
      'ERR_INTERRUPTED',
    )
    expect(toWxError('request', { errMsg: 'request:fail timeout' }).code).toBe('ERR_TIMEOUT')
    expect(toWxError('request', { errMsg: 'request:fail abort' }).code).toBe('ERR_ABORTED')
    expect(new WxError({ api: 'x', errMsg: 'x:fail y', code: 'ERR_UNSENT' }).code).toBe(
      'ERR_UNSENT',
    )
  })

  it('keeps the query string out of an HttpError message', () => {
    const error = new HttpError({
      api: 'request',
      statusCode: 401,
      data: '',
      header: {},
      request: { method: 'GET', url: 'https://api.example.com/me?token=secret#x' },
    })
    expect(error.code).toBe('ERR_HTTP_STATUS')
    expect(error.message).toContain('GET https://api.example.com/me')
    expect(error.message).not.toContain('secret')
    expect(error.request.url).toContain('token=secret')
  })
})
