// `miniprogram-rx/rxjs`: all of RxJS, for pages that want operators without installing and
// building `rxjs` in DevTools. In miniprogram_dist it shares one copy of RxJS with the SDK.
export * from 'rxjs'
