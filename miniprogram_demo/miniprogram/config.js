// Where the demo server runs. The home page lets you change it (kept in storage), so a phone
// can reach your computer's LAN address; `npm run demo` points it at its own server.
var KEY = 'demo.server'
var DEFAULT = 'http://127.0.0.1:3000'

function serverUrl() {
  var saved = wx.getStorageSync(KEY)
  return typeof saved === 'string' && saved ? saved.replace(/\/+$/, '') : DEFAULT
}

function wsUrl() {
  return serverUrl().replace(/^http/, 'ws') + '/ws'
}

function setServerUrl(url) {
  wx.setStorageSync(KEY, url)
}

module.exports = { KEY: KEY, serverUrl: serverUrl, wsUrl: wsUrl, setServerUrl: setServerUrl }
