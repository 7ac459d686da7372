import {
  AbortError,
  HttpError,
  TimeoutError,
  WxError,
  isAbortError,
  isHttpError,
  isTimeoutError,
  isWxError,
  toWxError,
} from '../../src/core/errors'

describe('WxError family', () => {
  it('is a real Error with api, errMsg, errno and the raw result as cause', () => {
    const raw = { errMsg: 'getStorage:fail data not found', errno: 1 }
    const e = new WxError({ api: 'getStorage', errMsg: raw.errMsg, errno: 1, cause: raw })
    expect(e).toBeInstanceOf(Error)
    expect(e).toBeInstanceOf(WxError)
    expect(e.name).toBe('WxError')
    expect(e.message).toBe('getStorage:fail data not found')
    expect(e.api).toBe('getStorage')
    expect(e.errno).toBe(1)
    expect(e.cause).toBe(raw)
    expect(e.stack).toEqual(expect.any(String))
  })

  it('starts the message with errMsg and adds the detail after it', () => {
    const e = new WxError({ api: 'request', errMsg: 'request:fail timeout' }, 'GET https://a.b/')
    expect(e.message).toBe('request:fail timeout (GET https://a.b/)')
  })

  it('keeps subclass identity (instanceof and name) for every subclass', () => {
    const init = { api: 'request', errMsg: 'request:fail x' }
    for (const [Class, name] of [
      [TimeoutError, 'TimeoutError'],
      [AbortError, 'AbortError'],
    ] as const) {
      const e = new Class(init)
      expect(e).toBeInstanceOf(Class)
      expect(e).toBeInstanceOf(WxError)
      expect(e.name).toBe(name)
      expect(isWxError(e)).toBe(true)
    }
  })

  it('HttpError carries status, data, header and the request', () => {
    const e = new HttpError({
      api: 'request',
      statusCode: 503,
      data: { busy: true },
      header: { 'Retry-After': '1' },
      request: { method: 'GET', url: 'https://x.y/z' },
    })
    expect(e).toBeInstanceOf(WxError)
    expect(isHttpError(e)).toBe(true)
    expect(e.statusCode).toBe(503)
    expect(e.errMsg).toBe('request:fail http status 503')
    expect(e.message).toContain('GET https://x.y/z')
    expect(e.data).toEqual({ busy: true })
  })

  it('guards recognise errors from another copy of the package by shape', () => {
    const foreign = Object.assign(new Error('request:fail timeout'), {
      name: 'TimeoutError',
      api: 'request',
      errMsg: 'request:fail timeout',
    })
    expect(isWxError(foreign)).toBe(true)
    expect(isTimeoutError(foreign)).toBe(true)
    expect(isAbortError(foreign)).toBe(false)
    expect(isWxError({ api: 'x', errMsg: 'x:fail' })).toBe(false) // not an Error
    expect(isWxError(new Error('plain'))).toBe(false)
    expect(isWxError(null)).toBe(false)
  })
})

describe('toWxError', () => {
  it('uses the errMsg and errno of a wx fail result', () => {
    const e = toWxError('getLocation', { errMsg: 'getLocation:fail auth deny', errno: 103 })
    expect(e).toBeInstanceOf(WxError)
    expect(e.errMsg).toBe('getLocation:fail auth deny')
    expect(e.errno).toBe(103)
  })

  it('maps abort and timeout results to their subclasses', () => {
    expect(toWxError('request', { errMsg: 'request:fail abort' })).toBeInstanceOf(AbortError)
    expect(toWxError('request', { errMsg: 'request:fail timeout' })).toBeInstanceOf(TimeoutError)
    expect(toWxError('connectSocket', { errMsg: 'connectSocket:fail timeout' })).toBeInstanceOf(
      TimeoutError,
    )
    expect(
      toWxError('request', { errMsg: 'request:fail url not in domain list' }),
    ).not.toBeInstanceOf(TimeoutError)
  })

  it('wraps thrown errors and odd values with an errMsg naming the API', () => {
    const thrown = new Error('boom')
    const e = toWxError('scanCode', thrown)
    expect(e.errMsg).toBe('scanCode:fail boom')
    expect(e.cause).toBe(thrown)
    expect(toWxError('x', 'weird').errMsg).toBe('x:fail weird')
    expect(toWxError('x', undefined).errMsg).toBe('x:fail undefined')
    expect(toWxError('x', { errMsg: 42 }).errMsg).toBe('x:fail an object')
  })

  it('returns a WxError unchanged', () => {
    const e = new WxError({ api: 'a', errMsg: 'a:fail' })
    expect(toWxError('b', e)).toBe(e)
  })
})
