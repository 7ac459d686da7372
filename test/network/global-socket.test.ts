// The legacy single global socket (wx.connectSocket without using its task, wx.sendSocketMessage,
// wx.closeSocket, wx.onSocketOpen/Message/Error/Close) through wxp and fromWxEvent, as
// docs/socket.md shows it, against a real ws server through the wx host. No helper is added
// for it: these tests are the recipe.
import { firstValueFrom, map, take, toArray } from 'rxjs'
import { createSocket, fromWxEvent, isWxError, wxp } from 'miniprogram-rx'
import { useInstalledHost } from '../helpers/installed-host'
import { startWsServer } from '../helpers/servers'
import type { TestWsServer } from '../helpers/servers'

let server: TestWsServer

beforeAll(async () => {
  server = await startWsServer()
})
afterAll(() => server.close())

const host = useInstalledHost()

const turn = () => new Promise((resolve) => setImmediate(resolve))
async function until(check: () => boolean): Promise<void> {
  while (!check()) await turn()
}

const LEGACY = ['onSocketOpen', 'onSocketMessage', 'onSocketError', 'onSocketClose'] as const

it('connects, sends, receives and closes with wxp and fromWxEvent', async () => {
  // Listen first: onSocketOpen must be registered before the socket opens.
  const opened = firstValueFrom(fromWxEvent('onSocketOpen'))
  const echoed = firstValueFrom(
    fromWxEvent('onSocketMessage').pipe(
      map((event) => event.data),
      take(2),
      toArray(),
    ),
  )
  const closed = firstValueFrom(fromWxEvent('onSocketClose'))
  await wxp.connectSocket({ url: server.url })
  await opened
  await wxp.sendSocketMessage({ data: 'one' })
  await wxp.sendSocketMessage({ data: 'two' })
  expect(await echoed).toEqual(['one', 'two'])
  await wxp.closeSocket({ code: 1000, reason: 'bye' })
  expect(await closed).toMatchObject({ code: 1000 })
  await until(() => host().socket.openCount === 0)
})

it('rejects sendSocketMessage before any socket is open with a WxError', async () => {
  const error = await wxp.sendSocketMessage({ data: 'too early' }).catch((e: unknown) => e)
  expect(isWxError(error)).toBe(true)
  expect((error as Error).message).toMatch(/^sendSocketMessage:fail/)
})

it('registers one listener per legacy event, shared, never more (wx has no offSocketX)', async () => {
  for (let i = 0; i < 3; i += 1) {
    const subs = LEGACY.map((name) => fromWxEvent(name).subscribe())
    for (const sub of subs) sub.unsubscribe()
  }
  const a = fromWxEvent('onSocketMessage').subscribe()
  const b = fromWxEvent('onSocketMessage').subscribe()
  for (const name of LEGACY) expect(host().listenerCount(name)).toBe(1)
  a.unsubscribe()
  b.unsubscribe()
  // Nothing else of wx is left listening.
  expect(host().listenerCount()).toBe(LEGACY.length)
})

it('reports the socket created last: a createSocket connection made later takes the global events', async () => {
  const legacy = fromWxEvent('onSocketMessage').pipe(map((event) => event.data))
  const seen: unknown[] = []
  const sub = legacy.subscribe((data) => seen.push(data))
  const opened = firstValueFrom(fromWxEvent('onSocketOpen'))
  await wxp.connectSocket({ url: server.url })
  await opened
  const socket = createSocket({ url: server.url })
  const got: unknown[] = []
  const rx = socket.messages$.subscribe((m) => got.push(m))
  await until(() => socket.state === 'open')
  socket.send('from createSocket')
  await until(() => got.length === 1)
  // The legacy listener hears createSocket's message: wx's global events follow the newest task.
  expect(seen).toEqual(['from createSocket'])
  // ...and so do sendSocketMessage/closeSocket: this goes to createSocket's connection.
  await wxp.sendSocketMessage({ data: 'via global' })
  await until(() => got.length === 2)
  expect(got).toEqual(['from createSocket', 'via global'])
  rx.unsubscribe()
  sub.unsubscribe()
  await until(() => socket.state === 'closed')
  // The first global socket is now out of the global API's reach: closeSocket aims at the
  // newest task (closed), while the old connection stays open.
  const error = await wxp.closeSocket({}).catch((e: unknown) => e)
  expect((error as Error).message).toMatch(/^closeSocket:fail/)
  expect(host().socket.openCount).toBe(1)
  host().socket.dropAll()
  await until(() => host().socket.openCount === 0)
})
