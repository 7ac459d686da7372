// Media: choose, preview, inspect and save images (with the album permission flow), then
// record a voice clip with record$ and play it back with playVoice.
const {
  chooseImages,
  previewImage,
  getImageInfo,
  saveImageToPhotosAlbum,
  ensureScope,
  record$,
  playVoice,
  dataBindings,
  untilDetached,
  isPermissionDeniedError,
  isWxError,
} = require('miniprogram-rx')

// Voice settings a phone records well with: mono MP3, 16 kHz, 48 kbps (about 6 KB a second).
const VOICE = { format: 'mp3', sampleRate: 16000, numberOfChannels: 1, encodeBitRate: 48000 }
const MAX_MS = 60000

const kb = (bytes) => (bytes / 1024).toFixed(1) + ' KB'
const seconds = (ms) => (ms / 1000).toFixed(1) + ' s'

// What each refusal stage means to the user, and what to do next.
const REFUSED = {
  authorize: 'You said no to saving photos. Tap Save again to turn it on in Settings.',
  modal: 'Saving needs the album permission.',
  setting: 'The album permission is still off in Settings.',
}

function describeError(error) {
  if (isPermissionDeniedError(error)) return REFUSED[error.stage] || error.message
  if (isWxError(error) && /cancel/.test(error.errMsg)) return 'Cancelled'
  if (isWxError(error)) return error.errMsg
  return (error && error.message) || String(error)
}

Component({
  behaviors: [dataBindings()],
  data: {
    images: [],
    picking: false,
    imageError: '',
    saveStatus: '',
    saveError: '',
    saved: 0,
    refusals: 0,
    recState: 'idle',
    elapsed: '0.0 s',
    recError: '',
    voice: null,
    playState: 'idle',
    plays: 0,
  },
  lifetimes: {
    detached() {
      this.gone = true
      this.stopTicker() // the recording ends with the page (untilDetached): no file is kept
      if (this.playback) this.playback.stop()
    },
  },
  methods: {
    // ---- images ------------------------------------------------------------------------
    async choose() {
      this.setData({ picking: true, imageError: '', saveStatus: '', saveError: '' })
      try {
        const picked = await chooseImages({ count: 9, sizeType: ['original', 'compressed'] })
        // inspect every image: getImageInfo reads its real size and type
        const infos = await Promise.all(picked.map((image) => getImageInfo(image.tempFilePath)))
        if (this.gone) return
        this.setData({
          picking: false,
          images: picked.map((image, i) => ({
            path: image.tempFilePath,
            size: kb(image.size),
            bytes: image.size,
            width: infos[i].width,
            height: infos[i].height,
            type: infos[i].type,
            orientation: infos[i].orientation || 'up',
          })),
        })
      } catch (error) {
        if (!this.gone) this.setData({ picking: false, imageError: describeError(error) })
      }
    },
    async preview(event) {
      const urls = this.data.images.map((image) => image.path)
      if (!urls.length) return
      try {
        await previewImage({ urls, current: Number(event.currentTarget.dataset.index) || 0 })
      } catch (error) {
        if (!this.gone) this.setData({ imageError: describeError(error) })
      }
    },
    async save(event) {
      const image = this.data.images[Number(event.currentTarget.dataset.index) || 0]
      if (!image) return
      this.setData({ saveStatus: 'Saving…', saveError: '' })
      try {
        await saveImageToPhotosAlbum(image.path, {
          title: 'Save to your album',
          content: 'The media demo saves the picture you chose into your photo album.',
          confirmText: 'Open', // at most 4 characters
        })
        if (this.gone) return
        this.setData({
          saveStatus:
            'Saved ' + image.width + 'x' + image.height + ' ' + image.type + ' to the album',
          saved: this.data.saved + 1,
        })
      } catch (error) {
        if (this.gone) return
        this.setData({
          saveStatus: '',
          saveError: describeError(error),
          refusals: this.data.refusals + (isPermissionDeniedError(error) ? 1 : 0),
        })
      }
    },

    // ---- voice -------------------------------------------------------------------------
    async record() {
      if (this.recording) return
      this.setData({ recError: '', recState: 'starting', elapsed: '0.0 s' })
      try {
        await ensureScope('scope.record', {
          content: 'The media demo records a short voice clip and plays it back.',
        })
      } catch (error) {
        if (!this.gone) this.setData({ recState: 'idle', recError: describeError(error) })
        return
      }
      this.recordedMs = 0
      const rec = record$(Object.assign({ duration: MAX_MS }, VOICE))
      this.rec = rec
      // a page left during the permission dialog never starts the recorder
      this.recording = rec.pipe(untilDetached(this)).subscribe({
        next: (event) => {
          if (event.type === 'state') {
            this.setData({ recState: event.state })
            if (event.state === 'recording') this.startTicker()
            else this.stopTicker()
          } else if (event.type === 'file') {
            this.setData({
              elapsed: seconds(event.duration),
              voice: {
                path: event.tempFilePath,
                duration: event.duration,
                durationText: seconds(event.duration),
                fileSize: event.fileSize,
                sizeText: kb(event.fileSize),
                format: VOICE.format,
              },
            })
          }
        },
        error: (error) => this.endRecording({ recState: 'idle', recError: describeError(error) }),
        complete: () => this.endRecording({ recState: 'done' }),
      })
    },
    pauseRecording() {
      if (!this.rec) return
      const rec = this.rec
      const paused = this.data.recState === 'paused'
      const verb = paused ? rec.resume() : rec.pause()
      verb.catch((error) => {
        if (!this.gone) this.setData({ recError: describeError(error) })
      })
    },
    stopRecording() {
      if (!this.rec) return
      this.rec.stop().catch((error) => {
        if (!this.gone) this.setData({ recError: describeError(error) })
      })
    },
    endRecording(data) {
      this.stopTicker()
      this.rec = null
      this.recording = null
      if (!this.gone) this.setData(data)
    },
    // A live clock while recording: time spent recording, pauses excluded.
    startTicker() {
      this.stopTicker()
      this.segmentStart = Date.now()
      this.ticker = setInterval(() => {
        const ms = this.recordedMs + Date.now() - this.segmentStart
        this.setData({ elapsed: seconds(ms) })
      }, 100)
    },
    stopTicker() {
      if (!this.ticker) return
      clearInterval(this.ticker)
      this.ticker = null
      this.recordedMs += Date.now() - this.segmentStart
    },
    async play() {
      const voice = this.data.voice
      if (!voice) return
      if (this.playback) this.playback.stop()
      const playback = playVoice(voice.path)
      this.playback = playback
      this.setData({ playState: 'playing', recError: '' })
      try {
        const how = await playback
        if (this.gone || this.playback !== playback) return
        this.setData({ playState: how, plays: this.data.plays + (how === 'ended' ? 1 : 0) })
      } catch (error) {
        if (!this.gone) this.setData({ playState: 'idle', recError: describeError(error) })
      } finally {
        if (this.playback === playback) this.playback = null
      }
    },
    stopPlaying() {
      if (this.playback) this.playback.stop()
    },
  },
})
