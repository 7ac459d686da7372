// The public surface of miniprogram-rx: explicit named exports only.

// core: wxp, events, errors
export { wxp } from './core/wxp'
export { fromWxEvent } from './core/from-wx-event'
export { promisifyAll } from './core/promisify-all'
export { getWx } from './core/wx'
export {
  WxError,
  HttpError,
  TimeoutError,
  AbortError,
  isWxError,
  isHttpError,
  isTimeoutError,
  isAbortError,
} from './core/errors'
export { classifyFailure } from './core/error-code'
export type { ErrorCode, FailureLike } from './core/error-code'
export { TYPINGS_VERSION } from './core/wx-catalog.generated'
export type { WxErrorInit, HttpErrorInit, HttpErrorRequest } from './core/errors'
export type { WxTaskPromise } from './core/promisify'
export type {
  Wxp,
  WxpGenericApis,
  WxAsyncApiName,
  WxResult,
  WxEventName,
  WxEvent,
  Promisified,
  PromisifiedResult,
  PromisifiedMethods,
  SuccessResult,
  TaskOf,
  FirstParameter,
  CallbackMethodName,
} from './core/wxp-types'

// network
export { networkStatus$, isOnline$ } from './network/network-status'
export type { NetworkStatus } from './network/network-status'
export { createSocket } from './network/socket'
export type { Socket } from './network/socket'
export type { SocketOptions, SocketReconnectOptions, SocketState } from './network/socket-options'
export {
  request$,
  upload$,
  download$,
  request,
  uploadFile,
  downloadFile,
  getDefaultRequestPool,
  setDefaultRequestPool,
} from './network/request'
export { createRequestPool } from './network/request-pool'
export type { RequestPool, CancellablePromise } from './network/request-pool'
export { backoffDelay, parseRetryAfter } from './network/retry-timing'
export type { BackoffOptions } from './network/retry-timing'
export type { RetryOptions } from './network/retry-policy'
export type {
  TransferApi,
  RequestMethod,
  RequestData,
  AbortSignalLike,
  CallOptions,
  RequestOptions,
  UploadOptions,
  DownloadOptions,
  RequestResult,
  UploadFileResult,
  DownloadFileResult,
  HeadersEvent,
  UploadProgressEvent,
  DownloadProgressEvent,
  UploadResultEvent,
  DownloadResultEvent,
  UploadEvent,
  DownloadEvent,
  PreparedOptions,
  HookContext,
  RetryContext,
  BeforeRequestHook,
  AfterResponseHook,
  BeforeRetryHook,
  RequestHooks,
  RequestPoolOptions,
  RequestPoolStats,
} from './network/request-types'

// media
export { backgroundAudio } from './media/background-audio'
export type { BackgroundAudio } from './media/background-audio'
export { createAudioPlayer } from './media/audio-player'
export type { AudioPlayer, AudioPlayerOptions } from './media/audio-player'
export { playVoice } from './media/voice'
export type { PlayVoiceOptions, VoiceEnd, VoicePlayback } from './media/voice'
export type { AudioStore, AudioStoreOptions, AudioQueue } from './media/audio-store'
export type { AudioState, AudioStatus, AudioTrack } from './media/audio-state'
export { record$ } from './media/recorder'
export type {
  RecordOptions,
  RecordEvent,
  RecordFile,
  RecordState,
  RecordObservable,
} from './media/recorder'
export { chooseImages, previewImage, getImageInfo, saveImageToPhotosAlbum } from './media/image'
export type {
  ChooseImagesOptions,
  ChosenImage,
  ImageInfo,
  PreviewImageOptions,
} from './media/image'

// file
export { fs } from './file/file-system'
export type { FileSystem } from './file/file-system'
export { saveFile, getSavedFileList, getSavedFileInfo, removeSavedFile } from './file/saved-files'
export type {
  SaveFileOptions,
  SaveFileResult,
  SavedFile,
  SavedFileListResult,
  SavedFileInfoResult,
} from './file/saved-files'
export { openDocument } from './file/open-document'
export type { OpenDocumentOptions } from './file/open-document'

// storage
export { storageItem } from './storage/storage-item'
export type { StorageItem, StorageItemOptions, StorageSetOptions } from './storage/storage-item'
export { StorageQuotaError, isStorageQuotaError } from './storage/storage-quota-error'
export type { StorageQuotaErrorInit, StorageQuotaKind } from './storage/storage-quota-error'

// location
export { location$ } from './location/location-stream'
export type { CoordinateType, LocationEvent, LocationOptions } from './location/location-stream'
export { wgs84ToGcj02, gcj02ToWgs84, distance, isOutsideChina } from './location/coordinates'
export type { LatLng } from './location/coordinates'

// device
export { systemInfo } from './device/system-info'
export type { SystemInfoResult } from './device/system-info'
export { makePhoneCall } from './device/phone'
export type { MakePhoneCallOptions } from './device/phone'
export { scanCode } from './device/scan'
export type { ScanCodeOptions, ScanCodeResult } from './device/scan'

// permission (shared by media and device; moved from device/auth.ts, same public names)
export { ensureScope } from './permission/ensure-scope'
export type { EnsureScopeOptions } from './permission/ensure-scope'
export {
  PermissionDeniedError,
  isPermissionDeniedError,
} from './permission/permission-denied-error'
export type { AuthScope, PermissionDeniedStage } from './permission/permission-denied-error'
