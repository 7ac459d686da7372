// `miniprogram-rx/testing`: a Node-backed wx host for jest tests of mini program code.
// Node only; not part of miniprogram_dist.
import './jsdom-globals'
export { createWxHost } from './host'
export { HostContext, HostFail } from './context'
export type { WxHost, WxHostOptions } from './host'
export type { HostCall, HostEventName, HostNetworkStatus, HostResource, Settle } from './context'
export type { NetworkHostOptions, NetworkHostControls } from './network'
export type { ChunkedHostOptions, ChunkedHostControls, ChunkSplitOptions } from './network-chunked'
export type { SocketHostOptions, SocketHostControls } from './socket'
export type { StorageHostOptions, StorageHostControls } from './storage'
export type { FilesHostOptions, FilesHostControls, OpenedDocument } from './files'
export type { FileLimits, WxStats } from './file-system'
export type { AudioHostOptions, AudioHostControls } from './audio'
export type { MediaHostOptions, MediaHostControls } from './media'
export type { LocationHostOptions, LocationHostControls } from './location'
export type { DeviceHostOptions, DeviceHostControls } from './device'
export { encodePng, encodeJpeg } from './fixtures'
export { encodeAudioFile } from './audio-files'
export type { AudioSpec, RecordFormat } from './audio-files'
export type { ImageFixtureOptions, JpegFixtureOptions, Rgb } from './fixtures'
export type { BackgroundAudioSnapshot, InnerAudioSnapshot, ManagerCallbackMode } from './audio'
export type { MediaPick, PreviewRecord, AlbumRecord } from './media'
export type { RecordingRecord, RecorderSnapshot } from './recorder'
export type { VoiceSnapshot } from './voice'
export type { LocationPoint, ChosenLocation, OpenLocationRecord } from './location'
export type { DeviceProfile, ScanAnswer } from './device'
export type {
  ModalAnswer,
  ModalRecord,
  ToastRecord,
  ActionSheetRecord,
  NavigationRecord,
} from './ui'
