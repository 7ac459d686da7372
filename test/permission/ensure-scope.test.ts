import { WxError } from '../../src/core/errors'
import { ensureScope } from '../../src/permission/ensure-scope'
import {
  PermissionDeniedError,
  isPermissionDeniedError,
} from '../../src/permission/permission-denied-error'
import type { FakeMediaWx } from '../media/fake-media-wx'
import { useLeakCheckedFake } from '../media/leaks'

const installFake = useLeakCheckedFake()
let fake: FakeMediaWx

beforeEach(() => {
  fake = installFake()
})

// The user's answers, in the order the flow asks.
function script(
  setting: boolean | undefined,
  answers: { authorize?: boolean; modal?: boolean; settings?: boolean },
) {
  fake.answer('getSetting', () => ({
    ok: { authSetting: setting === undefined ? {} : { 'scope.writePhotosAlbum': setting } },
  }))
  fake.answer('authorize', () => (answers.authorize ? { ok: {} } : { fail: 'auth deny' }))
  fake.answer('showModal', () => ({ ok: { confirm: !!answers.modal, cancel: !answers.modal } }))
  fake.answer('openSetting', () => ({
    ok: { authSetting: { 'scope.writePhotosAlbum': !!answers.settings } },
  }))
}

describe('ensureScope', () => {
  it('resolves at once when getSetting says granted', async () => {
    script(true, {})
    await ensureScope('scope.writePhotosAlbum')
    expect(fake.calls).toEqual(['getSetting'])
  })

  it('asks with authorize when never asked, and resolves when the user allows', async () => {
    script(undefined, { authorize: true })
    await ensureScope('scope.writePhotosAlbum')
    expect(fake.calls).toEqual(['getSetting', 'authorize'])
    expect(fake.options.authorize[0].scope).toBe('scope.writePhotosAlbum')
  })

  it('rejects with PermissionDeniedError when the user refuses the first prompt (no modal)', async () => {
    script(undefined, { authorize: false })
    const error = await ensureScope('scope.writePhotosAlbum').catch((e) => e)
    expect(error).toBeInstanceOf(PermissionDeniedError)
    expect(error).toBeInstanceOf(WxError)
    expect(error).toMatchObject({
      scope: 'scope.writePhotosAlbum',
      stage: 'authorize',
      api: 'authorize',
      code: 'ERR_PERMISSION_DENIED',
    })
    expect(isPermissionDeniedError(error)).toBe(true)
    expect(fake.calls).toEqual(['getSetting', 'authorize'])
  })

  it('gives every PermissionDeniedError the code ERR_PERMISSION_DENIED, whatever wx said', () => {
    const fromWx = new PermissionDeniedError('scope.record', 'setting', {
      api: 'openSetting',
      errMsg: 'openSetting:fail auth deny',
      code: 'ERR_FAILED',
    })
    expect(fromWx.code).toBe('ERR_PERMISSION_DENIED')
    expect(new PermissionDeniedError('scope.camera', 'modal').code).toBe('ERR_PERMISSION_DENIED')
  })

  it('explains with showModal and opens the settings for a user who refused before', async () => {
    script(false, { authorize: false, modal: true, settings: true })
    await ensureScope('scope.writePhotosAlbum', { content: '保存海报需要相册权限' })
    expect(fake.calls).toEqual(['getSetting', 'authorize', 'showModal', 'openSetting'])
    expect(fake.options.showModal[0]).toMatchObject({
      title: '需要你的授权',
      content: '保存海报需要相册权限',
      confirmText: '去设置',
      cancelText: '取消',
    })
  })

  it('uses a default text naming what the scope covers', async () => {
    script(false, { authorize: false, modal: false })
    await ensureScope('scope.writePhotosAlbum').catch(() => undefined)
    expect(fake.options.showModal[0].content).toContain('保存到相册')
  })

  it('rejects with the stage where the user still said no', async () => {
    script(false, { authorize: false, modal: false })
    expect(await ensureScope('scope.writePhotosAlbum').catch((e) => e)).toMatchObject({
      name: 'PermissionDeniedError',
      stage: 'modal',
    })
    script(false, { authorize: false, modal: true, settings: false })
    expect(await ensureScope('scope.writePhotosAlbum').catch((e) => e)).toMatchObject({
      stage: 'setting',
      scope: 'scope.writePhotosAlbum',
    })
    script(false, { authorize: false })
    const quiet = await ensureScope('scope.writePhotosAlbum', { explain: false }).catch((e) => e)
    expect(quiet).toMatchObject({ stage: 'authorize' })
  })

  it('passes on failures that are not refusals', async () => {
    fake.answer('getSetting', () => ({ fail: 'system error' }))
    const error = await ensureScope('scope.record').catch((e) => e)
    expect(error).toBeInstanceOf(WxError)
    expect(error).not.toBeInstanceOf(PermissionDeniedError)
    expect(error.errMsg).toBe('getSetting:fail system error')
    fake.answer('getSetting', () => ({ ok: { authSetting: {} } }))
    fake.answer('authorize', () => ({ fail: 'invalid scope' }))
    expect(isPermissionDeniedError(await ensureScope('scope.record').catch((e) => e))).toBe(false)
  })

  it('shares one flow between concurrent calls for a scope', async () => {
    script(false, { authorize: false, modal: true, settings: true })
    await Promise.all([
      ensureScope('scope.writePhotosAlbum'),
      ensureScope('scope.writePhotosAlbum'),
    ])
    expect(fake.calls.filter((c) => c === 'showModal')).toHaveLength(1)
  })

  it('rejects bad input with a TypeError naming the field', async () => {
    await expect(ensureScope('photos' as never)).rejects.toThrow(/ensureScope: `scope`/)
    await expect(ensureScope('scope.record', { confirmText: '去系统设置页面' })).rejects.toThrow(
      /`options.confirmText` must be a string of at most 4 characters/,
    )
    await expect(ensureScope('scope.record', { explain: 1 as never })).rejects.toThrow(
      /`options.explain`/,
    )
    expect(fake.calls).toEqual([])
  })
})
