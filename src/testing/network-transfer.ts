// uploadFile (a streamed multipart/form-data POST of a sandbox file) and downloadFile
// (streamed into a temp file or `filePath`), sharing the request pool's slots and timeouts.
import { createReadStream, createWriteStream, openSync, rmSync, statSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import type { HostContext } from './context'
import { extensionFor, incomingHeaders, multipartFrame, outgoingHeaders } from './network-encoding'
import {
  failTaskOrCall,
  TaskEvent,
  taskBase,
  type HttpTask,
  type HttpTaskPool,
} from './network-task'
import { parameterError } from './params'

const CHUNK = 64 * 1024

function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 0
}

function collect(res: IncomingMessage, done: (body: Buffer) => void): void {
  const parts: Buffer[] = []
  res.on('data', (chunk: Buffer) => parts.push(chunk))
  res.on('end', () => done(Buffer.concat(parts)))
}

/** Adds `uploadFile` and `downloadFile` to `ctx.wx`. */
export function installTransfers(ctx: HostContext, pool: HttpTaskPool, referer: string): void {
  ctx.defineAsync(
    'uploadFile',
    (opts, settle) => {
      let task: HttpTask | undefined
      const base = taskBase(ctx, 'UploadTask', () => task?.fail('abort'))
      const progress = new TaskEvent<object>()
      const uploadTask = {
        ...base.members,
        onProgressUpdate: (listener: unknown) => progress.on(listener),
        offProgressUpdate: (listener?: unknown) => progress.off(listener),
      }
      try {
        if (typeof opts.url !== 'string') throw parameterError('url', 'String', opts.url)
        if (typeof opts.filePath !== 'string') {
          throw parameterError('filePath', 'String', opts.filePath)
        }
        if (typeof opts.name !== 'string') throw parameterError('name', 'String', opts.name)
        const realPath = ctx.resolvePath(opts.filePath)
        task = pool.begin('uploadFile', settle, opts.timeout)
        if (!task) return uploadTask
        const running = task
        let size: number
        try {
          const stat = statSync(realPath)
          if (!stat.isFile()) throw new Error('not a file')
          size = stat.size
        } catch {
          running.fail('file not found')
          return uploadTask
        }
        const formData = opts.formData && typeof opts.formData === 'object' ? opts.formData : {}
        const frame = multipartFrame(opts.name, realPath, formData)
        const total = frame.head.length + size + frame.tail.length
        const headers = outgoingHeaders(opts.header)
        for (const name of Object.keys(headers)) {
          if (/^content-(type|length)$/i.test(name)) delete headers[name]
        }
        headers['Referer'] = referer
        headers['content-type'] = frame.contentType
        headers['content-length'] = String(total)
        const req = running.send(
          { url: opts.url, method: 'POST', headers },
          (res) => {
            const { header, cookies } = incomingHeaders(res.rawHeaders)
            const statusCode = res.statusCode ?? 0
            base.headers.emit({ header, statusCode, cookies })
            collect(res, (body) =>
              running.ok({ data: body.toString('utf8'), statusCode, header, profile: {} }),
            )
          },
          { follow: false, stream: true },
        )
        if (!req) return uploadTask
        let sent = 0
        const written = (bytes: number) => (error?: Error | null) => {
          if (error || running.done) return
          sent += bytes
          progress.emit({
            progress: percent(sent, total),
            totalBytesSent: sent,
            totalBytesExpectedToSend: total,
          })
        }
        const file = createReadStream(realPath, { highWaterMark: CHUNK })
        running.onFail(() => file.destroy())
        req.write(frame.head, written(frame.head.length))
        file.on('data', (chunk) => {
          const bytes = chunk as Buffer
          if (!req.write(bytes, written(bytes.length))) {
            file.pause()
            req.once('drain', () => file.resume())
          }
        })
        file.on('end', () => req.end(frame.tail, written(frame.tail.length)))
        file.on('error', () => running.fail('file not found'))
      } catch (error) {
        failTaskOrCall(error, task, settle)
      }
      return uploadTask
    },
    { promise: false },
  )

  ctx.defineAsync(
    'downloadFile',
    (opts, settle) => {
      let task: HttpTask | undefined
      const base = taskBase(ctx, 'DownloadTask', () => task?.fail('abort'))
      const progress = new TaskEvent<object>()
      const downloadTask = {
        ...base.members,
        onProgressUpdate: (listener: unknown) => progress.on(listener),
        offProgressUpdate: (listener?: unknown) => progress.off(listener),
      }
      try {
        if (typeof opts.url !== 'string') throw parameterError('url', 'String', opts.url)
        if (opts.filePath !== undefined && typeof opts.filePath !== 'string') {
          throw parameterError('filePath', 'String', opts.filePath)
        }
        const wanted = opts.filePath === undefined ? undefined : ctx.resolvePath(opts.filePath)
        task = pool.begin('downloadFile', settle, opts.timeout)
        if (!task) return downloadTask
        const running = task
        const headers = outgoingHeaders(opts.header)
        headers['Referer'] = referer
        running.send({ url: opts.url, method: 'GET', headers }, (res, finalUrl) => {
          const { header, cookies } = incomingHeaders(res.rawHeaders)
          const statusCode = res.statusCode ?? 0
          base.headers.emit({ header, statusCode, cookies })
          const temp = wanted
            ? undefined
            : ctx.tempPath(extensionFor(finalUrl, res.headers['content-type']))
          const realPath = wanted ?? temp!.realPath
          let fd: number
          try {
            // Opened synchronously so a failure can remove the file before fail is delivered.
            fd = openSync(realPath, 'w')
          } catch {
            res.resume()
            running.fail(
              'no such file or directory, open ' + JSON.stringify(opts.filePath),
              1300002,
            )
            return
          }
          const out = createWriteStream('', { fd })
          running.onFail(() => {
            out.destroy()
            rmSync(realPath, { force: true })
          })
          out.on('error', (error) => running.fail(error.message))
          const expected = Number(res.headers['content-length']) || 0
          let received = 0
          res.on('data', (chunk: Buffer) => {
            received += chunk.length
            if (!out.write(chunk)) {
              res.pause()
              out.once('drain', () => res.resume())
            }
            progress.emit({
              progress: percent(received, expected),
              totalBytesWritten: received,
              totalBytesExpectedToWrite: expected,
            })
          })
          res.on('end', () =>
            out.end(() => {
              const path = wanted ? { filePath: opts.filePath } : { tempFilePath: temp!.wxPath }
              running.ok({ ...path, statusCode, header, profile: {} })
            }),
          )
        })
      } catch (error) {
        failTaskOrCall(error, task, settle)
      }
      return downloadTask
    },
    { promise: false },
  )
}
