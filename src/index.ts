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

// host injection: another object with wx's shape instead of the global wx
export { configure } from './core/wx'
export type { ConfigureOptions } from './core/wx'

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

// streaming
export { stream$ } from './stream/stream'
export type { StreamEvent, StreamChunkEvent, StreamOptions, StreamConfig } from './stream/stream'
export { text$, lines$, ndjson$ } from './stream/text-streams'
export { sse$ } from './stream/sse'
export type { SseOptions, SseReconnectOptions } from './stream/sse'
export { createSseParser } from './stream/sse-parser'
export type { SseEvent, SseParser, SseParserHandlers } from './stream/sse-parser'
export { createUtf8Decoder } from './stream/utf8-decoder'
export type { ByteChunk, Utf8Decoder, Utf8DecoderOptions } from './stream/utf8-decoder'
export { createLineSplitter } from './stream/line-splitter'
export type { LineSplitter } from './stream/line-splitter'

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

// page: observables bound to page data
export { bindData, toBindingError } from './page/bind-data'
export type {
  BindDataOptions,
  BindingError,
  BoundData,
  DataSources,
  ErrorData,
} from './page/bind-data'
export { dataBindings, initDataBindings } from './page/data-bindings'
export type { ChainingContext, DataBindingsData, DataBindingsOptions } from './page/data-bindings'
export { untilDetached } from './page/until-detached'
export { unbindData, pauseData, resumeData } from './page/page-lifecycle'
export type { DataTarget } from './page/set-data-batch'

// request toolkit
export { withAuth } from './toolkit/auth-refresh'
export type { AuthOptions, AuthResponse, AuthToken } from './toolkit/auth-refresh'
export { AuthRefreshError, isAuthRefreshError } from './toolkit/auth-refresh-error'
export type { ToolkitCallOptions, ToolkitRequestPool } from './toolkit/toolkit-pool'
export { withDedupe } from './toolkit/dedupe'
export type { DedupeOptions } from './toolkit/dedupe'
export { createQueryClient } from './toolkit/query-client'
export type {
  QueryClient,
  QueryClientOptions,
  QueryDefaults,
  QueryOptions,
  QueryState,
  QueryStatus,
} from './toolkit/query-types'
export type { QueryFetcher, QueryFetchContext } from './toolkit/query-fetch'
export type { QueryKey, QueryKeyPart } from './toolkit/query-key'
export type { QueryPersistOptions } from './toolkit/query-persist'

// permission (shared by media and device; moved from device/auth.ts, same public names)
export { ensureScope } from './permission/ensure-scope'
export type { EnsureScopeOptions } from './permission/ensure-scope'
export {
  PermissionDeniedError,
  isPermissionDeniedError,
} from './permission/permission-denied-error'
export type { AuthScope, PermissionDeniedStage } from './permission/permission-denied-error'
