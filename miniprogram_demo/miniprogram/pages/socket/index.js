// Socket: an echo chat over createSocket. The badge follows state$; when the connection drops
// (stop the demo server and start it again) the socket reconnects by itself, and what you send
// meanwhile waits in its buffer and goes out, in order, once it is open again.
//
// Reconnect timing: first attempt after `reconnectMs` (a page option, 1000 by default, e.g.
// pages/socket/index?reconnectMs=300), then x1.3 per attempt up to 10 s.
const { createSocket, dataBindings, untilDetached, isWxError } = require('miniprogram-rx')
const config = require('../../config')

const BADGE = {
  idle: '',
  connecting: 'warn',
  open: 'ok',
  reconnecting: 'warn',
  closing: 'warn',
  closed: 'error',
}
const KEEP = 50 // chat lines shown

const clock = (t) => {
  const d = new Date(t)
  const two = (n) => ('0' + n).slice(-2)
  return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds())
}

function describeError(error) {
  if (isWxError(error)) return error.errMsg
  return (error && error.message) || String(error)
}

Component({
  behaviors: [dataBindings()],
  properties: {
    reconnectMs: { type: Number, value: 1000 },
  },
  data: {
    url: '',
    state: 'idle',
    badge: '',
    text: 'Hello from miniprogram-rx',
    lines: [],
    sent: 0,
    echoed: 0,
    buffered: 0,
    drops: 0,
    reconnects: 0,
    attempts: 0,
    lastReconnect: '',
    history: [],
    error: '',
  },
  lifetimes: {
    attached() {
      const url = config.wsUrl()
      this.nextId = 1
      this.dropped = false
      this.socket = createSocket({
        url,
        json: true, // send objects, receive objects
        reconnect: { initial: this.data.reconnectMs, factor: 1.3, max: 10000 },
      })
      this.setData({ url })
      // both end with the page (untilDetached): the last unsubscribe closes the socket
      this.socket.state$.pipe(untilDetached(this)).subscribe((state) => this.onState(state))
      this.listen()
    },
  },
  methods: {
    listen() {
      if (this.messagesSub && !this.messagesSub.closed) return
      this.setData({ error: '' })
      this.messagesSub = this.socket.messages$.pipe(untilDetached(this)).subscribe({
        next: (message) => this.onMessage(message),
        // the socket gave up (reconnect limit, too many sockets, ...): say so; Connect retries
        error: (error) => this.setData({ error: describeError(error) }),
      })
    },
    onState(state) {
      const previous = this.data.state
      const update = { state, badge: BADGE[state], buffered: this.socket.buffered }
      if (state === 'reconnecting' && previous === 'open') {
        this.dropped = true
        update.drops = this.data.drops + 1
        update.attempts = 0
      } else if (state === 'connecting' && this.dropped) {
        update.attempts = this.data.attempts + 1
      } else if (state === 'open') {
        if (this.dropped) {
          this.dropped = false
          update.reconnects = this.data.reconnects + 1
          const n = this.data.attempts
          update.lastReconnect =
            'Reconnected at ' +
            clock(Date.now()) +
            ' after ' +
            n +
            (n === 1 ? ' attempt' : ' attempts')
        }
        // the buffer is flushed right after this: what waited is on its way
        update.lines = this.data.lines.map((line) =>
          line.status === 'waiting' ? Object.assign({}, line, { status: 'sent' }) : line,
        )
      } else if (state === 'closed') {
        this.dropped = false
      }
      update.history = [{ n: Date.now() + Math.random(), state, at: clock(Date.now()) }]
        .concat(this.data.history)
        .slice(0, 8)
      this.setData(update)
    },
    onMessage(message) {
      const lines = this.data.lines
      const index = message && typeof message.id === 'number' ? this.indexOf(message.id) : -1
      if (index < 0) {
        // not one of ours (or scrolled away): show it as the server's
        this.push({
          id: 'in-' + Date.now() + Math.random(),
          text: JSON.stringify(message),
          status: 'in',
        })
        return
      }
      this.setData({
        ['lines[' + index + '].status']: 'echoed',
        ['lines[' + index + '].rtt']: Date.now() - lines[index].at + ' ms',
        echoed: this.data.echoed + 1,
        buffered: this.socket.buffered,
      })
    },
    indexOf(id) {
      const lines = this.data.lines
      for (let i = 0; i < lines.length; i++) if (lines[i].id === id) return i
      return -1
    },
    push(line) {
      this.setData({ lines: this.data.lines.concat(line).slice(-KEEP) })
    },
    onInput(event) {
      this.setData({ text: event.detail.value })
    },
    send() {
      const text = this.data.text.trim()
      if (text) this.sendText(text)
    },
    sendFive() {
      for (let i = 1; i <= 5; i++) this.sendText('Message ' + this.nextId + ' (' + i + ' of 5)')
    },
    sendText(text) {
      const message = { id: this.nextId++, text, at: Date.now() }
      try {
        // at once when open; otherwise kept in the socket's buffer until it is
        this.socket.send(message)
      } catch (error) {
        // the buffer is full (bufferLimit): nothing is dropped silently
        this.setData({ error: describeError(error) })
        return
      }
      this.push({
        id: message.id,
        text,
        at: message.at,
        status: this.socket.state === 'open' ? 'sent' : 'waiting',
        rtt: '',
      })
      this.setData({ sent: this.data.sent + 1, buffered: this.socket.buffered, error: '' })
    },
    disconnect() {
      this.socket.close(1000, 'bye') // messages$ completes; no reconnect
    },
    connect() {
      this.listen()
    },
  },
})
