// Shared set-up of the demo tests: a miniprogram-rx/testing wx host installed as the global
// wx before miniprogram-simulate loads, the page loaded from miniprogram_demo/miniprogram with
// `require('miniprogram-rx')` resolving to the package as DevTools built it
// (miniprogram_npm), and a one-line report per module for scripts/demo.mjs.
'use strict'
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')
const { createWxHost } = require('miniprogram-rx/testing')
const { startDemoServer } = require('../server')

const APP = path.join(__dirname, '..', 'miniprogram')

/**
 * Creates the host (options go to createWxHost), installs it as `wx`, points the demo at the
 * server in DEMO_SERVER_URL (or starts one if the test runs alone), and returns helpers.
 */
async function setupDemo(hostOptions = {}) {
  let ownServer
  let serverUrl = process.env.DEMO_SERVER_URL
  if (!serverUrl) {
    ownServer = await startDemoServer({ port: 0, host: '127.0.0.1' })
    serverUrl = ownServer.url
  }
  const host = createWxHost(hostOptions)
  const restore = host.install()
  host.wx.setStorageSync('demo.server', serverUrl)
  // simulate fills in only the wx members that are missing, so it must come after install()
  const simulate = require('miniprogram-simulate')
  const rendered = []
  return {
    host,
    simulate,
    serverUrl,
    /** Loads and attaches pages/<name>/index (with `properties`); returns simulate's wrapper. */
    render(name, properties) {
      const id = simulate.load(path.join(APP, 'pages', name, 'index'), { rootPath: APP })
      const page = simulate.render(id, properties)
      page.attach(document.createElement('parent-wrapper'))
      rendered.push(page)
      return page
    },
    /**
     * Puts jest's real timers back (a test may have faked them), detaches every page, closes
     * the host and the server this set-up started.
     */
    async teardown() {
      jest.useRealTimers()
      for (const page of rendered) page.detach()
      restore()
      await host.close()
      if (ownServer) await ownServer.close()
    },
  }
}

/** Taps the first element matching `selector` inside `page`. */
function tap(page, selector) {
  const element = page.querySelector(selector)
  if (!element) throw new Error('no element ' + selector + ' on the page')
  element.dispatchEvent('tap')
}

// Captured when the tests load, before any of them fakes the timers: `until` waits on the real
// clock, so it also works in a test that drives the page with jest's fake timers.
const realSetTimeout = setTimeout

/** The trimmed text of the first element matching `selector` inside `page`. */
function text(page, selector) {
  return page.querySelector(selector).dom.textContent.trim()
}

/** Resolves when `predicate()` is true, checking every 2 ms of real time (at most `turns` times). */
async function until(predicate, what, turns = 5000) {
  for (let i = 0; i < turns; i++) {
    if (predicate()) return
    await new Promise((resolve) => realSetTimeout(resolve, 2))
  }
  throw new Error('gave up waiting for ' + what)
}

/** Writes the module's line of the demo report (printed by scripts/demo.mjs). */
function report(module, summary) {
  if (process.env.DEMO_REPORT)
    fs.appendFileSync(process.env.DEMO_REPORT, JSON.stringify({ module, summary }) + '\n')
  else console.log(module + '  ' + summary)
}

/** GETs `path` from the demo server at `base` and parses the JSON answer (asked directly, not
 * through the page or the host). */
function serverJson(base, path) {
  return new Promise((resolve, reject) => {
    http
      .get(base + path, (res) => {
        let body = ''
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve(JSON.parse(body)))
      })
      .on('error', reject)
  })
}

module.exports = { APP, setupDemo, tap, text, until, report, serverJson }
