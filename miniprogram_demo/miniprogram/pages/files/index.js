// Files: download a PDF or an image from the demo server (or pick a photo), keep it with
// saveFile, list the saved files with their size and date, read one's info, open the PDF with
// openDocument, remove what you no longer need. A notes file in the user data folder shows the
// file system API (fs).
const {
  createRequestPool,
  saveFile,
  getSavedFileList,
  getSavedFileInfo,
  removeSavedFile,
  openDocument,
  chooseImages,
  fs,
  isWxError,
  isHttpError,
} = require('miniprogram-rx')
const config = require('../../config')

const KB = 1024
const MB = 1024 * KB
const SAVED_LIMIT = 10 * MB // what WeChat keeps in saved files per mini program

const size = (bytes) =>
  bytes >= MB
    ? (bytes / MB).toFixed(1) + ' MB'
    : bytes >= KB
      ? (bytes / KB).toFixed(1) + ' KB'
      : bytes + ' B'
const two = (n) => ('0' + n).slice(-2)
// saved files report their creation time in seconds
const date = (seconds) => {
  const d = new Date(seconds * 1000)
  return (
    d.getFullYear() +
    '-' +
    two(d.getMonth() + 1) +
    '-' +
    two(d.getDate()) +
    ' ' +
    two(d.getHours()) +
    ':' +
    two(d.getMinutes()) +
    ':' +
    two(d.getSeconds())
  )
}
const extension = (path) => {
  const match = /\.([a-z0-9]+)$/i.exec(path)
  return match ? match[1].toLowerCase() : ''
}
const baseName = (path) => path.replace(/^.*[/]/, '')

// "no such file or directory" (errno 1300002): a file that is not there yet
const isMissing = (error) => isWxError(error) && /no such file/.test(error.errMsg)

function describeError(error) {
  if (isWxError(error) && (error.errno === 1300202 || /storage limit/.test(error.errMsg))) {
    return 'Saved files are full: WeChat keeps at most ' + size(SAVED_LIMIT) + '. Remove one first.'
  }
  if (isWxError(error) && /cancel/.test(error.errMsg)) return 'Cancelled'
  if (isHttpError(error)) return 'HTTP ' + error.statusCode + ' from ' + error.request.url
  if (isWxError(error)) return error.errMsg
  return (error && error.message) || String(error)
}

Component({
  data: {
    temps: [],
    saved: [],
    savedTotal: '',
    savedPercent: 0,
    loaded: false,
    info: null,
    opened: '',
    notes: '',
    notesSize: '',
    status: '',
    error: '',
  },
  lifetimes: {
    attached() {
      this.pool = createRequestPool({
        baseURL: config.serverUrl(),
        allowInsecure: true, // the demo server speaks http://
        concurrency: 5,
      })
      this.calls = []
      this.refresh()
      this.readNotes()
    },
    detached() {
      this.gone = true
      for (const call of this.calls) call.abort()
    },
  },
  methods: {
    // ---- temporary files: downloaded or picked ---------------------------------------------
    downloadPdf() {
      this.download('/files/sample.pdf', 'sample.pdf')
    },
    downloadImage() {
      this.download('/files/image.png?w=640&h=480', 'image-640x480.png')
    },
    async download(url, name) {
      this.setData({ status: 'Downloading ' + name + '…', error: '' })
      const call = this.pool.downloadFile({ url })
      this.calls.push(call)
      try {
        const { tempFilePath } = await call
        const info = await fs.getFileInfo({ filePath: tempFilePath })
        this.addTemp(tempFilePath, name, info.size)
      } catch (error) {
        this.fail(error)
      } finally {
        this.calls.splice(this.calls.indexOf(call), 1)
      }
    },
    async pickImage() {
      this.setData({ error: '' })
      try {
        const [image] = await chooseImages({ count: 1, sizeType: ['compressed'] })
        this.addTemp(image.tempFilePath, 'photo.' + extension(image.tempFilePath), image.size)
      } catch (error) {
        this.fail(error)
      }
    },
    addTemp(path, name, bytes) {
      if (this.gone) return
      const temp = {
        path,
        name,
        type: extension(path),
        size: size(bytes),
        saved: false,
      }
      this.setData({ temps: [temp].concat(this.data.temps), status: 'Downloaded ' + name })
    },
    async save(event) {
      const index = Number(event.currentTarget.dataset.index)
      const temp = this.data.temps[index]
      if (!temp || temp.saved) return
      this.setData({ error: '' })
      try {
        // a temp file may vanish when the app closes; a saved one stays until removed
        const { savedFilePath } = await saveFile(temp.path)
        if (this.gone) return
        this.setData({
          ['temps[' + index + '].saved']: true,
          ['temps[' + index + '].savedPath']: savedFilePath,
          status: 'Saved ' + temp.name,
        })
        this.names = Object.assign({}, this.names, { [savedFilePath]: temp.name })
        await this.refresh()
      } catch (error) {
        this.fail(error)
      }
    },

    // ---- saved files -----------------------------------------------------------------------
    async refresh() {
      try {
        const { fileList } = await getSavedFileList()
        if (this.gone) return
        const names = this.names || {}
        let total = 0
        const saved = []
        for (let i = 0; i < fileList.length; i++) {
          const file = fileList[i]
          total += file.size
          saved.push({
            filePath: file.filePath,
            name: names[file.filePath] || baseName(file.filePath),
            type: extension(file.filePath),
            size: size(file.size),
            created: date(file.createTime),
            createTime: file.createTime,
          })
        }
        saved.sort((a, b) => b.createTime - a.createTime) // newest first
        this.setData({
          saved,
          loaded: true,
          savedTotal: size(total) + ' of ' + size(SAVED_LIMIT),
          savedPercent: Math.min(100, Math.round((total / SAVED_LIMIT) * 100)),
        })
      } catch (error) {
        this.fail(error)
      }
    },
    async showInfo(event) {
      const file = this.data.saved[Number(event.currentTarget.dataset.index)]
      if (!file) return
      try {
        const info = await getSavedFileInfo(file.filePath)
        if (this.gone) return
        this.setData({
          info: {
            name: file.name,
            filePath: file.filePath,
            size: info.size + ' bytes',
            created: date(info.createTime),
          },
          error: '',
        })
      } catch (error) {
        this.fail(error)
      }
    },
    async remove(event) {
      const file = this.data.saved[Number(event.currentTarget.dataset.index)]
      if (!file) return
      try {
        await removeSavedFile(file.filePath)
        if (this.gone) return
        const info =
          this.data.info && this.data.info.filePath === file.filePath ? null : this.data.info
        this.setData({ info, status: 'Removed ' + file.name, error: '' })
        await this.refresh()
      } catch (error) {
        this.fail(error)
      }
    },
    async open(event) {
      const list = event.currentTarget.dataset.list === 'saved' ? this.data.saved : this.data.temps
      const file = list[Number(event.currentTarget.dataset.index)]
      if (!file) return
      const filePath = file.savedPath || file.filePath || file.path
      try {
        await openDocument({ filePath, fileType: 'pdf', showMenu: true })
        if (!this.gone) this.setData({ opened: 'Opened ' + file.name, error: '' })
      } catch (error) {
        this.fail(error)
      }
    },

    // ---- a notes file with fs --------------------------------------------------------------
    notesPath() {
      return wx.env.USER_DATA_PATH + '/notes.txt'
    },
    async addNote() {
      const line = 'Note written at ' + new Date().toISOString() + '\n'
      const filePath = this.notesPath()
      try {
        try {
          await fs.appendFile({ filePath, data: line, encoding: 'utf8' })
        } catch (error) {
          // appendFile needs an existing file: the first note creates it
          if (!isMissing(error)) throw error
          await fs.writeFile({ filePath, data: line, encoding: 'utf8' })
        }
        await this.readNotes()
      } catch (error) {
        this.fail(error)
      }
    },
    async readNotes() {
      try {
        const { data } = await fs.readFile({ filePath: this.notesPath(), encoding: 'utf8' })
        const { stats } = await fs.stat({ path: this.notesPath() })
        if (!this.gone) this.setData({ notes: data, notesSize: size(stats.size) })
      } catch (error) {
        if (this.gone) return
        if (isMissing(error)) this.setData({ notes: '', notesSize: '' })
        else this.fail(error)
      }
    },
    async clearNotes() {
      try {
        await fs.unlink({ filePath: this.notesPath() })
      } catch (error) {
        if (!isMissing(error)) this.fail(error)
      }
      await this.readNotes()
    },

    fail(error) {
      if (!this.gone) this.setData({ status: '', error: describeError(error) })
    },
  },
})
