import { PermissionDeniedError } from '../../src/permission/permission-denied-error'
import {
  chooseImages,
  getImageInfo,
  previewImage,
  saveImageToPhotosAlbum,
} from '../../src/media/image'
import type { FakeMediaWx } from './fake-media-wx'
import { useLeakCheckedFake } from './leaks'

const installFake = useLeakCheckedFake()
let fake: FakeMediaWx

describe('chooseImages', () => {
  it('uses chooseMedia with mediaType image and gives { tempFilePath, size }', async () => {
    fake = installFake()
    fake.answer('chooseMedia', () => ({
      ok: {
        type: 'image',
        tempFiles: [
          { tempFilePath: 'wxfile://tmp_1.jpg', size: 100, fileType: 'image', width: 1, height: 1 },
        ],
      },
    }))
    const images = await chooseImages({ count: 12, sourceType: ['camera'], camera: 'front' })
    expect(images).toEqual([{ tempFilePath: 'wxfile://tmp_1.jpg', size: 100 }])
    expect(fake.options.chooseMedia[0]).toMatchObject({
      count: 12,
      mediaType: ['image'],
      sourceType: ['camera'],
      camera: 'front',
    })
  })

  it('falls back to chooseImage with the same result shape (count cut to 9)', async () => {
    fake = installFake()
    delete fake.wx.chooseMedia
    fake.answer('chooseImage', () => ({
      ok: {
        tempFilePaths: ['wxfile://tmp_1.jpg', 'wxfile://tmp_2.png'],
        tempFiles: [
          { path: 'wxfile://tmp_1.jpg', size: 100 },
          { path: 'wxfile://tmp_2.png', size: 200 },
        ],
      },
    }))
    expect(await chooseImages({ count: 12 })).toEqual([
      { tempFilePath: 'wxfile://tmp_1.jpg', size: 100 },
      { tempFilePath: 'wxfile://tmp_2.png', size: 200 },
    ])
    expect(fake.options.chooseImage[0].count).toBe(9)
    // a very old client without tempFiles
    fake.answer('chooseImage', () => ({ ok: { tempFilePaths: ['wxfile://tmp_3.jpg'] } }))
    expect(await chooseImages()).toEqual([{ tempFilePath: 'wxfile://tmp_3.jpg', size: 0 }])
  })

  it('rejects with the WxError of a cancelled pick and TypeError for bad options', async () => {
    fake = installFake()
    fake.answer('chooseMedia', () => ({ fail: 'cancel' }))
    await expect(chooseImages()).rejects.toMatchObject({ errMsg: 'chooseMedia:fail cancel' })
    await expect(chooseImages({ count: 0 })).rejects.toThrow(/chooseImages: `options.count`/)
    await expect(chooseImages({ count: 2.5 })).rejects.toThrow(TypeError)
    await expect(chooseImages({ sourceType: ['web' as never] })).rejects.toThrow(
      /`options.sourceType`/,
    )
    await expect(chooseImages({ sizeType: [] })).rejects.toThrow(/`options.sizeType`/)
    await expect(chooseImages({ camera: 'side' as never })).rejects.toThrow(/`options.camera`/)
    expect(fake.calls).toEqual(['chooseMedia'])
  })
})

describe('previewImage and getImageInfo', () => {
  beforeEach(() => {
    fake = installFake()
  })

  it('previews with current given as an index or a url', async () => {
    await previewImage({ urls: ['a', 'b'], current: 1 })
    await previewImage({ urls: ['a', 'b'], current: 'a', showmenu: false })
    expect(fake.options.previewImage).toEqual([
      expect.objectContaining({ urls: ['a', 'b'], current: 'b' }),
      expect.objectContaining({ urls: ['a', 'b'], current: 'a', showmenu: false }),
    ])
    await expect(previewImage({ urls: [] })).rejects.toThrow(/previewImage: `options.urls`/)
    await expect(previewImage({ urls: ['a'], current: 3 })).rejects.toThrow(/`options.current`/)
    await expect(previewImage(undefined as never)).rejects.toThrow(/`options`/)
  })

  it('reads image info without errMsg', async () => {
    fake.answer('getImageInfo', () => ({
      ok: { width: 4, height: 3, path: 'wxfile://tmp_1.png', type: 'png', orientation: 'up' },
    }))
    expect(await getImageInfo('wxfile://tmp_1.png')).toEqual({
      width: 4,
      height: 3,
      path: 'wxfile://tmp_1.png',
      type: 'png',
      orientation: 'up',
    })
    await expect(getImageInfo('')).rejects.toThrow(/getImageInfo: `src`/)
  })
})

describe('saveImageToPhotosAlbum', () => {
  beforeEach(() => {
    fake = installFake()
  })

  it('makes sure of scope.writePhotosAlbum first, then saves', async () => {
    fake.answer('getSetting', () => ({ ok: { authSetting: {} } }))
    await saveImageToPhotosAlbum('wxfile://tmp_1.png')
    expect(fake.calls).toEqual(['getSetting', 'authorize', 'saveImageToPhotosAlbum'])
    expect(fake.options.saveImageToPhotosAlbum[0].filePath).toBe('wxfile://tmp_1.png')
  })

  it('never saves when the user refuses, and rejects with PermissionDeniedError', async () => {
    fake.answer('getSetting', () => ({ ok: { authSetting: { 'scope.writePhotosAlbum': false } } }))
    fake.answer('authorize', () => ({ fail: 'auth deny' }))
    fake.answer('showModal', () => ({ ok: { confirm: false } }))
    const error = await saveImageToPhotosAlbum('wxfile://tmp_1.png', {
      title: '需要相册权限',
    }).catch((e) => e)
    expect(error).toBeInstanceOf(PermissionDeniedError)
    expect(fake.options.showModal[0].title).toBe('需要相册权限')
    expect(fake.calls).not.toContain('saveImageToPhotosAlbum')
  })

  it('turns an auth deny of the save itself into PermissionDeniedError', async () => {
    fake.answer('getSetting', () => ({ ok: { authSetting: { 'scope.writePhotosAlbum': true } } }))
    fake.answer('saveImageToPhotosAlbum', () => ({ fail: 'auth deny' }))
    const error = await saveImageToPhotosAlbum('wxfile://tmp_1.png').catch((e) => e)
    expect(error).toBeInstanceOf(PermissionDeniedError)
    expect(error.api).toBe('saveImageToPhotosAlbum')
  })

  it('rejects an empty path with a TypeError before asking anything', async () => {
    await expect(saveImageToPhotosAlbum('')).rejects.toThrow(/saveImageToPhotosAlbum: `filePath`/)
    expect(fake.calls).toEqual([])
  })
})
