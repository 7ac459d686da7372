// Device: system info, the live network type, a phone call and the code scanner.
const { systemInfo, networkStatus$, makePhoneCall, scanCode, isWxError } = require('miniprogram-rx')

// What a failed call shows: a refused or cancelled dialog is not an error worth red text.
function describeError(error) {
  if (isWxError(error) && /cancel/.test(error.errMsg)) return 'Cancelled'
  return (error && error.message) || String(error)
}

Component({
  data: {
    info: null,
    infoRows: [],
    infoError: '',
    online: true,
    networkType: '',
    networkChanges: 0,
    phoneNumber: '400-820-8820',
    callStatus: '',
    callError: '',
    calls: 0,
    scan: null,
    scanStatus: '',
    scanError: '',
  },
  lifetimes: {
    attached() {
      this.loadInfo()
      let first = true
      this.network = networkStatus$.subscribe((status) => {
        this.setData({
          online: status.isConnected,
          networkType: status.networkType,
          // the first value is the current state, not a change
          networkChanges: first ? 0 : this.data.networkChanges + 1,
        })
        first = false
      })
    },
    detached() {
      if (this.network) this.network.unsubscribe()
      this.gone = true
    },
  },
  methods: {
    async loadInfo() {
      try {
        const info = await systemInfo()
        if (this.gone) return
        const safe = info.safeArea
        this.setData({
          info,
          infoError: '',
          infoRows: [
            { label: 'Device', value: info.model },
            { label: 'Brand', value: info.brand },
            { label: 'System', value: info.system + ' (' + info.platform + ')' },
            { label: 'WeChat', value: info.version + ', base library ' + info.SDKVersion },
            {
              label: 'Window',
              value: info.windowWidth + ' x ' + info.windowHeight + ' @' + info.pixelRatio + 'x',
            },
            { label: 'Screen', value: info.screenWidth + ' x ' + info.screenHeight },
            {
              label: 'Safe area',
              value: safe ? 'top ' + safe.top + ', bottom ' + safe.bottom : 'n/a',
            },
            { label: 'Language', value: info.language },
          ],
        })
      } catch (error) {
        if (!this.gone) this.setData({ infoError: describeError(error) })
      }
    },
    onNumberInput(event) {
      this.setData({ phoneNumber: event.detail.value })
    },
    async call() {
      const number = this.data.phoneNumber
      this.setData({ callStatus: 'Calling…', callError: '' })
      try {
        await makePhoneCall(number)
        if (this.gone) return
        this.setData({ callStatus: 'Called ' + number, calls: this.data.calls + 1 })
      } catch (error) {
        if (this.gone) return
        this.setData({ callStatus: '', callError: describeError(error) })
      }
    },
    async scan() {
      this.setData({ scanStatus: 'Scanning…', scanError: '' })
      try {
        const result = await scanCode({ scanType: ['qrCode', 'barCode'] })
        if (this.gone) return
        this.setData({
          scanStatus: '',
          scan: { result: result.result, scanType: result.scanType, charSet: result.charSet },
        })
      } catch (error) {
        if (this.gone) return
        this.setData({ scanStatus: '', scanError: describeError(error) })
      }
    },
  },
})
