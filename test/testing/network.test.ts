// wx.request on the host against a real HTTP server on 127.0.0.1: WeChat's data encoding,
// dataType/responseType, headers and cookies, success for any status, timeout, abort, the
// concurrent limit, offline, and the background interruption.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { readBody, startHttpServer, type TestHttpServer } from '../helpers/servers'
import { call, run, until } from './wx-call'

let server: TestHttpServer
let host: WxHost
const hanging: ServerResponse[] = []
const closedRequests: string[] = []

async function handler(req: IncomingMessage, res: ServerResponse) {
  const path = (req.url ?? '').split('?')[0]
  req.on('close', () => closedRequests.push(req.url ?? ''))
  if (path === '/hang') {
    hanging.push(res)
    return
  }
  const body = await readBody(req)
  switch (path) {
    case '/echo':
      res.setHeader('content-type', 'application/json')
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: body.toString('utf8'),
          bytes: [...body],
        }),
      )
      return
    case '/status/500':
      res.statusCode = 500
      res.end('{"error":"boom"}')
      return
    case '/text':
      res.end('not json {')
      return
    case '/bytes':
      res.end(Buffer.from([0, 1, 2, 250, 255]))
      return
    case '/cookies':
      res.writeHead(201, [
        ['X-Custom', 'yes'],
        ['Set-Cookie', 'a=1; Path=/'],
        ['Set-Cookie', 'b=2; HttpOnly'],
      ])
      res.end('{}')
      return
    case '/redirect':
      res.writeHead(302, { Location: '/echo?from=redirect' })
      res.end()
      return
    case '/chunks':
      res.write('{"parts":[')
      setImmediate(() => {
        res.write('1,2,')
        setImmediate(() => res.end('3]}'))
      })
      return
    default:
      res.statusCode = 404
      res.end('missing')
  }
}

beforeAll(async () => {
  server = await startHttpServer((req, res) => void handler(req, res))
})

afterAll(async () => {
  await server.close()
})

beforeEach(() => {
  host = createWxHost()
})

afterEach(async () => {
  for (const res of hanging.splice(0)) res.destroy()
  jest.useRealTimers()
  await host.close()
})

// Fake timers that leave Node's I/O machinery (nextTick, immediates, microtasks) alone.
const fakeTimers = () =>
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })

describe('wx.request data encoding', () => {
  it('turns object data into the query string on GET and parses the JSON answer', async () => {
    const out = await run(host.wx.request, {
      url: server.url + '/echo?x=1',
      data: { q: 'a b', n: 2, obj: { k: 1 }, skip: undefined },
    })
    expect(out.ok).toBe(true)
    expect(out.completes).toBe(1)
    expect(out.res.errMsg).toBe('request:ok')
    expect(out.res.statusCode).toBe(200)
    expect(out.res.data.method).toBe('GET')
    expect(out.res.data.url).toBe('/echo?x=1&q=a%20b&n=2&obj=%7B%22k%22%3A1%7D')
    expect(out.res.data.body).toBe('')
  })

  it('puts object data in the query string on HEAD too, with no body', async () => {
    const out = await run(host.wx.request, {
      url: server.url + '/echo',
      method: 'head',
      data: { a: 1 },
    })
    expect(out.ok).toBe(true)
    expect(out.res.statusCode).toBe(200)
    expect(out.res.data).toBe('')
  })

  it('sends object data as JSON on POST with content-type application/json by default', async () => {
    const out = await run(host.wx.request, {
      url: server.url + '/echo',
      method: 'POST',
      data: { a: 1, list: [1, 2] },
    })
    expect(out.res.data.method).toBe('POST')
    expect(out.res.data.headers['content-type']).toBe('application/json')
    expect(JSON.parse(out.res.data.body)).toEqual({ a: 1, list: [1, 2] })
  })

  it('sends object data form-urlencoded when the content-type header says so', async () => {
    const out = await run(host.wx.request, {
      url: server.url + '/echo',
      method: 'PUT',
      header: { 'Content-Type': 'application/x-www-form-urlencoded' },
      data: { a: 1, b: 'x y&z' },
    })
    expect(out.res.data.method).toBe('PUT')
    expect(out.res.data.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(out.res.data.body).toBe('a=1&b=x%20y%26z')
  })

  it('sends strings and ArrayBuffers as they are', async () => {
    const text = await run(host.wx.request, {
      url: server.url + '/echo',
      method: 'POST',
      header: { 'content-type': 'text/plain' },
      data: 'raw {not json}',
    })
    expect(text.res.data.body).toBe('raw {not json}')
    expect(text.res.data.headers['content-type']).toBe('text/plain')

    const bytes = new Uint8Array([1, 2, 3, 255]).buffer
    const binary = await run(host.wx.request, {
      url: server.url + '/echo',
      method: 'POST',
      header: { 'content-type': 'application/octet-stream' },
      data: bytes,
    })
    expect(binary.res.data.bytes).toEqual([1, 2, 3, 255])
    expect(binary.res.data.headers['content-length']).toBe('4')
  })

  it('drops a Referer set by the page and sends WeChat’s own', async () => {
    const out = await run(host.wx.request, {
      url: server.url + '/echo',
      header: { Referer: 'https://evil.example', 'X-Token': 't1' },
    })
    expect(out.res.data.headers.referer).toBe(
      'https://servicewechat.com/touristappid/devtools/page-frame.html',
    )
    expect(out.res.data.headers['x-token']).toBe('t1')
  })
})

describe('wx.request results', () => {
  it('succeeds for HTTP 500, as WeChat does', async () => {
    const out = await run(host.wx.request, { url: server.url + '/status/500' })
    expect(out.ok).toBe(true)
    expect(out.res.statusCode).toBe(500)
    expect(out.res.data).toEqual({ error: 'boom' })
  })

  it('hands over the raw text when the body is not JSON, and text for dataType other than json', async () => {
    const bad = await run(host.wx.request, { url: server.url + '/text' })
    expect(bad.res.data).toBe('not json {')
    const asText = await run(host.wx.request, { url: server.url + '/status/500', dataType: 'text' })
    expect(asText.res.data).toBe('{"error":"boom"}')
  })

  it("returns an ArrayBuffer for responseType 'arraybuffer'", async () => {
    const out = await run(host.wx.request, {
      url: server.url + '/bytes',
      responseType: 'arraybuffer',
    })
    expect(out.res.data).toBeInstanceOf(ArrayBuffer)
    expect([...new Uint8Array(out.res.data)]).toEqual([0, 1, 2, 250, 255])
  })

  it('reports headers as the server named them, and Set-Cookie values as cookies', async () => {
    const out = await run(host.wx.request, { url: server.url + '/cookies' })
    expect(out.res.statusCode).toBe(201)
    expect(out.res.header['X-Custom']).toBe('yes')
    expect(out.res.cookies).toEqual(['a=1; Path=/', 'b=2; HttpOnly'])
  })

  it('follows redirects, or returns the 3xx with redirect: manual', async () => {
    const followed = await run(host.wx.request, { url: server.url + '/redirect' })
    expect(followed.res.statusCode).toBe(200)
    expect(followed.res.data.url).toBe('/echo?from=redirect')
    const manual = await run(host.wx.request, { url: server.url + '/redirect', redirect: 'manual' })
    expect(manual.res.statusCode).toBe(302)
    expect(manual.res.header.Location).toBe('/echo?from=redirect')
  })

  it('fires onHeadersReceived before success; offHeadersReceived removes one or all', async () => {
    const order: string[] = []
    const { task, done } = call(host.wx.request, { url: server.url + '/cookies' })
    const first = jest.fn(() => order.push('headers'))
    const removed = jest.fn()
    task.onHeadersReceived(first)
    task.onHeadersReceived(removed)
    task.offHeadersReceived(removed)
    const out = await done
    order.push('success')
    expect(order).toEqual(['headers', 'success'])
    expect(first).toHaveBeenCalledWith({
      header: expect.objectContaining({ 'X-Custom': 'yes' }),
      statusCode: 201,
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
    })
    expect(removed).not.toHaveBeenCalled()
    expect(out.ok).toBe(true)

    const again = call(host.wx.request, { url: server.url + '/cookies' })
    const all = jest.fn()
    again.task.onHeadersReceived(all)
    again.task.onHeadersReceived(all)
    again.task.offHeadersReceived()
    await again.done
    expect(all).not.toHaveBeenCalled()
  })

  it('passes each chunk to onChunkReceived as an ArrayBuffer', async () => {
    const { task, done } = call(host.wx.request, {
      url: server.url + '/chunks',
      enableChunked: true,
    })
    const chunks: ArrayBuffer[] = []
    task.onChunkReceived((res: { data: ArrayBuffer }) => chunks.push(res.data))
    const out = await done
    expect(out.res.data).toEqual({ parts: [1, 2, 3] })
    expect(chunks.length).toBeGreaterThanOrEqual(1)
    expect(chunks.every((c) => c instanceof ArrayBuffer)).toBe(true)
    const text = Buffer.concat(chunks.map((c) => Buffer.from(c))).toString()
    expect(text).toBe('{"parts":[1,2,3]}')
  })
})

describe('wx.request failures', () => {
  it('fails with parameter error when url is not a string', async () => {
    const out = await run(host.wx.request, {})
    expect(out.ok).toBe(false)
    expect(out.res.errMsg).toBe(
      'request:fail parameter error: parameter.url should be String instead of Undefined;',
    )
  })

  it('fails an unknown method and a URL that is not http(s)', async () => {
    const method = await run(host.wx.request, { url: server.url + '/echo', method: 'FETCH' })
    expect(method.res.errMsg).toBe('request:fail method is invalid')
    const url = await run(host.wx.request, { url: 'ftp://127.0.0.1/x' })
    expect(url.res).toEqual({
      errMsg: 'request:fail invalid url "ftp://127.0.0.1/x"',
      errno: 600009,
    })
  })

  it('reports a refused connection in the Android client’s form', async () => {
    const closed = await startHttpServer(() => undefined)
    const url = closed.url
    await closed.close()
    const out = await run(host.wx.request, { url: url + '/x' })
    expect(out.res).toEqual({
      errMsg: 'request:fail -102:net::ERR_CONNECTION_REFUSED',
      errno: 600001,
    })
  })

  it('fails with timeout after the default 60000 ms and closes the connection', async () => {
    fakeTimers()
    const { done } = call(host.wx.request, { url: server.url + '/hang?t=default' })
    await until(() => hanging.length === 1, 'the request to arrive')
    let settled = false
    void done.then(() => (settled = true))
    jest.advanceTimersByTime(59999)
    await Promise.resolve()
    expect(settled).toBe(false)
    jest.advanceTimersByTime(1)
    const out = await done
    expect(out.res.errMsg).toBe('request:fail timeout')
    await until(() => closedRequests.includes('/hang?t=default'), 'the server to see the close')
  })

  it('honours the timeout option', async () => {
    fakeTimers()
    const { done } = call(host.wx.request, { url: server.url + '/hang', timeout: 1500 })
    jest.advanceTimersByTime(1500)
    expect((await done).res.errMsg).toBe('request:fail timeout')
    expect(host.http.inFlight).toBe(0)
  })

  it('fails with abort when RequestTask.abort() is called, and aborting later is harmless', async () => {
    const { task, done } = call(host.wx.request, { url: server.url + '/hang?t=abort' })
    await until(() => hanging.length === 1, 'the request to arrive')
    task.abort()
    task.abort()
    const out = await done
    expect(out).toEqual({ ok: false, res: { errMsg: 'request:fail abort' }, completes: 1 })
    await until(() => closedRequests.includes('/hang?t=abort'), 'the server to see the close')

    const finished = call(host.wx.request, { url: server.url + '/echo' })
    const ok = await finished.done
    finished.task.abort()
    expect(ok.ok).toBe(true)
  })

  it('fails with abort when aborted in the same tick as the call', async () => {
    const { task, done } = call(host.wx.request, { url: server.url + '/echo' })
    task.abort()
    expect((await done).res.errMsg).toBe('request:fail abort')
  })
})

describe('the concurrent task limit', () => {
  it('allows 10 tasks at once and fails the 11th with exceed max task count', async () => {
    const calls = Array.from({ length: 10 }, (_, i) =>
      call(host.wx.request, { url: server.url + '/hang?n=' + i }),
    )
    const extra = await run(host.wx.request, { url: server.url + '/echo' })
    expect(extra.res).toEqual({ errMsg: 'request:fail exceed max task count', errno: 600007 })
    expect(host.http.inFlight).toBe(10)
    expect(host.http.maxInFlight).toBe(10)
    expect(host.http.started).toBe(10)
    await until(() => hanging.length === 10, 'all requests to arrive')
    expect(server.inFlight).toBe(10)

    for (const res of hanging.splice(0)) res.end('{}')
    const outs = await Promise.all(calls.map((c) => c.done))
    expect(outs.every((o) => o.ok)).toBe(true)
    expect(host.http.inFlight).toBe(0)
    host.http.resetStats()
    expect(host.http.maxInFlight).toBe(0)
    expect(host.http.started).toBe(0)
  })

  it('counts uploads and downloads against the same limit, which is configurable', async () => {
    await host.close()
    host = createWxHost({ http: { maxConcurrent: 2 } })
    const a = call(host.wx.request, { url: server.url + '/hang?l=a' })
    const b = call(host.wx.downloadFile, { url: server.url + '/hang?l=b' })
    const c = await run(host.wx.downloadFile, { url: server.url + '/echo' })
    expect(c.res.errMsg).toBe('downloadFile:fail exceed max task count')
    host.http.maxConcurrent = 3
    expect(host.http.maxConcurrent).toBe(3)
    await until(() => hanging.length === 2, 'both requests to arrive')
    for (const res of hanging.splice(0)) res.end('ok')
    expect((await a.done).ok).toBe(true)
    expect((await b.done).ok).toBe(true)
  })
})

describe('offline', () => {
  it('fails new request/uploadFile/downloadFile calls while offline, and works again online', async () => {
    host.setNetwork({ isConnected: false })
    const offline = { errMsg: 'request:fail -106:net::ERR_INTERNET_DISCONNECTED', errno: 600001 }
    expect((await run(host.wx.request, { url: server.url + '/echo' })).res).toEqual(offline)
    const upload = await run(host.wx.uploadFile, {
      url: server.url + '/echo',
      filePath: 'wxfile://usr/none.txt',
      name: 'file',
    })
    expect(upload.res.errMsg).toBe('uploadFile:fail -106:net::ERR_INTERNET_DISCONNECTED')
    const download = await run(host.wx.downloadFile, { url: server.url + '/echo' })
    expect(download.res.errMsg).toBe('downloadFile:fail -106:net::ERR_INTERNET_DISCONNECTED')
    expect(host.http.started).toBe(0)

    host.setNetwork({ isConnected: true })
    expect((await run(host.wx.request, { url: server.url + '/echo' })).ok).toBe(true)
  })

  it('fails a request on the wire when the network goes away', async () => {
    const { done } = call(host.wx.request, { url: server.url + '/hang?t=offline' })
    await until(() => hanging.length === 1, 'the request to arrive')
    host.setNetwork({ isConnected: false })
    expect((await done).res.errMsg).toBe('request:fail -106:net::ERR_INTERNET_DISCONNECTED')
    await until(() => closedRequests.includes('/hang?t=offline'), 'the server to see the close')
  })
})

describe('the app in the background', () => {
  it('fails a task still running 5 s after hide() with interrupted (errno 600003)', async () => {
    fakeTimers()
    const { done } = call(host.wx.request, { url: server.url + '/hang?t=bg' })
    let settled = false
    void done.then(() => (settled = true))
    host.hide()
    jest.advanceTimersByTime(4999)
    await Promise.resolve()
    expect(settled).toBe(false)
    jest.advanceTimersByTime(1)
    expect((await done).res).toEqual({ errMsg: 'request:fail interrupted', errno: 600003 })

    const meanwhile = await run(host.wx.request, { url: server.url + '/echo' })
    expect(meanwhile.res.errMsg).toBe('request:fail interrupted')
    host.show()
    jest.useRealTimers()
    expect((await run(host.wx.request, { url: server.url + '/echo' })).ok).toBe(true)
  })

  it('lets a task finish that ends within the grace period', async () => {
    fakeTimers()
    const { done } = call(host.wx.request, { url: server.url + '/hang?t=grace' })
    await until(() => hanging.length === 1, 'the request to arrive')
    host.hide()
    jest.advanceTimersByTime(3000)
    hanging.shift()!.end('{"done":true}')
    expect((await done).res.data).toEqual({ done: true })
    host.show()
    jest.advanceTimersByTime(5000)
    expect((await run(host.wx.request, { url: server.url + '/echo' })).ok).toBe(true)
  })
})

describe('host.close()', () => {
  it('fails a running request and every later call', async () => {
    const { done } = call(host.wx.request, { url: server.url + '/hang?t=close' })
    await until(() => hanging.length === 1, 'the request to arrive')
    await host.close()
    expect((await done).res.errMsg).toBe('request:fail host closed')
    expect((await run(host.wx.request, { url: server.url + '/echo' })).res.errMsg).toBe(
      'request:fail host closed',
    )
    await until(() => closedRequests.includes('/hang?t=close'), 'the server to see the close')
  })
})
