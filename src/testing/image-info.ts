// Reading images for the host: getImageInfo (real width/height/type/orientation read with
// image-size from sandbox files, package files under `packageRoot`, or http(s) URLs downloaded
// into the sandbox with Node's HTTP stack) and compressImage (a copy into a new temp file).
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { get as httpGet } from 'node:http'
import { get as httpsGet } from 'node:https'
import { extname, isAbsolute, relative, resolve } from 'node:path'
import { imageSize } from 'image-size'
import { HostFail, type HostContext } from './context'
import { requireString } from './params'

const IMAGE_TYPES: Record<string, string> = { jpg: 'jpeg' }
const ORIENTATIONS = [
  'up',
  'up',
  'up-mirrored',
  'down',
  'down-mirrored',
  'left-mirrored',
  'right',
  'right-mirrored',
  'left',
]

/** Throws WeChat's `file not found` unless `real` is an existing file. */
export function mustExist(real: string): void {
  if (!existsSync(real) || !statSync(real).isFile()) throw new HostFail('file not found')
}

/** Adds getImageInfo and compressImage to `ctx.wx`. */
export function installImageInfo(ctx: HostContext, packageRoot: string | undefined): void {
  // A path the page may read: sandbox paths through the sandbox, package paths under
  // packageRoot; anything else is not found.
  const readable = (src: string): string => {
    if (/^(wxfile:\/\/|http:\/\/tmp\/)/.test(src)) return ctx.resolvePath(src)
    if (!packageRoot || /^[a-z]+:\/\//i.test(src)) throw new HostFail('file not found')
    const root = resolve(packageRoot)
    const real = resolve(root, '.' + (src.startsWith('/') ? src : '/' + src))
    if (relative(root, real).startsWith('..') || isAbsolute(relative(root, real))) {
      throw new HostFail('permission denied, open ' + src, 1300013)
    }
    return real
  }

  ctx.defineAsync('getImageInfo', (o, settle) => {
    const src = requireString(o, 'src')
    const finish = (real: string, path: string) => {
      let size: ReturnType<typeof imageSize>
      try {
        size = imageSize(readFileSync(real))
      } catch {
        settle.fail('invalid image')
        return
      }
      settle.ok({
        width: size.width,
        height: size.height,
        type: IMAGE_TYPES[size.type ?? ''] ?? size.type ?? 'unknown',
        orientation: ORIENTATIONS[size.orientation ?? 1] ?? 'up',
        path,
      })
    }
    if (/^https?:\/\//.test(src) && !src.startsWith('http://tmp/')) {
      download(ctx, src, (error, real, wxPath) => {
        if (error || !real || !wxPath) settle.fail('download image fail')
        else finish(real, wxPath)
      })
      return
    }
    const real = readable(src)
    mustExist(real)
    finish(real, src)
  })

  ctx.defineAsync('compressImage', (o, settle) => {
    const src = requireString(o, 'src')
    const real = readable(src)
    mustExist(real)
    const temp = ctx.tempPath(extname(real).slice(1) || 'jpg')
    copyFileSync(real, temp.realPath)
    settle.ok({ tempFilePath: temp.wxPath })
  })
}

// Downloads `url` into a sandbox temp file with the real HTTP stack; the request is
// released on host.close().
function download(
  ctx: HostContext,
  url: string,
  done: (error: Error | undefined, realPath?: string, wxPath?: string) => void,
): void {
  if (!ctx.network.isConnected) {
    ctx.later(() => done(new Error('offline')))
    return
  }
  let finished = false
  const finish = (error: Error | undefined, realPath?: string, wxPath?: string) => {
    if (finished) return
    finished = true
    untrack()
    done(error, realPath, wxPath)
  }
  const request = (url.startsWith('https:') ? httpsGet : httpGet)(url, (response) => {
    const chunks: Buffer[] = []
    response.on('data', (chunk: Buffer) => chunks.push(chunk))
    response.on('error', (error) => finish(error))
    response.on('end', () => {
      if ((response.statusCode ?? 0) < 200 || (response.statusCode ?? 0) >= 300) {
        finish(new Error('status ' + response.statusCode))
        return
      }
      const bytes = Buffer.concat(chunks)
      let ext = 'img'
      try {
        ext = imageSize(bytes).type ?? ext
      } catch {
        // left for getImageInfo to report
      }
      const temp = ctx.tempPath(ext)
      writeFileSync(temp.realPath, bytes)
      finish(undefined, temp.realPath, temp.wxPath)
    })
  })
  request.on('error', (error) => finish(error))
  const untrack = ctx.track({
    close: () => {
      request.destroy()
      finish(new Error('host closed'))
    },
  })
}
