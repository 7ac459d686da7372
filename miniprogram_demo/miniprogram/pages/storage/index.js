// Storage: typed storage items. A counter (a number), settings (an object), a note that
// expires (ttl), each shown live through value$; then WeChat's quotas: a value over 1 MB for
// one key, and filling the 10 MB of the whole storage. A refused write changes nothing, and the
// page says so in plain words (StorageQuotaError carries the sizes).
const {
  storageItem,
  isStorageQuotaError,
  wxp,
  dataBindings,
  bindData,
  untilDetached,
} = require('miniprogram-rx')

const KB = 1024
const MB = 1024 * KB
const NOTE_TTL = 10000
const FILL = 1000 * KB // a bit under the 1 MB a key may hold
const MAX_FILLS = 12 // 10 MB / 1000 KB, and a margin

const size = (bytes) =>
  bytes >= MB
    ? (bytes / MB).toFixed(1) + ' MB'
    : bytes >= KB
      ? (bytes / KB).toFixed(1) + ' KB'
      : bytes + ' B'

// What a refused write shows.
function describeError(error) {
  if (isStorageQuotaError(error)) {
    if (error.kind === 'item') {
      return (
        'Too big for one key: ' +
        size(error.size) +
        ', and a key holds at most ' +
        size(error.limit) +
        '. Nothing was written; "' +
        error.key +
        '" keeps its old value.'
      )
    }
    return (
      'Storage is full: ' +
      size(error.size) +
      ' more would take it past ' +
      size(error.limit) +
      '. Nothing was written; remove something first.'
    )
  }
  return (error && error.message) || String(error)
}

const fillItem = (n) => storageItem('demo.fill.' + n, { defaultValue: '' })

Component({
  behaviors: [dataBindings()],
  data: {
    counter: 0,
    settings: { theme: 'light', fontSize: 16 },
    noteDraft: 'Buy oolong tea',
    note: '',
    noteStored: '',
    noteLeft: '',
    blobSize: 0,
    blobText: 'empty',
    quotaError: '',
    fills: 0,
    fillStatus: '',
    usage: { text: '', percent: 0 },
    error: '',
  },
  lifetimes: {
    attached() {
      this.counter = storageItem('demo.counter', { defaultValue: 0 })
      this.settings = storageItem('demo.settings', {
        defaultValue: { theme: 'light', fontSize: 16 },
      })
      this.note = storageItem('demo.note', { defaultValue: '', ttl: NOTE_TTL })
      this.blob = storageItem('demo.blob', { defaultValue: '' })
      // all end with the page
      bindData(this, { counter: this.counter.value$, settings: this.settings.value$ })
      this.note.value$.pipe(untilDetached(this)).subscribe((note) => this.showNote(note))
      this.blob.value$
        .pipe(untilDetached(this))
        .subscribe((blob) =>
          this.setData({ blobSize: blob.length, blobText: blob ? size(blob.length) : 'empty' }),
        )
      this.refreshUsage()
    },
    detached() {
      this.gone = true
      this.stopCountdown()
    },
  },
  methods: {
    // ---- typed items -----------------------------------------------------------------------
    increment() {
      // get and set in one chain, so quick taps never lose a count
      this.counting = (this.counting || Promise.resolve())
        .then(() => this.counter.get())
        .then((n) => this.counter.set(n + 1))
        .catch((error) => this.fail(error))
    },
    resetCounter() {
      this.counter.remove().catch((error) => this.fail(error))
    },
    toggleTheme() {
      const settings = this.data.settings
      const theme = settings.theme === 'dark' ? 'light' : 'dark'
      this.settings.set(Object.assign({}, settings, { theme })).catch((error) => this.fail(error))
    },
    biggerText() {
      const settings = this.data.settings
      const fontSize = settings.fontSize >= 24 ? 14 : settings.fontSize + 2
      this.settings
        .set(Object.assign({}, settings, { fontSize }))
        .catch((error) => this.fail(error))
    },

    // ---- a note with a time to live --------------------------------------------------------
    onNoteInput(event) {
      this.setData({ noteDraft: event.detail.value })
    },
    saveNote() {
      const text = this.data.noteDraft.trim()
      if (text) this.note.set(text).catch((error) => this.fail(error))
    },
    showNote(note) {
      // the stored form: with a ttl the value sits in an envelope with its expiry
      const raw = wx.getStorageSync('demo.note')
      const expires = raw && typeof raw === 'object' ? raw.expires : 0
      this.setData({ note, noteStored: raw === '' ? '' : JSON.stringify(raw) })
      this.stopCountdown()
      if (note && expires) {
        const tick = () =>
          this.setData({
            noteLeft: 'expires in ' + Math.max(0, Math.ceil((expires - Date.now()) / 1000)) + ' s',
          })
        tick()
        this.countdown = setInterval(tick, 1000)
      } else {
        this.setData({ noteLeft: note ? '' : 'no note (or it expired)' })
      }
    },
    stopCountdown() {
      if (this.countdown) clearInterval(this.countdown)
      this.countdown = null
    },

    // ---- quotas ----------------------------------------------------------------------------
    writeBlob(event) {
      const kb = Number(event.currentTarget.dataset.kb)
      this.setData({ quotaError: '' })
      this.blob
        .set('b'.repeat(kb * KB))
        .then(() => this.refreshUsage())
        .catch((error) => {
          if (this.gone) return
          if (isStorageQuotaError(error)) this.setData({ quotaError: describeError(error) })
          else this.fail(error)
        })
    },
    async fill() {
      if (this.filling) return
      this.filling = true
      const chunk = 'f'.repeat(FILL)
      this.setData({ fillStatus: 'Filling…', quotaError: '' })
      try {
        for (let n = this.data.fills + 1; n <= MAX_FILLS; n++) {
          await fillItem(n).set(chunk)
          if (this.gone) return
          this.setData({ fills: n })
          await this.refreshUsage()
        }
        this.setData({ fillStatus: 'Wrote ' + MAX_FILLS + ' keys and storage is still not full' })
      } catch (error) {
        if (this.gone) return
        this.setData({
          fillStatus: isStorageQuotaError(error)
            ? 'Full after ' + this.data.fills + ' keys of ' + size(FILL)
            : '',
          quotaError: describeError(error),
        })
      } finally {
        this.filling = false
      }
    },
    async clearFill() {
      try {
        for (let n = this.data.fills; n >= 1; n--) {
          await fillItem(n).remove()
          if (this.gone) return
          this.setData({ fills: n - 1 })
        }
        this.setData({ fillStatus: 'Removed', quotaError: '' })
        await this.refreshUsage()
      } catch (error) {
        this.fail(error)
      }
    },
    async refreshUsage() {
      try {
        const info = await wxp.getStorageInfo()
        if (this.gone) return
        this.setData({
          // keys left by an earlier visit count too
          fills: info.keys.filter((key) => /^demo\.fill\.\d+$/.test(key)).length,
          usage: {
            text:
              info.currentSize + ' KB of ' + info.limitSize + ' KB, ' + info.keys.length + ' keys',
            percent: Math.min(100, Math.round((info.currentSize / info.limitSize) * 100)),
          },
        })
      } catch (error) {
        this.fail(error)
      }
    },
    fail(error) {
      if (!this.gone) this.setData({ error: describeError(error) })
    },
  },
})
