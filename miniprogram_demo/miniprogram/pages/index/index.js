// Home: the demo server address and one entry per module.
const { networkStatus$, dataBindings } = require('miniprogram-rx')
const { map } = require('miniprogram-rx/rxjs')
const config = require('../../config')

Component({
  // online and networkType follow networkStatus$ from attached to detached
  behaviors: [
    dataBindings({
      online: networkStatus$.pipe(map((status) => status.isConnected)),
      networkType: networkStatus$.pipe(map((status) => status.networkType)),
    }),
  ],
  data: {
    server: '',
    online: true,
    networkType: '',
    modules: [
      {
        page: 'network',
        title: 'Network',
        text: 'Pool, retries, upload and download with progress',
      },
      { page: 'socket', title: 'Socket', text: 'Echo chat that reconnects by itself' },
      { page: 'storage', title: 'Storage', text: 'Typed items, TTL, quota errors' },
      { page: 'media', title: 'Media', text: 'Images with permissions, recording and voice' },
      { page: 'audio', title: 'Background audio', text: 'A player store with live position' },
      { page: 'files', title: 'Files', text: 'Saved files and documents' },
      { page: 'location', title: 'Location', text: 'Position, live track, WGS84 / GCJ-02' },
      { page: 'device', title: 'Device', text: 'System info, network, phone, scan' },
      { page: 'chat', title: 'Chat', text: 'An answer streamed token by token (SSE)' },
      {
        page: 'toolkit',
        title: 'Request toolkit',
        text: 'Token refresh after a 401, a cached list',
      },
    ],
  },
  lifetimes: {
    attached() {
      this.setData({ server: config.serverUrl() })
    },
  },
  methods: {
    onServerInput(event) {
      this.setData({ server: event.detail.value })
    },
    saveServer() {
      config.setServerUrl(this.data.server)
      wx.showToast({ title: 'Saved', icon: 'success' })
    },
    open(event) {
      wx.navigateTo({ url: '/pages/' + event.currentTarget.dataset.page + '/index' })
    },
  },
})
