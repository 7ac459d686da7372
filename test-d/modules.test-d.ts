// Stream element types, result types and narrowing of the curated modules, checked by
// `tsc -p test-d` against the built dist/index.d.ts.
import { expectTypeOf } from 'expect-type'
import {
  PermissionDeniedError,
  StorageQuotaError,
  backgroundAudio,
  createAudioPlayer,
  createRequestPool,
  createSocket,
  distance,
  download$,
  ensureScope,
  isPermissionDeniedError,
  isStorageQuotaError,
  isOnline$,
  location$,
  networkStatus$,
  record$,
  request,
  request$,
  storageItem,
  systemInfo,
  upload$,
  wgs84ToGcj02,
  type AudioState,
  type CancellablePromise,
  type DownloadEvent,
  type LatLng,
  type LocationEvent,
  type NetworkStatus,
  type RecordEvent,
  type RequestResult,
  type SocketState,
  type UploadEvent,
  type WxError,
} from 'miniprogram-rx'
import type { Observable } from 'rxjs'

interface User {
  name: string
}
declare const unknownError: unknown

// network: results keep the data type; promises carry abort(); streams are typed unions
expectTypeOf(request$<User>({ url: 'https://x' })).toEqualTypeOf<Observable<RequestResult<User>>>()
expectTypeOf(request<User>({ url: 'https://x' })).toEqualTypeOf<
  CancellablePromise<RequestResult<User>>
>()
expectTypeOf(request<User>({ url: 'https://x' }))
  .resolves.toHaveProperty('data')
  .toEqualTypeOf<User>()
expectTypeOf(request({ url: 'https://x' }).abort).toBeFunction()
expectTypeOf(upload$({ url: 'https://x', filePath: 'f', name: 'file' })).toEqualTypeOf<
  Observable<UploadEvent>
>()
expectTypeOf(download$({ url: 'https://x' })).toEqualTypeOf<Observable<DownloadEvent>>()
declare const uploadEvent: UploadEvent
if (uploadEvent.type === 'progress') {
  expectTypeOf(uploadEvent.progress).toEqualTypeOf<number>()
  expectTypeOf(uploadEvent.totalBytesSent).toEqualTypeOf<number>()
}
if (uploadEvent.type === 'result') expectTypeOf(uploadEvent.statusCode).toEqualTypeOf<number>()
declare const downloadEvent: DownloadEvent
if (downloadEvent.type === 'result')
  expectTypeOf(downloadEvent.tempFilePath).toEqualTypeOf<string>()
const pool = createRequestPool({ concurrency: 3 })
expectTypeOf(pool.onIdle()).toEqualTypeOf<Promise<void>>()
expectTypeOf(pool.size).toEqualTypeOf<number>()
// @ts-expect-error the url is required
void request$({})

// network status
expectTypeOf(networkStatus$).toEqualTypeOf<Observable<NetworkStatus>>()
expectTypeOf(isOnline$).toEqualTypeOf<Observable<boolean>>()

// sockets: strings and ArrayBuffers by default, the caller's types with json
const raw = createSocket({ url: 'wss://x' })
expectTypeOf(raw.messages$).toEqualTypeOf<Observable<string | ArrayBuffer>>()
expectTypeOf(raw.state$).toEqualTypeOf<Observable<SocketState>>()
const chat = createSocket<{ text: string }, { text: string }>({ url: 'wss://x', json: true })
expectTypeOf(chat.messages$).toEqualTypeOf<Observable<{ text: string }>>()
expectTypeOf(chat.send).parameter(0).toEqualTypeOf<{ text: string }>()

// storage: the default decides whether undefined is possible
expectTypeOf(storageItem('n', { defaultValue: 0 }).value$).toEqualTypeOf<Observable<number>>()
expectTypeOf(storageItem<User>('user').get()).resolves.toEqualTypeOf<User | undefined>()
if (isStorageQuotaError(unknownError)) expectTypeOf(unknownError).toEqualTypeOf<StorageQuotaError>()

// media
expectTypeOf(backgroundAudio.state$).toEqualTypeOf<Observable<AudioState>>()
expectTypeOf(backgroundAudio.getState().position).toEqualTypeOf<number>()
expectTypeOf(createAudioPlayer().state$).toEqualTypeOf<Observable<AudioState>>()
expectTypeOf(record$()).toMatchTypeOf<Observable<RecordEvent>>()

// location and device
expectTypeOf(location$({ type: 'wgs84' })).toEqualTypeOf<Observable<LocationEvent>>()
expectTypeOf(wgs84ToGcj02({ latitude: 39.9, longitude: 116.4 })).toEqualTypeOf<LatLng>()
expectTypeOf(distance).returns.toEqualTypeOf<number>()
expectTypeOf(systemInfo()).resolves.toHaveProperty('windowWidth').toEqualTypeOf<number>()
expectTypeOf(ensureScope('scope.record')).toEqualTypeOf<Promise<void>>()
// @ts-expect-error not a scope
void ensureScope('scope.nothing')
if (isPermissionDeniedError(unknownError)) {
  expectTypeOf(unknownError).toEqualTypeOf<PermissionDeniedError>()
  expectTypeOf(unknownError).toMatchTypeOf<WxError>()
}
