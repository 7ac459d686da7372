import { TimeoutError, WxError } from '../../src/core/errors'
import { playVoice } from '../../src/media/voice'
import { flush, type FakeMediaWx } from './fake-media-wx'
import { useLeakCheckedFake } from './leaks'

const installFake = useLeakCheckedFake()
let fake: FakeMediaWx

describe('playVoice', () => {
  it('plays through a temporary inner audio context and resolves ended', async () => {
    fake = installFake()
    const p = playVoice('wxfile://tmp_1.wav')
    expect(fake.calls).toEqual(['Inner1.src=wxfile://tmp_1.wav', 'Inner1.play'])
    fake.contexts[0].duration = 4
    fake.emit('Inner1.Play')
    fake.emit('Inner1.Ended')
    expect(await p).toBe('ended')
    expect(fake.contexts[0].destroyed).toBe(true)
    expect(fake.count()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('stops after `duration` seconds and on stop(), and one voice stops the previous', async () => {
    fake = installFake()
    const first = playVoice('wxfile://tmp_1.wav', { duration: 2 })
    fake.emit('Inner1.Play')
    jest.advanceTimersByTime(2000)
    expect(await first).toBe('ended')
    expect(fake.calls).toContain('Inner1.stop')

    const second = playVoice('wxfile://tmp_2.wav')
    const third = playVoice('wxfile://tmp_3.wav')
    expect(await second).toBe('stopped')
    third.stop()
    expect(await third).toBe('stopped')
    expect(fake.count()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('rejects with the player error, and with TimeoutError when it never plays', async () => {
    fake = installFake()
    const failed = playVoice('wxfile://tmp_1.wav').catch((e) => e)
    fake.emit('Inner1.Error', { errCode: 10003, errMsg: 'file error' })
    expect(await failed).toBeInstanceOf(WxError)
    const silent = playVoice('wxfile://tmp_2.wav', { timeout: 1000 }).catch((e) => e)
    jest.advanceTimersByTime(1000)
    const error = await silent
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error.message).toMatch(/^playVoice:fail timeout/)
    expect(fake.count()).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('uses wx.playVoice on the legacy API, which succeeds at the end', async () => {
    fake = installFake({ inner: false })
    expect(await playVoice('wxfile://tmp_1.silk', { duration: 5 })).toBe('ended')
    expect(fake.options.playVoice[0]).toMatchObject({
      filePath: 'wxfile://tmp_1.silk',
      duration: 5,
    })
    fake.answer('playVoice', () => 'never')
    const p = playVoice('wxfile://tmp_2.silk')
    p.stop()
    expect(await p).toBe('stopped')
    await flush()
    expect(fake.calls).toContain('stopVoice')
    const silent = playVoice('wxfile://tmp_3.silk', { duration: 1 }).catch((e) => e)
    jest.advanceTimersByTime(11000)
    expect(await silent).toBeInstanceOf(TimeoutError)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('rejects bad input with a TypeError naming the field', async () => {
    fake = installFake()
    await expect(playVoice('')).rejects.toThrow(/playVoice: `filePath`/)
    await expect(playVoice('a', { duration: -1 })).rejects.toThrow(/`options.duration`/)
    await expect(playVoice('a', 3 as never)).rejects.toThrow(/`options`/)
    expect(fake.calls).toEqual([])
  })
})
