// Checked by `tsc -p test-d` against dist/index.d.ts. expectTypeOf fails compilation on a
// mismatch; the @ts-expect-error lines fail compilation if the error they expect goes away.
import { expectTypeOf } from 'expect-type'
import {
  AbortError,
  HttpError,
  TimeoutError,
  WxError,
  fromWxEvent,
  isHttpError,
  isWxError,
  promisifyAll,
  wxp,
  type WxResult,
  type WxTaskPromise,
} from 'miniprogram-rx'
import type { Observable } from 'rxjs'

declare const unknownError: unknown

// promise result types of a dozen APIs
expectTypeOf(wxp.getLocation({ type: 'gcj02' })).toEqualTypeOf<
  Promise<WechatMiniprogram.GetLocationSuccessCallbackResult>
>()
expectTypeOf(
  wxp.chooseImage({ count: 1 }),
).resolves.toEqualTypeOf<WechatMiniprogram.ChooseImageSuccessCallbackResult>()
expectTypeOf(wxp.chooseMedia({})).resolves.toHaveProperty('tempFiles')
expectTypeOf(wxp.getSystemInfo()).resolves.toEqualTypeOf<WechatMiniprogram.SystemInfo>()
expectTypeOf(
  wxp.getNetworkType(),
).resolves.toEqualTypeOf<WechatMiniprogram.GetNetworkTypeSuccessCallbackResult>()
expectTypeOf(
  wxp.getSetting(),
).resolves.toEqualTypeOf<WechatMiniprogram.GetSettingSuccessCallbackResult>()
expectTypeOf(wxp.login()).resolves.toEqualTypeOf<WechatMiniprogram.LoginSuccessCallbackResult>()
expectTypeOf(
  wxp.scanCode({}),
).resolves.toEqualTypeOf<WechatMiniprogram.ScanCodeSuccessCallbackResult>()
expectTypeOf(
  wxp.showModal({ title: 't' }),
).resolves.toEqualTypeOf<WechatMiniprogram.ShowModalSuccessCallbackResult>()
expectTypeOf(
  wxp.getImageInfo({ src: 'a.png' }),
).resolves.toEqualTypeOf<WechatMiniprogram.GetImageInfoSuccessCallbackResult>()
expectTypeOf(
  wxp.saveFile({ tempFilePath: 'x' }),
).resolves.toEqualTypeOf<WechatMiniprogram.SaveFileSuccessCallbackResult>()
expectTypeOf(
  wxp.getSavedFileInfo({ filePath: 'x' }),
).resolves.toEqualTypeOf<WechatMiniprogram.GetSavedFileInfoSuccessCallbackResult>()
expectTypeOf<
  WxResult<'getLocation'>
>().toEqualTypeOf<WechatMiniprogram.GetLocationSuccessCallbackResult>()

// generics are kept
interface User {
  name: string
}
expectTypeOf(wxp.getStorage<User>({ key: 'u' }))
  .resolves.toHaveProperty('data')
  .toEqualTypeOf<User>()
expectTypeOf(wxp.request<User>({ url: 'https://x' }))
  .resolves.toHaveProperty('data')
  .toEqualTypeOf<User>()

// task types
expectTypeOf(wxp.request({ url: 'https://x' })).toEqualTypeOf<
  WxTaskPromise<WechatMiniprogram.RequestSuccessCallbackResult, WechatMiniprogram.RequestTask>
>()
expectTypeOf(wxp.request({ url: 'https://x' }).task).toEqualTypeOf<WechatMiniprogram.RequestTask>()
expectTypeOf(
  wxp.uploadFile({ url: 'https://x', filePath: 'f', name: 'n' }).task,
).toEqualTypeOf<WechatMiniprogram.UploadTask>()
expectTypeOf(
  wxp.downloadFile({ url: 'https://x' }).task,
).toEqualTypeOf<WechatMiniprogram.DownloadTask>()
expectTypeOf(
  wxp.connectSocket({ url: 'wss://x' }).task,
).toEqualTypeOf<WechatMiniprogram.SocketTask>()
// @ts-expect-error an API without a task has no `task`
void wxp.getLocation({}).task

// required options stay required, optional ones optional
// @ts-expect-error request needs its options
void wxp.request()
// @ts-expect-error getImageInfo needs `src`
void wxp.getImageInfo({})
void wxp.getNetworkType()

// pass-through members keep wx's own types
expectTypeOf(wxp.getStorageSync<User>('u')).toEqualTypeOf<User>()
expectTypeOf(wxp.getFileSystemManager()).toEqualTypeOf<WechatMiniprogram.FileSystemManager>()
expectTypeOf(wxp.onNetworkStatusChange).toEqualTypeOf<
  WechatMiniprogram.Wx['onNetworkStatusChange']
>()
expectTypeOf(wxp.env.USER_DATA_PATH).toEqualTypeOf<string>()

// fromWxEvent element types
expectTypeOf(fromWxEvent('onNetworkStatusChange')).toEqualTypeOf<
  Observable<WechatMiniprogram.OnNetworkStatusChangeListenerResult>
>()
expectTypeOf(fromWxEvent('onSocketMessage')).toEqualTypeOf<
  Observable<WechatMiniprogram.SocketTaskOnMessageListenerResult>
>()
// @ts-expect-error not a listener API
fromWxEvent('request')

// promisifyAll keeps only the callback methods, typed
const fs = promisifyAll({} as WechatMiniprogram.FileSystemManager)
expectTypeOf(
  fs.readFile({ filePath: 'x' }),
).resolves.toEqualTypeOf<WechatMiniprogram.ReadFileSuccessCallbackResult>()
// @ts-expect-error Sync methods are not promisified
void fs.readFileSync

// WxError narrowing
if (isWxError(unknownError)) {
  expectTypeOf(unknownError).toEqualTypeOf<WxError>()
  expectTypeOf(unknownError.errMsg).toEqualTypeOf<string>()
  expectTypeOf(unknownError.errno).toEqualTypeOf<number | undefined>()
}
if (isHttpError(unknownError)) {
  expectTypeOf(unknownError.statusCode).toEqualTypeOf<number>()
}
expectTypeOf<TimeoutError>().toMatchTypeOf<WxError>()
expectTypeOf<AbortError>().toMatchTypeOf<WxError>()
expectTypeOf<HttpError>().toMatchTypeOf<Error>()
