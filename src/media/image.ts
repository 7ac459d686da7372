// Images: pick or shoot, preview, read, save to the album.
import { noop } from 'rxjs'
import { invoke } from '../core/promisify'
import { getWxMember } from '../core/wx'
import { PermissionDeniedError, ensureScope } from '../device/auth'
import type { EnsureScopeOptions } from '../device/auth'
import { BOOLEAN, NEEDED, ruleError, objectError, listOf, num, oneOf } from '../core/check-legacy'
import { defined, reject } from './shorthands'

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

const CHOOSE_OPTIONS = {
  count: /*#__PURE__*/ num(1, 20, 0, 1),
  sizeType: /*#__PURE__*/ listOf(/*#__PURE__*/ oneOf(['original', 'compressed'])),
  sourceType: /*#__PURE__*/ listOf(/*#__PURE__*/ oneOf(['album', 'camera'])),
  camera: /*#__PURE__*/ oneOf(['back', 'front']),
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
  const invalid = objectError('chooseImages', options, CHOOSE_OPTIONS)
  const o = options || {}
  const count = o.count || 9
  const media = getWxMember('chooseMedia')
  return invalid
    ? reject(invalid)
    : invoke(
        media ? 'chooseMedia' : 'chooseImage',
        defined({
          count: media ? count : Math.min(count, 9),
          sizeType: o.sizeType,
          sourceType: o.sourceType,
          ...(media && { mediaType: ['image'], camera: o.camera }),
        }),
      ).then((r: any) => {
        // chooseMedia gives tempFiles; chooseImage tempFilePaths (and tempFiles on newer clients)
        const files = r.tempFiles || []
        return (r.tempFilePaths || files).map((f: any, i: number) => ({
          tempFilePath: typeof f === 'string' ? f : f.tempFilePath || f.path || '',
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
  const o = options || ({} as PreviewImageOptions)
  const urls = o.urls
  const invalid = objectError(
    api,
    options,
    {
      urls: listOf(NEEDED, 1),
      current: [
        (v) => typeof (typeof v === 'number' ? urls[v] : v) === 'string',
        'one of `options.urls` or its index',
      ],
      showmenu: BOOLEAN,
    },
    'options',
  )
  if (invalid) return reject(invalid)
  const current = o.current
  return invoke(
    api,
    defined({
      urls,
      current: typeof current === 'number' ? urls[current] : current,
      showmenu: o.showmenu,
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
  const invalid = ruleError(api, 'src', src, NEEDED)
  if (invalid) return reject(invalid)
  return invoke(api, { src }).then((info: any) => {
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
  const invalid = ruleError(api, 'filePath', filePath, NEEDED)
  if (invalid) return reject(invalid)
  return ensureScope(scope, options)
    .then(() => invoke(api, { filePath }))
    .then(noop, (error) => {
      // The user may take the permission back between the check and the call.
      throw error.api === api && /auth den/i.test(error.errMsg)
        ? new PermissionDeniedError(scope, 'authorize', error)
        : error
    })
}
