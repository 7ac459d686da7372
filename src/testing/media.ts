// Images of the host: chooseImage/chooseMedia answered from scripted picks of real files
// (copied into the sandbox, so pages get real wxfile:// paths with real sizes),
// previewImage (recorded), saveImageToPhotosAlbum (needs scope.writePhotosAlbum; recorded).
// getImageInfo and compressImage live in image-info.ts, recording in recorder.ts and playVoice
// in voice.ts; all are installed from here.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { imageSize } from 'image-size'
import { authOf } from './auth'
import { HostFail, type HostContext } from './context'
import { encodeJpeg } from './fixtures'
import { installImageInfo, mustExist } from './image-info'
import { parameterError, requireString } from './params'
import { installRecorder, type RecorderHostControls } from './recorder'
import { installVoice, type VoiceSnapshot } from './voice'

/** Options of the media part of the host. */
export interface MediaHostOptions {
  /**
   * The mini program's own folder: package paths (`/images/a.png`, `images/a.png`) given to
   * getImageInfo and compressImage are read from here. Without it they are "not found".
   */
  packageRoot?: string
  /** Milliseconds between recorder ticks that deliver `onFrameRecorded`. @default 100 */
  recorderTick?: number
}

/** One file the simulated user picks: a real path, its bytes, or a description. */
export type MediaPick =
  | string
  | Buffer
  | {
      /** A real file on disk, or a sandbox path (`wxfile://...`). */
      path?: string
      /** The bytes, instead of `path`. */
      data?: Buffer
      /** `image` (default) or `video`. */
      fileType?: 'image' | 'video'
      /** Seconds, for videos. @default 10 */
      duration?: number
      /** Pixels, for videos (images report their real size). */
      width?: number
      height?: number
    }

/** A previewImage call as the user saw it. */
export interface PreviewRecord {
  urls: string[]
  current: string
}

/** A file saved to the simulated photo album. */
export interface AlbumRecord {
  filePath: string
  size: number
  kind: 'image' | 'video'
}

/** Test controls of the media part of the host. */
export interface MediaHostControls extends RecorderHostControls {
  /** Queues the user's next pick in chooseImage/chooseMedia (images; objects may be videos). */
  pickImages(files: MediaPick[]): void
  /** Same as `pickImages`, named for chooseMedia with videos. */
  pickMedia(files: MediaPick[]): void
  /** The next chooseImage/chooseMedia fails with `fail cancel`, as when the user backs out. */
  cancelNextPick(): void
  /** Answers still queued. */
  pendingPicks(): number
  /** Every previewImage call, in order. */
  previews(): PreviewRecord[]
  /** Every file saved to the album, in order. */
  album(): AlbumRecord[]
  /** The legacy voice player. */
  voice(): VoiceSnapshot
}

type PickAnswer = { cancel: true } | { files: NormalizedPick[] }

interface PickedFile {
  tempFilePath: string
  size: number
  fileType: 'image' | 'video'
  width: number
  height: number
  duration: number
  realPath: string
}

type NormalizedPick = {
  path?: string
  data?: Buffer
  fileType: 'image' | 'video'
  duration?: number
  width?: number
  height?: number
}

function normalize(pick: MediaPick): NormalizedPick {
  if (typeof pick === 'string') return { path: pick, fileType: 'image' }
  if (Buffer.isBuffer(pick)) return { data: pick, fileType: 'image' }
  if (!pick || typeof pick !== 'object') {
    throw new TypeError('host.media pick: give a path, a Buffer or { path | data }')
  }
  return { ...pick, fileType: pick.fileType === 'video' ? 'video' : 'image' }
}

/** Adds the media members to `ctx.wx`. */
export function installMedia(ctx: HostContext, options: MediaHostOptions): MediaHostControls {
  const auth = authOf(ctx)
  const picks: PickAnswer[] = []
  const previews: PreviewRecord[] = []
  const album: AlbumRecord[] = []

  const materialize = (pick: NormalizedPick): PickedFile => {
    let bytes: Buffer
    if (pick.data) bytes = pick.data
    else if (typeof pick.path === 'string') {
      const source = /^(wxfile:\/\/|http:\/\/tmp\/)/.test(pick.path)
        ? ctx.resolvePath(pick.path)
        : resolve(pick.path)
      if (!existsSync(source)) throw new Error('host.media pick: no such file ' + pick.path)
      bytes = readFileSync(source)
    } else throw new TypeError('host.media pick: give a path, a Buffer or { path | data }')
    let width = pick.width ?? 0
    let height = pick.height ?? 0
    let ext = typeof pick.path === 'string' ? extname(pick.path).slice(1).toLowerCase() : ''
    if (pick.fileType === 'image') {
      try {
        const size = imageSize(bytes)
        width = size.width ?? 0
        height = size.height ?? 0
        ext = size.type ?? ext
      } catch {
        // not an image the size reader knows: picked as it is
      }
    }
    const temp = ctx.tempPath(ext || (pick.fileType === 'video' ? 'mp4' : 'jpg'))
    writeFileSync(temp.realPath, bytes)
    return {
      tempFilePath: temp.wxPath,
      size: bytes.length,
      fileType: pick.fileType,
      width,
      height,
      duration: pick.fileType === 'video' ? (pick.duration ?? 10) : 0,
      realPath: temp.realPath,
    }
  }

  const takePick = (): NormalizedPick[] => {
    const answer = picks.shift()
    // An unscripted picker is one the user closed.
    if (!answer || 'cancel' in answer) throw new HostFail('cancel')
    return answer.files
  }

  const clampCount = (o: Record<string, any>, max: number): number => {
    if (o.count === undefined) return max
    if (typeof o.count !== 'number' || !Number.isFinite(o.count))
      throw parameterError('count', 'Number', o.count)
    return Math.max(1, Math.min(max, Math.floor(o.count)))
  }

  ctx.defineAsync('chooseImage', (o, settle) => {
    const count = clampCount(o, 9)
    const files = takePick()
      .filter((p) => p.fileType === 'image')
      .slice(0, count)
      .map(materialize)
    if (files.length === 0) throw new HostFail('cancel')
    settle.ok({
      tempFilePaths: files.map((f) => f.tempFilePath),
      tempFiles: files.map((f) => ({ path: f.tempFilePath, size: f.size })),
    })
  })

  ctx.defineAsync('chooseMedia', (o, settle) => {
    const count = clampCount(o, 20)
    const allowed: string[] = Array.isArray(o.mediaType) ? o.mediaType : ['image', 'video']
    const allows = (t: string) => allowed.includes(t) || allowed.includes('mix')
    const files = takePick()
      .filter((p) => allows(p.fileType))
      .slice(0, count)
      .map(materialize)
    if (files.length === 0) throw new HostFail('cancel')
    const tempFiles = files.map((f) => {
      const entry: Record<string, unknown> = {
        tempFilePath: f.tempFilePath,
        size: f.size,
        fileType: f.fileType,
        width: f.width,
        height: f.height,
      }
      if (f.fileType === 'video') {
        entry.duration = f.duration
        const thumb = ctx.tempPath('jpg')
        writeFileSync(thumb.realPath, encodeJpeg({ width: 16, height: 16, color: [40, 40, 40] }))
        entry.thumbTempFilePath = thumb.wxPath
      }
      return entry
    })
    const types = new Set(files.map((f) => f.fileType))
    settle.ok({ tempFiles, type: types.size > 1 ? 'mix' : files[0].fileType })
  })

  ctx.defineAsync('previewImage', (o, settle) => {
    if (!Array.isArray(o.urls)) throw parameterError('urls', 'Array', o.urls)
    const urls = o.urls.map(String)
    const current = typeof o.current === 'string' ? o.current : (urls[0] ?? '')
    previews.push({ urls, current })
    settle.ok({})
  })

  installImageInfo(ctx, options.packageRoot)

  const saveToAlbum = (api: string, kind: 'image' | 'video') =>
    ctx.defineAsync(api, (o, settle) => {
      const filePath = requireString(o, 'filePath')
      auth.require('scope.writePhotosAlbum', api, 'albumAuthorized')
      const real = ctx.resolvePath(filePath)
      mustExist(real)
      album.push({ filePath, size: statSync(real).size, kind })
      settle.ok({})
    })
  saveToAlbum('saveImageToPhotosAlbum', 'image')
  saveToAlbum('saveVideoToPhotosAlbum', 'video')

  // Scripted picks are checked when queued, so a wrong path fails in the test that wrote it.
  const queue = (files: MediaPick[]) => {
    if (!Array.isArray(files))
      throw new TypeError('host.media.pickImages: expected an array of files')
    const normalized = files.map(normalize)
    for (const pick of normalized) {
      if (pick.data === undefined && typeof pick.path !== 'string') {
        throw new TypeError('host.media pick: give a path, a Buffer or { path | data }')
      }
      if (
        pick.data === undefined &&
        pick.path &&
        !/^(wxfile:\/\/|http:\/\/tmp\/)/.test(pick.path) &&
        !existsSync(resolve(pick.path))
      ) {
        throw new Error('host.media pick: no such file ' + pick.path)
      }
    }
    picks.push({ files: normalized })
  }

  const recorder = installRecorder(ctx, { tick: options.recorderTick ?? 100 })
  const voice = installVoice(ctx)

  return {
    ...recorder,
    pickImages: (files) => queue(files),
    pickMedia: (files) => queue(files),
    cancelNextPick() {
      picks.push({ cancel: true })
    },
    pendingPicks: () => picks.length,
    previews: () => previews.map((p) => ({ urls: [...p.urls], current: p.current })),
    album: () => album.map((a) => ({ ...a })),
    voice,
  }
}
