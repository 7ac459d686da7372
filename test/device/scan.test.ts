import { scanCode } from '../../src/device/scan'
import { createFakeWx } from '../helpers/fake-wx'

describe('scanCode', () => {
  let restore: (() => void) | undefined
  afterEach(() => restore?.())

  it('resolves with what the scanner read', async () => {
    const scanned = {
      errMsg: 'scanCode:ok',
      result: 'https://example.com',
      scanType: 'QR_CODE',
      charSet: 'utf-8',
      rawData: 'aHR0cHM6Ly9leGFtcGxlLmNvbQ==',
      path: '',
    }
    const fake = createFakeWx({
      scanCode: (o) => Promise.resolve().then(() => o.success?.(scanned)),
    })
    restore = fake.install()
    await expect(scanCode({ scanType: ['qrCode'], onlyFromCamera: true })).resolves.toEqual(scanned)
    expect(fake.calls[0].options).toMatchObject({ scanType: ['qrCode'], onlyFromCamera: true })
  })

  it('works without options', async () => {
    restore = createFakeWx().install()
    await expect(scanCode()).resolves.toMatchObject({ errMsg: 'scanCode:ok' })
  })

  it.each([
    ['options that are not an object', 'qrCode', /^scanCode: `options` must be an object/],
    ['a non-boolean onlyFromCamera', { onlyFromCamera: 'yes' }, /`options.onlyFromCamera`/],
    [
      'an unknown scanType',
      { scanType: ['qrcode'] },
      /`options.scanType` must be a non-empty array/,
    ],
    ['an empty scanType', { scanType: [] }, /`options.scanType`/],
    ['a scanType that is not an array', { scanType: 'qrCode' }, /`options.scanType`/],
  ])('rejects %s with a TypeError naming the field', async (_label, bad, message) => {
    const fake = createFakeWx()
    restore = fake.install()
    const error = await scanCode(bad as never).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(message)
    expect(fake.calls).toHaveLength(0)
  })

  it('rejects with WxError("scanCode:fail cancel") when the user closes the scanner', async () => {
    restore = createFakeWx({
      scanCode: (o) => o.fail?.({ errMsg: 'scanCode:fail cancel' }),
    }).install()
    await expect(scanCode()).rejects.toMatchObject({
      name: 'WxError',
      errMsg: 'scanCode:fail cancel',
    })
  })
})
