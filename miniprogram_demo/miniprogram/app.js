// The demo app. Pages are written with Component() so that miniprogram-simulate can load them
// in `npm run demo`; they work the same in DevTools and on a phone.
App({
  onLaunch() {},
})
