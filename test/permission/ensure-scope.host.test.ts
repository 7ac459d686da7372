// ensureScope through the Node wx host's getSetting/authorize/showModal/openSetting.
import { ensureScope } from '../../src/permission/ensure-scope'
import { PermissionDeniedError } from '../../src/permission/permission-denied-error'
import { useLeakCheckedHost } from '../media/leaks'

const host = useLeakCheckedHost()

describe('ensureScope on the host', () => {
  it('resolves without a prompt for a granted scope', async () => {
    host().device.setAuth('scope.userLocation', true)
    await ensureScope('scope.userLocation')
    expect(host().device.prompts()).toEqual([])
    expect(host().calls.map((c) => c.api)).toEqual(['getSetting'])
  })

  it('shows the system prompt once for a scope never asked, and remembers the answer', async () => {
    host().device.answerNextAuthorize(true)
    await ensureScope('scope.record')
    await ensureScope('scope.record')
    expect(host().device.prompts()).toHaveLength(1)
    expect(host().device.authSetting()).toEqual({ 'scope.record': true })
  })

  it('turns a refusal into PermissionDeniedError, then explains and opens the settings next time', async () => {
    host().device.answerNextAuthorize(false)
    const error = await ensureScope('scope.camera').catch((e) => e)
    expect(error).toBeInstanceOf(PermissionDeniedError)
    expect(error).toMatchObject({ scope: 'scope.camera', stage: 'authorize' })
    expect(error.message).toMatch(/^authorize:fail auth deny/)
    expect(host().device.modals()).toEqual([])

    host().device.answerNextModal('confirm')
    host().device.answerOpenSetting({ 'scope.camera': true })
    await ensureScope('scope.camera', { title: '需要摄像头', confirmText: '打开' })
    expect(host().device.modals()).toEqual([
      expect.objectContaining({
        title: '需要摄像头',
        confirmText: '打开',
        content: expect.stringContaining('摄像头'),
      }),
    ])
    expect(host().device.authSetting()['scope.camera']).toBe(true)
    // no second system prompt: a refused scope is never asked again by WeChat
    expect(host().device.prompts()).toHaveLength(1)
  })

  it('rejects with stage setting when the user leaves the settings page without turning it on', async () => {
    host().device.setAuth('scope.bluetooth', false)
    host().device.answerNextModal('confirm')
    const error = await ensureScope('scope.bluetooth').catch((e) => e)
    expect(error).toMatchObject({
      name: 'PermissionDeniedError',
      stage: 'setting',
      api: 'openSetting',
    })
  })
})
