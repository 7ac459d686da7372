import { makePhoneCall } from '../../src/device/phone'
import { createFakeWx } from '../helpers/fake-wx'

describe('makePhoneCall', () => {
  let restore: (() => void) | undefined
  afterEach(() => restore?.())

  it('calls wx.makePhoneCall with the number given as a string', async () => {
    const fake = createFakeWx()
    restore = fake.install()
    await expect(makePhoneCall('+86 10-8888 8888')).resolves.toMatchObject({
      errMsg: 'makePhoneCall:ok',
    })
    expect(fake.calls[0].options.phoneNumber).toBe('+86 10-8888 8888')
  })

  it('accepts wx options and leaves them untouched', async () => {
    const fake = createFakeWx()
    restore = fake.install()
    const options = Object.freeze({ phoneNumber: '10086' })
    await makePhoneCall(options)
    expect(fake.calls[0].options).not.toBe(options)
    expect(fake.calls[0].options.phoneNumber).toBe('10086')
  })

  it.each([
    ['an empty string', ''],
    ['a blank string', '   '],
    ['letters', 'call me'],
    ['a number', 10086],
    ['undefined', undefined],
    ['null', null],
  ])('rejects %s with a TypeError naming makePhoneCall and phoneNumber', async (_label, bad) => {
    const fake = createFakeWx()
    restore = fake.install()
    let promise: Promise<unknown> | undefined
    expect(() => {
      promise = makePhoneCall(bad as string)
    }).not.toThrow()
    const error = await promise!.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(/^makePhoneCall: `phoneNumber`/)
    expect(fake.calls).toHaveLength(0)
  })

  it('rejects { phoneNumber: "" } the same way', async () => {
    restore = createFakeWx().install()
    await expect(makePhoneCall({ phoneNumber: '' })).rejects.toThrow(
      /makePhoneCall: `phoneNumber` must be a non-empty phone number/,
    )
  })

  it('passes wx failures through as WxError', async () => {
    restore = createFakeWx({
      makePhoneCall: (o) => o.fail?.({ errMsg: 'makePhoneCall:fail cancel' }),
    }).install()
    await expect(makePhoneCall('10086')).rejects.toMatchObject({
      name: 'WxError',
      errMsg: 'makePhoneCall:fail cancel',
    })
  })
})
