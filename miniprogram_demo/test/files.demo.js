// The files page: the sample PDF downloaded and opened (host.files.openedDocuments records it),
// saved with a server image and a picked photo, listed, inspected and removed; a save refused
// when the saved-file space is full; a notes file written with fs.
const fs = require('node:fs')
const { encodePng } = require('miniprogram-rx/testing')
const assets = require('../server/assets')
const { setupDemo, tap, until, report, text } = require('./helpers')

const names = (page, selector) => page.querySelectorAll(selector).map((e) => e.dom.textContent)
// Taps the button `selector` (data-index = its row) in the row of `list` named `name`.
function tapIn(page, list, name, selector) {
  const index = page.instance.data[list].findIndex((f) => f.name === name)
  if (index < 0) throw new Error('no ' + name + ' in ' + list)
  const button = page
    .querySelectorAll(selector)
    .find((b) => b.dom.getAttribute('data-index') === String(index))
  if (!button) throw new Error('no ' + selector + ' for ' + name)
  button.dispatchEvent('tap')
}

describe('files page', () => {
  let demo
  beforeAll(async () => {
    demo = await setupDemo()
  })
  afterAll(() => demo.teardown())

  it('downloads, opens, saves, lists, inspects and removes files', async () => {
    const { host } = demo
    const page = demo.render('files')
    const data = () => page.instance.data
    await until(() => data().loaded, 'the saved file list')
    expect(page.querySelector('.no-saved')).toBeTruthy()

    // the sample PDF: downloaded to a temp file and opened
    const pdfBytes = assets.samplePdf().length
    tap(page, '.download-pdf-btn')
    await until(() => data().temps.length === 1, 'the PDF download')
    const pdf = data().temps[0]
    expect(pdf.path).toMatch(/^wxfile:\/\/tmp_.*\.pdf$/)
    expect(fs.statSync(host.files.realPath(pdf.path)).size).toBe(pdfBytes)
    tapIn(page, 'temps', 'sample.pdf', '.open-temp-btn')
    await until(() => host.files.openedDocuments.length === 1, 'the opened PDF')
    expect(host.files.openedDocuments[0]).toMatchObject({
      filePath: pdf.path,
      fileType: 'pdf',
      showMenu: true,
    })
    expect(text(page, '.opened')).toBe('Opened sample.pdf')

    // saved: the PDF, an image from the server, and a picked photo
    tapIn(page, 'temps', 'sample.pdf', '.save-btn')
    await until(() => data().saved.length === 1, 'the saved PDF')
    tap(page, '.download-image-btn')
    await until(() => data().temps.length === 2, 'the image download')
    tapIn(page, 'temps', 'image-640x480.png', '.save-btn')
    await until(() => data().saved.length === 2, 'the saved image')
    const photo = encodePng({ width: 300, height: 200 })
    host.media.pickImages([photo])
    tap(page, '.pick-image-btn')
    await until(() => data().temps.length === 3, 'the picked photo')
    tapIn(page, 'temps', 'photo.png', '.save-btn')
    await until(() => data().saved.length === 3, 'the saved photo')
    expect(data().temps.every((t) => t.saved)).toBe(true)
    expect(names(page, '.saved-name').sort()).toEqual([
      'image-640x480.png',
      'photo.png',
      'sample.pdf',
    ])
    const listed = (await host.wx.getSavedFileList()).fileList
    expect(listed.length).toBe(3)
    const totalBytes = listed.reduce((n, f) => n + f.size, 0)
    expect(data().saved.every((f) => /^wxfile:\/\/store_/.test(f.filePath))).toBe(true)

    // info on the saved PDF, and the saved copy opened
    tapIn(page, 'saved', 'sample.pdf', '.info-btn')
    await until(() => data().info !== null, 'the file info')
    expect(text(page, '.info-size')).toBe(pdfBytes + ' bytes')
    expect(text(page, '.info-created')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    tapIn(page, 'saved', 'sample.pdf', '.open-saved-btn')
    await until(() => host.files.openedDocuments.length === 2, 'the saved PDF opened')
    expect(host.files.openedDocuments[1].filePath).toMatch(/^wxfile:\/\/store_/)

    // no room left: a save is refused and said so
    host.files.setLimits({ savedFiles: totalBytes + 100 })
    tap(page, '.download-image-btn')
    await until(() => data().temps.length === 4, 'a second image')
    tapIn(page, 'temps', 'image-640x480.png', '.save-btn')
    await until(() => data().error !== '', 'the refused save')
    expect(text(page, '.files-error')).toBe(
      'Saved files are full: WeChat keeps at most 10.0 MB. Remove one first.',
    )
    expect(data().saved.length).toBe(3)
    host.files.setLimits({ savedFiles: 10 * 1024 * 1024 })

    // remove the photo
    tapIn(page, 'saved', 'photo.png', '.remove-btn')
    await until(() => data().saved.length === 2, 'the removed photo')
    expect((await host.wx.getSavedFileList()).fileList.length).toBe(2)
    expect(names(page, '.saved-name').sort()).toEqual(['image-640x480.png', 'sample.pdf'])

    // notes with fs: created by the first note, appended by the second
    tap(page, '.add-note-btn')
    await until(() => data().notes.split('\n').length === 2, 'the first note')
    tap(page, '.add-note-btn')
    await until(() => data().notes.split('\n').length === 3, 'the second note')
    const notes = fs.readFileSync(host.files.realPath('wxfile://usr/notes.txt'), 'utf8')
    expect(notes).toBe(data().notes)
    expect(notes).toMatch(/^(Note written at \S+\n){2}$/)
    tap(page, '.clear-notes-btn')
    await until(() => data().notes === '', 'the deleted notes')

    page.detach()
    expect(host.listenerCount()).toBe(0)

    report(
      'files',
      `3 files saved (${(totalBytes / 1024).toFixed(1)} KB: PDF, server image, picked photo), ` +
        `info read, 1 removed, 1 save refused when full, ` +
        `PDF of ${pdfBytes} bytes opened ${host.files.openedDocuments.length} times (temp and saved), ` +
        `2 notes written with fs`,
    )
  })
})
