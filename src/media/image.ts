import { argumentError, isPlainObject } from '../core/describe'
import { isWxError } from '../core/errors'
import { invoke } from '../core/promisify'
import { getWx } from '../core/wx'
import { PermissionDeniedError, ensureScope } from '../device/auth'
import type { EnsureScopeOptions } from '../device/auth'

/** Options of `chooseImages`. */
export interface ChooseImagesOptions {
  /**
   * How many images at most, 1 to 20 (the legacy `chooseImage` takes at most 9, so more are
   * cut to 9 there).
   * @default 9
   */
  count?: number
  /** Original and/or compressed. @default ['original', 'compressed'] */
  sizeType?: Array<'original' | 'compressed'>
  /** From the album and/or the camera. @default ['album', 'camera'] */
  sourceType?: Array<'album' | 'camera'>
  /** The camera to open when shooting (`chooseMedia` only). @default 'back' */
  camera?: 'back' | 'front'
}

/** One chosen image, the same from `chooseMedia` and `chooseImage`. */
export interface ChosenImage {
  /** The image's temporary path. */
  tempFilePath: string
  /** Its size in bytes (`0` when a very old client does not say). */
  size: number
}

/** What `getImageInfo` resolves with. */
export type ImageInfo = Omit<WechatMiniprogram.GetImageInfoSuccessCallbackResult, 'errMsg'>

/** Options of `previewImage`. */
export interface PreviewImageOptions {
  /** The images to show. */
  urls: string[]
  /** The image shown first: one of `urls`, or its index. @default the first */
  current?: string | number
  /** Show the long-press menu (base library 2.13.0+). @default true */
  showmenu?: boolean
}

function checkList(
  api: string,
  field: string,
  value: unknown,
  allowed: string[],
): TypeError | null {
  if (value === undefined) return null
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' && allowed.indexOf(v) >= 0)
  return ok
    ? null
    : argumentError(
        api,
        field,
        'a non-empty array of ' + allowed.map((a) => "'" + a + "'").join(', '),
        value,
      )
}

function checkChooseOptions(api: string, options: unknown): TypeError | null {
  if (options === undefined) return null
  if (!isPlainObject(options)) return argumentError(api, 'options', 'an object', options)
  const o = options as ChooseImagesOptions
  if (
    o.count !== undefined &&
    !(typeof o.count === 'number' && o.count % 1 === 0 && o.count >= 1 && o.count <= 20)
  ) {
    return argumentError(api, 'options.count', 'a whole number from 1 to 20', o.count)
  }
  if (o.camera !== undefined && o.camera !== 'back' && o.camera !== 'front') {
    return argumentError(api, 'options.camera', "'back' or 'front'", o.camera)
  }
  return (
    checkList(api, 'options.sizeType', o.sizeType, ['original', 'compressed']) ||
    checkList(api, 'options.sourceType', o.sourceType, ['album', 'camera'])
  )
}

type MediaResult = { tempFiles?: { tempFilePath?: string; size?: number }[] }
type ImageResult = { tempFilePaths?: string[]; tempFiles?: { path?: string; size?: number }[] }

/**
 * Lets the user pick or shoot images: `wx.chooseMedia` with `mediaType: ['image']` (base
 * library 2.10.0+), else `wx.chooseImage`. Resolves with `{ tempFilePath, size }` for each
 * image either way. A user who backs out rejects with the client's `WxError`
 * (`errMsg` contains `cancel`); bad options reject with `TypeError`.
 *
 * @example
 * const [photo] = await chooseImages({ count: 1, sourceType: ['camera'] })
 */
export function chooseImages(options?: ChooseImagesOptions): Promise<ChosenImage[]> {
  const api = 'chooseImages'
  const invalid = checkChooseOptions(api, options)
  if (invalid) return Promise.reject(invalid)
  const o = options || {}
  const count = o.count || 9
  const w = getWx() as unknown as Record<string, unknown> | undefined
  if (w && typeof w.chooseMedia === 'function') {
    const call: Record<string, unknown> = { count, mediaType: ['image'] }
    if (o.sizeType) call.sizeType = o.sizeType.slice()
    if (o.sourceType) call.sourceType = o.sourceType.slice()
    if (o.camera) call.camera = o.camera
    return (invoke('chooseMedia', call) as Promise<MediaResult>).then((r) =>
      (r.tempFiles || []).map((f) => ({
        tempFilePath: String(f.tempFilePath || ''),
        size: typeof f.size === 'number' ? f.size : 0,
      })),
    )
  }
  const call: Record<string, unknown> = { count: Math.min(count, 9) }
  if (o.sizeType) call.sizeType = o.sizeType.slice()
  if (o.sourceType) call.sourceType = o.sourceType.slice()
  return (invoke('chooseImage', call) as Promise<ImageResult>).then((r) => {
    const files = r.tempFiles
    const paths = r.tempFilePaths || (files || []).map((f) => String(f.path || ''))
    return paths.map((path, i) => {
      const size = files && files[i] ? files[i].size : undefined
      return { tempFilePath: path, size: typeof size === 'number' ? size : 0 }
    })
  })
}

/**
 * Shows images full screen (`wx.previewImage`); `current` may be an index into `urls`.
 * Resolves once the viewer opened. Bad input rejects with a `TypeError` naming the field.
 */
export function previewImage(options: PreviewImageOptions): Promise<void> {
  const api = 'previewImage'
  if (!isPlainObject(options)) {
    return Promise.reject(argumentError(api, 'options', 'an object with `urls`', options))
  }
  const urls = options.urls
  if (
    !Array.isArray(urls) ||
    urls.length === 0 ||
    !urls.every((u) => typeof u === 'string' && u !== '')
  ) {
    return Promise.reject(
      argumentError(api, 'options.urls', 'a non-empty array of non-empty strings', urls),
    )
  }
  const current = options.current
  const call: Record<string, unknown> = { urls: urls.slice() }
  if (typeof current === 'number') {
    if (current % 1 !== 0 || current < 0 || current >= urls.length) {
      return Promise.reject(
        argumentError(
          api,
          'options.current',
          'an index from 0 to ' + (urls.length - 1) + ' or a string',
          current,
        ),
      )
    }
    call.current = urls[current]
  } else if (current !== undefined) {
    if (typeof current !== 'string') {
      return Promise.reject(argumentError(api, 'options.current', 'a string or an index', current))
    }
    call.current = current
  }
  if (options.showmenu !== undefined) {
    if (typeof options.showmenu !== 'boolean') {
      return Promise.reject(argumentError(api, 'options.showmenu', 'a boolean', options.showmenu))
    }
    call.showmenu = options.showmenu
  }
  return invoke(api, call).then(() => undefined)
}

/**
 * Reads an image's size, orientation and type (`wx.getImageInfo`), from a local path, a
 * package path or a URL on a `downloadFile` domain. Rejects with `TypeError` for an empty
 * `src` and with `WxError` for an unreadable image.
 */
export function getImageInfo(src: string): Promise<ImageInfo> {
  const api = 'getImageInfo'
  if (typeof src !== 'string' || src === '') {
    return Promise.reject(argumentError(api, 'src', 'a non-empty string', src))
  }
  return (
    invoke(api, { src }) as Promise<WechatMiniprogram.GetImageInfoSuccessCallbackResult>
  ).then((r) => {
    const info = {} as Record<string, unknown>
    for (const key in r)
      if (key !== 'errMsg') info[key] = (r as unknown as Record<string, unknown>)[key]
    return info as unknown as ImageInfo
  })
}

/**
 * Saves a local image to the user's album after making sure of `scope.writePhotosAlbum`
 * (see `ensureScope`: the system prompt, or a modal leading to the settings page for a user
 * who refused before; `options` words the modal). Rejects with `PermissionDeniedError` when
 * the user says no, `TypeError` for an empty path, and `WxError` when saving fails.
 *
 * @example
 * await saveImageToPhotosAlbum(tempFilePath, { content: '保存海报需要相册权限' })
 */
export function saveImageToPhotosAlbum(
  filePath: string,
  options?: EnsureScopeOptions,
): Promise<void> {
  const api = 'saveImageToPhotosAlbum'
  if (typeof filePath !== 'string' || filePath === '') {
    return Promise.reject(argumentError(api, 'filePath', 'a non-empty local path', filePath))
  }
  const scope = 'scope.writePhotosAlbum'
  return ensureScope(scope, options)
    .then(() => invoke(api, { filePath }))
    .then(
      () => undefined,
      (error) => {
        // The user may take the permission back between the check and the call.
        if (isWxError(error) && error.api === api && /auth den/i.test(error.errMsg)) {
          throw new PermissionDeniedError(scope, 'authorize', error)
        }
        throw error
      },
    )
}
