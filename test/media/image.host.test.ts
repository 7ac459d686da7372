// Images and the album permission through the Node wx host (scripted picks and user answers).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isPermissionDeniedError } from '../../src/permission/permission-denied-error'
import {
  chooseImages,
  getImageInfo,
  previewImage,
  saveImageToPhotosAlbum,
} from '../../src/media/image'
import { useLeakCheckedHost } from './leaks'

const host = useLeakCheckedHost()

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

function realPath(wxPath: string): string {
  return join(host().root, 'tmp', wxPath.replace(/^wxfile:\/\//, ''))
}

for (const legacy of [false, true]) {
  describe(
    legacy ? 'chooseImages on the host, chooseImage' : 'chooseImages on the host, chooseMedia',
    () => {
      beforeEach(() => {
        if (legacy) delete (host().wx as unknown as Record<string, unknown>).chooseMedia
      })

      it('gives real sandbox files as { tempFilePath, size }', async () => {
        host().media.pickImages([PNG, PNG])
        const images = await chooseImages({ count: 2 })
        expect(images).toHaveLength(2)
        for (const image of images) {
          expect(Object.keys(image).sort()).toEqual(['size', 'tempFilePath'])
          expect(image.size).toBe(PNG.length)
          expect(readFileSync(realPath(image.tempFilePath))).toEqual(PNG)
        }
        expect(host().calls.some((c) => c.api === (legacy ? 'chooseImage' : 'chooseMedia'))).toBe(
          true,
        )
      })

      it('rejects when the user backs out', async () => {
        host().media.cancelNextPick()
        await expect(chooseImages()).rejects.toMatchObject({
          errMsg: expect.stringMatching(/fail cancel/),
        })
      })
    },
  )
}

describe('previewImage and getImageInfo on the host', () => {
  it('previews the image at the given index and reads real image info', async () => {
    host().media.pickImages([PNG])
    const [image] = await chooseImages({ count: 1 })
    await previewImage({ urls: ['https://cdn.example/x.png', image.tempFilePath], current: 1 })
    expect(host().media.previews()).toEqual([
      { urls: ['https://cdn.example/x.png', image.tempFilePath], current: image.tempFilePath },
    ])
    expect(await getImageInfo(image.tempFilePath)).toMatchObject({
      width: 1,
      height: 1,
      type: 'png',
      path: image.tempFilePath,
    })
    await expect(getImageInfo('wxfile://tmp/nothing.png')).rejects.toMatchObject({
      name: 'WxError',
    })
  })
})

describe('saveImageToPhotosAlbum on the host', () => {
  async function picked(): Promise<string> {
    host().media.pickImages([PNG])
    return (await chooseImages({ count: 1 }))[0].tempFilePath
  }

  it('asks once when never asked, then saves', async () => {
    const path = await picked()
    host().device.answerNextAuthorize(true)
    await saveImageToPhotosAlbum(path)
    expect(host().device.prompts()).toEqual([
      expect.objectContaining({ scope: 'scope.writePhotosAlbum', granted: true }),
    ])
    expect(host().media.album()).toEqual([
      expect.objectContaining({ filePath: path, kind: 'image' }),
    ])
    expect(host().device.modals()).toEqual([])
  })

  it('leads a user who refused before to the settings page, then saves', async () => {
    const path = await picked()
    host().device.setAuth('scope.writePhotosAlbum', false)
    host().device.answerNextModal('confirm')
    host().device.answerOpenSetting({ 'scope.writePhotosAlbum': true })
    await saveImageToPhotosAlbum(path, { content: '保存图片需要相册权限' })
    expect(host().device.modals()).toEqual([
      expect.objectContaining({
        content: '保存图片需要相册权限',
        confirmText: '去设置',
        answer: 'confirm',
      }),
    ])
    expect(host().calls.some((c) => c.api === 'openSetting')).toBe(true)
    expect(host().media.album()).toHaveLength(1)
  })

  it('rejects with PermissionDeniedError and saves nothing when the user still says no', async () => {
    const path = await picked()
    host().device.answerNextAuthorize(false)
    const first = await saveImageToPhotosAlbum(path).catch((e) => e)
    expect(isPermissionDeniedError(first)).toBe(true)
    expect(first).toMatchObject({ scope: 'scope.writePhotosAlbum', stage: 'authorize' })

    host().device.answerNextModal('cancel')
    expect(await saveImageToPhotosAlbum(path).catch((e) => e)).toMatchObject({ stage: 'modal' })

    host().device.answerNextModal('confirm')
    host().device.answerOpenSetting({})
    expect(await saveImageToPhotosAlbum(path).catch((e) => e)).toMatchObject({ stage: 'setting' })
    expect(host().media.album()).toEqual([])
    expect(existsSync(realPath(path))).toBe(true)
  })
})
