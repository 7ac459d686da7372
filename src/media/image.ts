// Images: pick or shoot, preview, read, save to the album.
import { noop } from 'rxjs'
import { optionsError, ruleError, type Rules } from '../core/check'
import { invoke } from '../core/promisify'
import { withoutUndefined } from '../core/without-undefined'
import { getWxMember } from '../core/wx'
import { ensureScope, type EnsureScopeOptions } from '../permission/ensure-scope'
import { PermissionDeniedError } from '../permission/permission-denied-error'

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

const CHOOSE_OPTIONS: Rules = {
  count: { type: 'number', min: 1, max: 20, integer: true },
  sizeType: {
    type: 'array',
    nonEmpty: true,
    items: { type: 'oneOf', values: ['original', 'compressed'] },
  },
  sourceType: {
    type: 'array',
    nonEmpty: true,
    items: { type: 'oneOf', values: ['album', 'camera'] },
  },
  camera: { type: 'oneOf', values: ['back', 'front'] },
}
const PATH = { type: 'string', nonEmpty: true, required: true } as const

/** What `chooseMedia` and `chooseImage` give back: files, or paths (and files on newer clients). */
interface ChosenFiles {
  tempFiles?: Array<{ tempFilePath?: string; path?: string; size?: number }>
  tempFilePaths?: string[]
}

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
  const invalid = optionsError('chooseImages', options, CHOOSE_OPTIONS, { optional: true })
  if (invalid) return Promise.reject(invalid)
  const chooseOptions: ChooseImagesOptions = options || {}
  const count = chooseOptions.count || 9
  const common = { sizeType: chooseOptions.sizeType, sourceType: chooseOptions.sourceType }
  const call = getWxMember('chooseMedia')
    ? invoke(
        'chooseMedia',
        withoutUndefined({ ...common, count, mediaType: ['image'], camera: chooseOptions.camera }),
      )
    : invoke('chooseImage', withoutUndefined({ ...common, count: Math.min(count, 9) }))
  return call.then((result) => {
    const chosen = result as ChosenFiles
    const files = chosen.tempFiles || []
    const paths = chosen.tempFilePaths || files
    return paths.map((file, i) => ({
      tempFilePath: typeof file === 'string' ? file : file.tempFilePath || file.path || '',
      size: (files[i] || {}).size || 0,
    }))
  })
}

/**
 * Shows images full screen (`wx.previewImage`); `current` may be an index into `urls`.
 * Resolves once the viewer opened. Bad input rejects with a `TypeError` naming the field.
 */
export function previewImage(options: PreviewImageOptions): Promise<void> {
  const api = 'previewImage'
  const urls: unknown = options && options.urls
  const invalid = optionsError(api, options, {
    urls: {
      type: 'array',
      nonEmpty: true,
      required: true,
      items: { type: 'string', nonEmpty: true },
    },
    current: {
      type: 'custom',
      test: (value) =>
        typeof (typeof value === 'number' ? (urls as string[])[value] : value) === 'string',
      expected: 'one of `options.urls` or its index',
    },
    showmenu: { type: 'boolean' },
  })
  if (invalid) return Promise.reject(invalid)
  const current = options.current
  return invoke(
    api,
    withoutUndefined({
      urls: options.urls,
      current: typeof current === 'number' ? options.urls[current] : current,
      showmenu: options.showmenu,
    }),
  ).then(noop)
}

/**
 * Reads an image's size, orientation and type (`wx.getImageInfo`), from a local path, a
 * package path or a URL on a `downloadFile` domain. Rejects with `TypeError` for an empty
 * `src` and with `WxError` for an unreadable image.
 */
export function getImageInfo(src: string): Promise<ImageInfo> {
  const api = 'getImageInfo'
  const invalid = ruleError(api, 'src', src, PATH)
  if (invalid) return Promise.reject(invalid)
  return invoke(api, { src }).then((result) => {
    const info = result as ImageInfo & { errMsg?: string }
    delete info.errMsg
    return info
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
  const scope = 'scope.writePhotosAlbum'
  const invalid = ruleError(api, 'filePath', filePath, PATH)
  if (invalid) return Promise.reject(invalid)
  return ensureScope(scope, options)
    .then(() => invoke(api, { filePath }))
    .then(noop, (error) => {
      // The user may take the permission back between the check and the call.
      throw error.api === api && /auth den/i.test(error.errMsg)
        ? new PermissionDeniedError(scope, 'authorize', error)
        : error
    })
}
