// Bad input against every public function of the SDK (every value export of src/index.ts and
// the methods of the objects they return), on the Node host with the network off. For each
// call with arbitrary arguments:
// - a function that returns a Promise or an Observable never throws synchronously, always
//   settles (bounded by fake time) and fails only with an Error;
// - a synchronous function (a factory, a conversion) either returns or throws a TypeError
//   whose message names it;
// and after all of it no wx listener, timer or socket is left over.
import fc from 'fast-check'
import { isObservable, type Observable } from 'rxjs'
import * as sdk from '../../src/index'
import { badValue, expectSettles, fuzzParameters, useFuzzHost } from './fuzz-helpers'

type AnyFunction = (...args: unknown[]) => unknown

// Value exports that are not functions to call with arbitrary input.
const NOT_CALLED = new Set([
  'wxp', // every member is fuzzed in wxp.fuzz.test.ts
  'TYPINGS_VERSION',
  'networkStatus$',
  'isOnline$',
  'backgroundAudio',
  'fs',
  'configure', // would swap the host under every later call: fuzzed in configure.test.ts
])
const isClass = (fn: AnyFunction) =>
  /^class\b/.test(Function.prototype.toString.call(fn)) || /Error$/.test(fn.name)

const exported = Object.entries(sdk as Record<string, unknown>)
const functions = exported.filter(
  ([name, value]) =>
    typeof value === 'function' && !NOT_CALLED.has(name) && !isClass(value as AnyFunction),
) as [string, AnyFunction][]

// The public methods of the objects the SDK hands out (their types' members; an object may
// have more functions at run time, such as a class's internals, which are not API).
const PUBLIC_METHODS: Record<string, string[]> = {
  backgroundAudio: [
    'play',
    'pause',
    'resume',
    'stop',
    'seek',
    'queue',
    'next',
    'previous',
    'getState',
    'getQueue',
    'configure',
  ],
  pool: [
    'request',
    'request$',
    'uploadFile',
    'upload$',
    'downloadFile',
    'download$',
    'onIdle',
    'getStats',
  ],
  socket: ['send', 'connect', 'close'],
  storageItem: ['get', 'set', 'remove'],
  player: [
    'play',
    'pause',
    'resume',
    'stop',
    'seek',
    'queue',
    'next',
    'previous',
    'getState',
    'dispose',
  ],
}

function methodsOf(name: string, target: unknown): [string, AnyFunction][] {
  const record = target as Record<string, unknown>
  const keys = PUBLIC_METHODS[name] ?? Object.keys(record) // fs: every member is a method
  return keys
    .filter((key) => typeof record[key] === 'function')
    .map((key) => [name + '.' + key, (record[key] as AnyFunction).bind(target)])
}

async function checkCall(name: string, fn: AnyFunction, args: unknown[]): Promise<void> {
  let result: unknown
  try {
    result = fn(...args)
  } catch (error) {
    // only synchronous APIs may throw, and only a TypeError that names them
    const short = (name.split('.').pop() as string).replace(/\$/g, '\\$')
    const message = error instanceof Error ? error.message : String(error)
    if (
      !(error instanceof TypeError) ||
      !new RegExp(short + '|' + name.split('.')[0]).test(message)
    ) {
      throw Object.assign(
        new Error(
          name + ' threw ' + (error instanceof Error ? error.name : typeof error) + ': ' + message,
        ),
        { cause: error },
      )
    }
    return
  }
  if (
    result instanceof Promise ||
    (result && typeof (result as Promise<unknown>).then === 'function')
  ) {
    const outcome = await expectSettles(result as Promise<unknown>)
    if (outcome.status === 'rejected' && !(outcome.reason instanceof Error)) {
      throw new Error(name + ' rejected with a non-Error: ' + String(outcome.reason))
    }
  } else if (isObservable(result)) {
    let failure: unknown
    const subscription = (result as Observable<unknown>).subscribe({ error: (e) => (failure = e) })
    await expectSettles(Promise.resolve(), 1)
    subscription.unsubscribe()
    if (failure !== undefined && !(failure instanceof Error)) {
      throw new Error(name + ' errored with a non-Error: ' + String(failure))
    }
  }
}

describe('every public function under arbitrary input', () => {
  const host = useFuzzHost({ network: { isConnected: false, networkType: 'none' } })

  it('finds the public functions to try', () => {
    const names = functions.map(([n]) => n)
    expect(names).toEqual(
      expect.arrayContaining([
        'request',
        'request$',
        'createRequestPool',
        'createSocket',
        'storageItem',
        'location$',
        'record$',
        'chooseImages',
        'ensureScope',
        'makePhoneCall',
        'saveFile',
        'wgs84ToGcj02',
        'fromWxEvent',
        'promisifyAll',
      ]),
    )
  })

  it.each(functions)(
    '%s: settles or throws a TypeError naming it, never anything else',
    async (name, fn) => {
      await fc.assert(
        fc.asyncProperty(fc.array(badValue(), { maxLength: 3 }), async (args) => {
          await checkCall(name, fn, args)
        }),
        fuzzParameters(40, 424242),
      )
    },
  )

  it('the methods of the stores and of what the factories return behave the same', async () => {
    const targets: [string, unknown][] = [
      ['backgroundAudio', sdk.backgroundAudio],
      ['fs', sdk.fs],
      ['pool', sdk.createRequestPool({ allowInsecure: true })],
      ['socket', sdk.createSocket({ url: 'wss://example.invalid/ws', reconnect: false })],
      ['storageItem', sdk.storageItem('fuzz', { defaultValue: 1 })],
      ['player', sdk.createAudioPlayer()],
    ]
    const methods = targets.flatMap(([name, target]) => methodsOf(name, target))
    expect(methods.length).toBeGreaterThan(20)
    const failures: string[] = []
    for (const [name, fn] of methods) {
      if (/\.(dispose|close|destroy)$/.test(name)) continue // tried last, below
      await fc
        .assert(
          fc.asyncProperty(fc.array(badValue(), { maxLength: 2 }), async (args) => {
            await checkCall(name, fn, args)
          }),
          fuzzParameters(15, 99),
        )
        .catch((e: Error) => failures.push(e.message))
    }
    expect(failures).toEqual([])
    for (const [name, fn] of methods)
      if (/\.(dispose|close|destroy)$/.test(name)) await checkCall(name, fn, [])
  })

  it('leaves no wx listener, timer or socket behind', async () => {
    await jest.advanceTimersByTimeAsync(120_000)
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
    // the background audio manager and the recorder manager have no off*: the one set of
    // listeners the SDK gives each stays by design (it is shared, never added per call)
    const left = Object.entries(host().listeners()).filter(
      ([event]) => !/^(BackgroundAudioManager|RecorderManager)\./.test(event),
    )
    expect(left).toEqual([])
    expect(host().socket.openCount).toBe(0)
    expect(jest.getTimerCount()).toBe(0)
  })
})
