// The default pool behind request$/upload$/download$ and their promise twins, and the
// guarantee that bad input never throws at the call site and always settles with an Error.
import fc from 'fast-check'
import {
  createRequestPool,
  download$,
  downloadFile,
  getDefaultRequestPool,
  request,
  request$,
  setDefaultRequestPool,
  upload$,
  uploadFile,
} from 'miniprogram-rx'
import { lastValueFrom, toArray } from 'rxjs'
import { createPoolFakeWx, flush, type PoolFakeWx } from './pool-fake-wx'

let fake: PoolFakeWx
let restore: () => void

beforeEach(() => {
  fake = createPoolFakeWx()
  fake.onTransfer = (t) => t.respond(200, 'body')
  restore = fake.install()
})

afterEach(async () => {
  await getDefaultRequestPool().onIdle()
  await flush()
  expect(fake.networkListeners()).toBe(0)
  restore()
})

describe('the default pool', () => {
  it('is made on first use, without touching wx at import', () => {
    jest.isolateModules(() => {
      const before = fake.transfers.length
      const api = require('../../src/index') as typeof import('../../src/index')
      expect(fake.transfers.length).toBe(before)
      expect(fake.networkListeners()).toBe(0)
      const pool = api.getDefaultRequestPool()
      expect(api.getDefaultRequestPool()).toBe(pool)
      expect(pool.concurrency).toBe(5)
    })
  })

  it('serves request, uploadFile and downloadFile and their Observable forms', async () => {
    const pool = createRequestPool()
    setDefaultRequestPool(pool)
    expect(getDefaultRequestPool()).toBe(pool)
    const url = 'https://api.test/x'
    expect((await request({ url })).data).toBe('body')
    expect((await lastValueFrom(request$({ url }))).statusCode).toBe(200)
    const up = await uploadFile({ url, filePath: 'wxfile://tmp_1', name: 'f' })
    expect(up.data).toBe('body')
    const down = await downloadFile({ url })
    expect(down.tempFilePath).toBe('wxfile://tmp_body')
    const upEvents = await lastValueFrom(
      upload$({ url, filePath: 'wxfile://tmp_1', name: 'f' }).pipe(toArray()),
    )
    // This wx answers inside the call, before a task listener can attach: only the result.
    expect(upEvents.map((e) => e.type)).toEqual(['result'])
    const downEvents = await lastValueFrom(download$({ url }).pipe(toArray()))
    expect(downEvents[downEvents.length - 1]).toMatchObject({ type: 'result', statusCode: 200 })
    expect(pool.getStats().done).toBe(6)
    expect(fake.transfers.map((t) => t.api)).toEqual([
      'request',
      'request',
      'uploadFile',
      'downloadFile',
      'uploadFile',
      'downloadFile',
    ])
  })

  it('refuses something that is not a pool', () => {
    expect(() => setDefaultRequestPool({} as never)).toThrow(
      /setDefaultRequestPool: `pool` must be a pool from createRequestPool/,
    )
  })

  it('refuses http:// by default', async () => {
    setDefaultRequestPool(createRequestPool())
    await expect(request({ url: 'http://api.test/' })).rejects.toThrow(/must be https:\/\//)
    expect(fake.transfers).toHaveLength(0)
  })

  it('abort() after settling does nothing', async () => {
    setDefaultRequestPool(createRequestPool())
    const call = request({ url: 'https://api.test/' })
    await call
    expect(() => call.abort()).not.toThrow()
    expect(getDefaultRequestPool().getStats().cancelled).toBe(0)
  })
})

describe('any input', () => {
  const anyOptions = fc.oneof(
    fc.anything(),
    fc.record(
      {
        url: fc.oneof(fc.constant('https://api.test/p'), fc.constant('/rel'), fc.anything()),
        method: fc.oneof(fc.constantFrom('GET', 'post', 'FETCH', ''), fc.anything()),
        timeout: fc.oneof(fc.double(), fc.anything()),
        priority: fc.oneof(fc.integer(), fc.anything()),
        header: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.anything()),
        retry: fc.anything(),
        validateStatus: fc.anything(),
        filePath: fc.anything(),
        name: fc.anything(),
      },
      { requiredKeys: [] },
    ),
  )

  it('never throws at the call site and always settles, rejecting only with Errors', async () => {
    setDefaultRequestPool(createRequestPool())
    await fc.assert(
      fc.asyncProperty(
        anyOptions,
        fc.constantFrom('request', 'uploadFile', 'downloadFile'),
        async (options, api) => {
          const call = (
            api === 'request' ? request : api === 'uploadFile' ? uploadFile : downloadFile
          ) as (o: unknown) => Promise<unknown>
          let promise!: Promise<unknown>
          expect(() => (promise = call(options))).not.toThrow()
          const outcome = await promise.then(
            () => undefined,
            (error: unknown) => error,
          )
          if (outcome !== undefined) expect(outcome).toBeInstanceOf(Error)
          const observable = (
            api === 'request' ? request$ : api === 'uploadFile' ? upload$ : download$
          ) as (o: unknown) => ReturnType<typeof request$>
          const errors: unknown[] = []
          expect(() =>
            observable(options).subscribe({ error: (e) => errors.push(e) }),
          ).not.toThrow()
          await getDefaultRequestPool().onIdle()
          for (const e of errors) expect(e).toBeInstanceOf(Error)
        },
      ),
      { numRuns: 300 },
    )
  })
})
