// Real servers on 127.0.0.1, port 0, for integration tests. Each test file starts its own and
// closes it in afterAll; `close()` also destroys open connections so jest exits cleanly.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

/** A running HTTP server and what it saw. */
export interface TestHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly server: Server
  /** Requests being handled right now. */
  readonly inFlight: number
  /** The largest `inFlight` seen since start (or `resetStats()`). */
  readonly maxInFlight: number
  /** Requests received since start (or `resetStats()`). */
  readonly received: number
  resetStats(): void
  close(): Promise<void>
}

/** Starts an HTTP server on 127.0.0.1 with `handler`, counting requests in flight. */
export async function startHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestHttpServer> {
  let inFlight = 0
  let maxInFlight = 0
  let received = 0
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    inFlight += 1
    received += 1
    maxInFlight = Math.max(maxInFlight, inFlight)
    let done = false
    const finish = () => {
      if (!done) {
        done = true
        inFlight -= 1
      }
    }
    res.on('finish', finish)
    res.on('close', finish)
    handler(req, res)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: 'http://127.0.0.1:' + port,
    server,
    get inFlight() {
      return inFlight
    },
    get maxInFlight() {
      return maxInFlight
    },
    get received() {
      return received
    },
    resetStats() {
      maxInFlight = inFlight
      received = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A running WebSocket server and its connections. */
export interface TestWsServer {
  /** `ws://127.0.0.1:<port>` */
  readonly url: string
  readonly wss: WebSocketServer
  /** Connections currently open. */
  readonly clients: Set<WebSocket>
  close(): Promise<void>
}

/** Starts a `ws` server on 127.0.0.1; `onConnection` gets each new client. */
export async function startWsServer(
  onConnection: (socket: WebSocket, req: IncomingMessage) => void = (socket) =>
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })),
): Promise<TestWsServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  wss.on('connection', onConnection)
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  const { port } = wss.address() as AddressInfo
  return {
    url: 'ws://127.0.0.1:' + port,
    wss,
    clients: wss.clients,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
}

/** Reads a request body into a Buffer. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}
