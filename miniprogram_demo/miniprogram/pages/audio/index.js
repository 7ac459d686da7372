// Background audio: the backgroundAudio store driving the system player. Play a small queue
// from the demo server, pause, resume, stop, seek with a slider, next/previous, and watch the
// live position. Leaving the page keeps the music playing (it is background audio); only the
// page's subscription ends.
const {
  backgroundAudio,
  dataBindings,
  untilDetached,
  isAbortError,
  isWxError,
} = require('miniprogram-rx')
const config = require('../../config')

// The demo server makes MP3s of any length (`?seconds=`), so each track is distinct.
const TRACKS = [
  { seconds: 10, title: 'Quiet Start', singer: 'miniprogram-rx' },
  { seconds: 12, title: 'Still Waters', singer: 'miniprogram-rx' },
  { seconds: 8, title: 'Empty Room', singer: 'miniprogram-rx' },
]

function tracksFor(server) {
  return TRACKS.map((t, i) => ({
    src: server + '/files/track.mp3?seconds=' + t.seconds,
    title: t.title,
    singer: t.singer,
    epname: 'Demo tracks',
    coverImgUrl: server + '/files/image.png?w=' + (240 + i * 20) + '&h=240',
    seconds: t.seconds,
  }))
}

const clock = (s) => {
  const whole = Math.max(0, Math.floor(s || 0))
  return Math.floor(whole / 60) + ':' + ('0' + (whole % 60)).slice(-2)
}

const BADGE = { playing: 'ok', waiting: 'warn', paused: 'warn', error: 'error' }

Component({
  behaviors: [dataBindings()],
  data: {
    tracks: [],
    current: -1,
    status: 'idle',
    badge: '',
    title: '',
    singer: '',
    coverImgUrl: '',
    position: 0,
    duration: 0,
    positionText: '0:00',
    durationText: '0:00',
    sliderValue: 0,
    dragging: false,
    history: [],
    error: '',
  },
  lifetimes: {
    attached() {
      this.setData({ tracks: tracksFor(config.serverUrl()) })
      // ended with the page; the music goes on: it is background audio
      backgroundAudio.state$.pipe(untilDetached(this)).subscribe((state) => this.show(state))
    },
    detached() {
      this.gone = true
    },
  },
  methods: {
    show(state) {
      const queue = backgroundAudio.getQueue()
      const data = {
        status: state.status,
        badge: BADGE[state.status] || '',
        title: state.title,
        singer: state.singer,
        coverImgUrl: state.coverImgUrl,
        position: state.position,
        duration: state.duration,
        positionText: clock(state.position),
        durationText: clock(state.duration),
        current: queue.tracks.length ? queue.index : -1,
        error: state.error ? state.error.errMsg : '',
      }
      // a user dragging the seek bar keeps their thumb where it is
      if (!this.data.dragging) data.sliderValue = Math.round(state.position)
      if (state.status !== this.data.status || state.src !== this.lastSrc) {
        data.history = [
          {
            n: (this.changes = (this.changes || 0) + 1),
            status: state.status,
            title: state.title,
            at: clock(state.position),
          },
        ]
          .concat(this.data.history)
          .slice(0, 6)
        this.lastSrc = state.src
      }
      this.setData(data)
    },
    // Verbs resolve when the player confirms; a later verb makes an earlier one moot.
    act(promise) {
      return promise.catch((error) => {
        if (isAbortError(error) || this.gone) return
        this.setData({ error: isWxError(error) ? error.errMsg : error.message || String(error) })
      })
    },
    playPause() {
      const status = this.data.status
      if (status === 'playing' || status === 'waiting') return this.act(backgroundAudio.pause())
      if (status === 'paused') return this.act(backgroundAudio.resume())
      if (backgroundAudio.getQueue().tracks.length && status !== 'idle' && status !== 'error')
        return this.act(backgroundAudio.resume()) // stopped or ended: play the track again
      return this.playAt(0)
    },
    playTrack(event) {
      return this.playAt(Number(event.currentTarget.dataset.index) || 0)
    },
    playAt(index) {
      this.setData({ error: '' })
      const tracks = this.data.tracks.map((t) => ({
        src: t.src,
        title: t.title,
        singer: t.singer,
        epname: t.epname,
        coverImgUrl: t.coverImgUrl,
      }))
      return this.act(backgroundAudio.queue(tracks, index))
    },
    stop() {
      return this.act(backgroundAudio.stop())
    },
    next() {
      return this.act(backgroundAudio.next())
    },
    previous() {
      return this.act(backgroundAudio.previous())
    },
    onSeeking(event) {
      this.setData({ dragging: true, positionText: clock(event.detail.value) })
    },
    onSeek(event) {
      this.setData({ dragging: false, sliderValue: event.detail.value })
      return this.act(backgroundAudio.seek(event.detail.value))
    },
  },
})
