import { AbortError, WxError } from '../../src/core/errors'
import { invoke } from '../../src/core/promisify'
import { createFakeWx } from '../helpers/fake-wx'

describe('invoke (the promisify behind wxp)', () => {
  let restore: () => void
  afterEach(() => restore?.())

  it('resolves with what success received', async () => {
    const fake = createFakeWx({
      getLocation: (o) => o.success?.({ errMsg: 'getLocation:ok', latitude: 1, longitude: 2 }),
    })
    restore = fake.install()
    await expect(invoke('getLocation', { type: 'gcj02' })).resolves.toEqual({
      errMsg: 'getLocation:ok',
      latitude: 1,
      longitude: 2,
    })
  })

  it('rejects with a WxError carrying errMsg, errno and the raw result', async () => {
    const raw = { errMsg: 'getLocation:fail auth deny', errno: 103 }
    restore = createFakeWx({ getLocation: (o) => o.fail?.(raw) }).install()
    const error = await invoke('getLocation').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WxError)
    expect(error).toMatchObject({ api: 'getLocation', errMsg: raw.errMsg, errno: 103, cause: raw })
  })

  it('never mutates the caller options and still calls their callbacks after settling', async () => {
    const order: string[] = []
    const fake = createFakeWx({
      showToast: (o) => {
        o.success?.({ errMsg: 'showToast:ok' })
        o.complete?.({ errMsg: 'showToast:ok' })
      },
    })
    restore = fake.install()
    const options = Object.freeze({
      title: 'hi',
      success: () => order.push('success'),
      complete: () => order.push('complete'),
    })
    const result = await invoke('showToast', options)
    expect(result).toEqual({ errMsg: 'showToast:ok' })
    expect(order).toEqual(['success', 'complete'])
    expect(Object.keys(options)).toEqual(['title', 'success', 'complete'])
    expect(fake.calls[0].options).not.toBe(options)
    expect(fake.calls[0].options.title).toBe('hi')
  })

  it('works with no options at all', async () => {
    const fake = createFakeWx()
    restore = fake.install()
    await expect(invoke('getNetworkType')).resolves.toMatchObject({ errMsg: 'getNetworkType:ok' })
    expect(typeof fake.calls[0].options.success).toBe('function')
  })

  it('rejects "not supported" when the base library lacks the API', async () => {
    restore = createFakeWx().install()
    const error = await invoke('someFutureApi').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WxError)
    expect((error as WxError).errMsg).toBe('someFutureApi:fail not supported')
  })

  it('rejects "not supported" when there is no global wx', async () => {
    const g = globalThis as { wx?: unknown }
    expect(g.wx).toBeUndefined()
    await expect(invoke('request', {})).rejects.toThrow('request:fail not supported')
  })

  it('rejects non-object options with a TypeError naming the API and the field', async () => {
    restore = createFakeWx().install()
    for (const bad of [42, 'x', true, [1]]) {
      const error = await invoke('getStorage', bad).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TypeError)
      expect((error as Error).message).toMatch(/^getStorage: `options` must be an object, got /)
    }
  })

  it('turns a synchronous throw from wx into a rejection', async () => {
    restore = createFakeWx({
      makePhoneCall: () => {
        throw new Error('invalid phoneNumber')
      },
    }).install()
    const p = invoke('makePhoneCall', { phoneNumber: '' })
    await expect(p).rejects.toMatchObject({ errMsg: 'makePhoneCall:fail invalid phoneNumber' })
  })

  it('exposes the returned task synchronously on the promise', async () => {
    let success: ((r: unknown) => void) | undefined
    const task = { abort: jest.fn(), onProgressUpdate: jest.fn() }
    restore = createFakeWx({
      downloadFile: (o) => {
        success = o.success
        return task
      },
    }).install()
    const p = invoke('downloadFile', { url: 'https://x/y' })
    expect(p.task).toBe(task)
    success?.({ errMsg: 'downloadFile:ok', tempFilePath: 'wxfile://tmp_1' })
    await expect(p).resolves.toMatchObject({ tempFilePath: 'wxfile://tmp_1' })
  })

  it('an aborted task rejects with AbortError', async () => {
    restore = createFakeWx({
      request: (o) => ({ abort: () => o.fail?.({ errMsg: 'request:fail abort' }) }),
    }).install()
    const p = invoke('request', { url: 'https://x' }) as Promise<unknown> & {
      task: { abort(): void }
    }
    p.task.abort()
    await expect(p).rejects.toBeInstanceOf(AbortError)
  })

  it('does not put a returned promise on `task`', () => {
    restore = createFakeWx({ getSetting: () => Promise.resolve({}) }).install()
    const p = invoke('getSetting', {})
    expect('task' in p).toBe(false)
    p.catch(() => undefined)
  })

  it('settles once even if wx calls back twice', async () => {
    restore = createFakeWx({
      getSystemInfo: (o) => {
        o.success?.({ errMsg: 'getSystemInfo:ok', n: 1 })
        o.fail?.({ errMsg: 'getSystemInfo:fail late' })
        o.success?.({ errMsg: 'getSystemInfo:ok', n: 2 })
      },
    }).install()
    await expect(invoke('getSystemInfo')).resolves.toMatchObject({ n: 1 })
  })

  it('calls a method of another object when given an owner', async () => {
    const owner = {
      readFile(o: { success: (r: unknown) => void; filePath: string }) {
        o.success({ errMsg: 'readFile:ok', data: 'from ' + o.filePath, self: this })
      },
    }
    const result = (await invoke('readFile', { filePath: 'a' }, owner)) as {
      data: string
      self: unknown
    }
    expect(result.data).toBe('from a')
    expect(result.self).toBe(owner)
  })
})
