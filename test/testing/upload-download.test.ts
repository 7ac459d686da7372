// uploadFile and downloadFile on the host against a real HTTP server: multipart bodies,
// streamed progress, abort, timeout, partial files removed, and files in the sandbox.
import busboy from 'busboy'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { createWxHost, type WxHost } from 'miniprogram-rx/testing'
import { startHttpServer, type TestHttpServer } from '../helpers/servers'
import { call, run, until } from './wx-call'

const BIG = randomBytes(1024 * 1024 + 123)
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

let server: TestHttpServer
let host: WxHost
const hanging: ServerResponse[] = []
const uploads: { fields: Record<string, string>; files: Record<string, any> }[] = []

function receiveUpload(req: IncomingMessage, res: ServerResponse, status: number) {
  const fields: Record<string, string> = {}
  const files: Record<string, any> = {}
  const parser = busboy({ headers: req.headers })
  parser.on('field', (name, value) => (fields[name] = value))
  parser.on('file', (name, stream, info) => {
    const parts: Buffer[] = []
    stream.on('data', (d: Buffer) => parts.push(d))
    stream.on('end', () => {
      const bytes = Buffer.concat(parts)
      files[name] = { ...info, size: bytes.length, sha: sha(bytes) }
    })
  })
  parser.on('close', () => {
    uploads.push({ fields, files })
    res.statusCode = status
    res.setHeader('X-Upload', 'done')
    res.end(JSON.stringify({ fields, files }))
  })
  req.pipe(parser)
}

function handler(req: IncomingMessage, res: ServerResponse) {
  const path = (req.url ?? '').split('?')[0]
  if (path === '/upload') return receiveUpload(req, res, 200)
  if (path === '/upload-500') return receiveUpload(req, res, 500)
  if (path === '/upload-hang') {
    // reads nothing and never answers
    hanging.push(res)
    return
  }
  if (path === '/big.bin') {
    res.setHeader('content-length', String(BIG.length))
    res.end(BIG)
    return
  }
  if (path === '/image') {
    res.setHeader('content-type', 'image/png')
    res.end(Buffer.from('png-bytes'))
    return
  }
  if (path === '/moved') {
    res.writeHead(301, { Location: '/files/report.pdf' })
    res.end()
    return
  }
  if (path === '/files/report.pdf') {
    res.end('%PDF-1.4')
    return
  }
  if (path === '/partial') {
    // half the promised body, then silence
    res.setHeader('content-length', String(BIG.length))
    res.write(BIG.subarray(0, 256 * 1024))
    hanging.push(res)
    return
  }
  res.statusCode = 404
  res.end('no such file')
}

const fakeTimers = () =>
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })

const realPathOf = (wxPath: string) =>
  wxPath.startsWith('wxfile://usr/')
    ? join(host.root, 'usr', wxPath.slice('wxfile://usr/'.length))
    : join(host.root, 'tmp', wxPath.slice('wxfile://'.length))

beforeAll(async () => {
  server = await startHttpServer(handler)
})

afterAll(async () => {
  await server.close()
})

beforeEach(() => {
  host = createWxHost()
  uploads.length = 0
  writeFileSync(join(host.root, 'usr', 'big.bin'), BIG)
  writeFileSync(join(host.root, 'usr', 'note.txt'), 'hello')
})

afterEach(async () => {
  for (const res of hanging.splice(0)) res.destroy()
  jest.useRealTimers()
  await host.close()
})

describe('wx.uploadFile', () => {
  it('posts the file as multipart/form-data with name and formData', async () => {
    const out = await run(host.wx.uploadFile, {
      url: server.url + '/upload',
      filePath: 'wxfile://usr/note.txt',
      name: 'doc',
      formData: { user: 'ann', n: 3 },
      header: { 'X-Token': 'abc' },
    })
    expect(out.ok).toBe(true)
    expect(out.res.errMsg).toBe('uploadFile:ok')
    expect(out.res.statusCode).toBe(200)
    expect(typeof out.res.data).toBe('string')
    expect(out.res.header['X-Upload']).toBe('done')
    const seen = JSON.parse(out.res.data)
    expect(seen.fields).toEqual({ user: 'ann', n: '3' })
    expect(seen.files.doc).toMatchObject({ filename: 'note.txt', mimeType: 'text/plain', size: 5 })
  })

  it('streams a big file with several progress events ending at 100', async () => {
    const { task, done } = call(host.wx.uploadFile, {
      url: server.url + '/upload',
      filePath: 'wxfile://usr/big.bin',
      name: 'file',
    })
    const events: any[] = []
    task.onProgressUpdate((e: any) => events.push(e))
    const out = await done
    expect(JSON.parse(out.res.data).files.file).toMatchObject({
      filename: 'big.bin',
      size: BIG.length,
      sha: sha(BIG),
    })
    expect(events.length).toBeGreaterThan(5)
    const last = events[events.length - 1]
    expect(last.progress).toBe(100)
    expect(last.totalBytesSent).toBe(last.totalBytesExpectedToSend)
    expect(last.totalBytesExpectedToSend).toBeGreaterThan(BIG.length)
    for (let i = 1; i < events.length; i++) {
      expect(events[i].totalBytesSent).toBeGreaterThan(events[i - 1].totalBytesSent)
      expect(events[i].progress).toBeGreaterThanOrEqual(events[i - 1].progress)
    }
  })

  it('stops reporting progress after offProgressUpdate, and fires onHeadersReceived', async () => {
    const { task, done } = call(host.wx.uploadFile, {
      url: server.url + '/upload-500',
      filePath: 'wxfile://usr/big.bin',
      name: 'file',
    })
    const progress = jest.fn()
    const headers = jest.fn()
    task.onProgressUpdate(progress)
    task.offProgressUpdate(progress)
    task.onHeadersReceived(headers)
    const out = await done
    expect(out.ok).toBe(true)
    expect(out.res.statusCode).toBe(500)
    expect(progress).not.toHaveBeenCalled()
    expect(headers).toHaveBeenCalledWith(expect.objectContaining({ statusCode: 500 }))
  })

  it('fails with abort when UploadTask.abort() is called mid-upload', async () => {
    const { task, done } = call(host.wx.uploadFile, {
      url: server.url + '/upload-hang',
      filePath: 'wxfile://usr/big.bin',
      name: 'file',
    })
    let events = 0
    task.onProgressUpdate(() => {
      events += 1
      if (events === 1) task.abort()
    })
    const out = await done
    expect(out).toEqual({ ok: false, res: { errMsg: 'uploadFile:fail abort' }, completes: 1 })
    expect(host.http.inFlight).toBe(0)
  })

  it('fails with timeout', async () => {
    fakeTimers()
    const { done } = call(host.wx.uploadFile, {
      url: server.url + '/upload-hang',
      filePath: 'wxfile://usr/note.txt',
      name: 'file',
      timeout: 2000,
    })
    await until(() => hanging.length === 1, 'the upload to arrive')
    jest.advanceTimersByTime(2000)
    expect((await done).res.errMsg).toBe('uploadFile:fail timeout')
  })

  it('fails for a missing file, a path outside the sandbox, and a missing name', async () => {
    const missing = await run(host.wx.uploadFile, {
      url: server.url + '/upload',
      filePath: 'wxfile://usr/none.txt',
      name: 'file',
    })
    expect(missing.res.errMsg).toBe('uploadFile:fail file not found')
    const escape = await run(host.wx.uploadFile, {
      url: server.url + '/upload',
      filePath: '/etc/passwd',
      name: 'file',
    })
    expect(escape.res.errMsg).toMatch(/^uploadFile:fail permission denied/)
    const noName = await run(host.wx.uploadFile, {
      url: server.url + '/upload',
      filePath: 'wxfile://usr/note.txt',
    })
    expect(noName.res.errMsg).toBe(
      'uploadFile:fail parameter error: parameter.name should be String instead of Undefined;',
    )
    expect(uploads).toHaveLength(0)
  })
})

describe('wx.downloadFile', () => {
  it('streams to a new temp file with progress events, and returns tempFilePath', async () => {
    const { task, done } = call(host.wx.downloadFile, { url: server.url + '/big.bin' })
    const events: any[] = []
    task.onProgressUpdate((e: any) => events.push(e))
    const out = await done
    expect(out.ok).toBe(true)
    expect(out.res.errMsg).toBe('downloadFile:ok')
    expect(out.res.statusCode).toBe(200)
    expect(out.res.tempFilePath).toMatch(/^wxfile:\/\/tmp_.*\.bin$/)
    expect(out.res.filePath).toBeUndefined()
    expect(sha(readFileSync(realPathOf(out.res.tempFilePath)))).toBe(sha(BIG))
    expect(events.length).toBeGreaterThan(1)
    expect(events[events.length - 1]).toEqual({
      progress: 100,
      totalBytesWritten: BIG.length,
      totalBytesExpectedToWrite: BIG.length,
    })
  })

  it('writes filePath when given and returns it', async () => {
    const out = await run(host.wx.downloadFile, {
      url: server.url + '/big.bin',
      filePath: 'wxfile://usr/copy.bin',
    })
    expect(out.res.filePath).toBe('wxfile://usr/copy.bin')
    expect(out.res.tempFilePath).toBeUndefined()
    expect(sha(readFileSync(join(host.root, 'usr', 'copy.bin')))).toBe(sha(BIG))
  })

  it('names the temp file after the final URL or the content-type', async () => {
    const moved = await run(host.wx.downloadFile, { url: server.url + '/moved' })
    expect(moved.res.tempFilePath).toMatch(/\.pdf$/)
    expect(readFileSync(realPathOf(moved.res.tempFilePath), 'utf8')).toBe('%PDF-1.4')
    const image = await run(host.wx.downloadFile, { url: server.url + '/image' })
    expect(image.res.tempFilePath).toMatch(/\.png$/)
  })

  it('succeeds for HTTP 404 with the body saved, as WeChat does', async () => {
    const out = await run(host.wx.downloadFile, { url: server.url + '/nothing-here' })
    expect(out.ok).toBe(true)
    expect(out.res.statusCode).toBe(404)
    expect(readFileSync(realPathOf(out.res.tempFilePath), 'utf8')).toBe('no such file')
  })

  it('fails with abort mid-download and removes the partial file', async () => {
    const { task, done } = call(host.wx.downloadFile, { url: server.url + '/partial' })
    task.onProgressUpdate(() => task.abort())
    const out = await done
    expect(out.res).toEqual({ errMsg: 'downloadFile:fail abort' })
    expect(readdirSync(join(host.root, 'tmp'))).toEqual([])
  })

  it('fails with timeout and removes the partial file written to filePath', async () => {
    fakeTimers()
    const { task, done } = call(host.wx.downloadFile, {
      url: server.url + '/partial',
      filePath: 'wxfile://usr/partial.bin',
    })
    let progressed = false
    task.onProgressUpdate(() => (progressed = true))
    await until(() => progressed, 'the first bytes')
    expect(existsSync(join(host.root, 'usr', 'partial.bin'))).toBe(true)
    jest.advanceTimersByTime(60000)
    expect((await done).res.errMsg).toBe('downloadFile:fail timeout')
    expect(existsSync(join(host.root, 'usr', 'partial.bin'))).toBe(false)
  })

  it('fails when the folder of filePath does not exist, or the path leaves the sandbox', async () => {
    const noDir = await run(host.wx.downloadFile, {
      url: server.url + '/image',
      filePath: 'wxfile://usr/no/such/dir.png',
    })
    expect(noDir.res).toEqual({
      errMsg: 'downloadFile:fail no such file or directory, open "wxfile://usr/no/such/dir.png"',
      errno: 1300002,
    })
    const escape = await run(host.wx.downloadFile, {
      url: server.url + '/image',
      filePath: 'wxfile://usr/../../x.png',
    })
    expect(escape.res.errMsg).toMatch(/^downloadFile:fail permission denied/)
  })
})
