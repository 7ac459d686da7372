// `miniprogram-rx/testing`: a Node-backed wx host for jest tests of mini program code.
// Node only; not part of miniprogram_dist.
export { createWxHost } from './host'
export { HostContext, HostFail } from './context'
export type { WxHost, WxHostOptions } from './host'
export type { HostCall, HostEventName, HostNetworkStatus, HostResource, Settle } from './context'
export type { NetworkHostOptions, NetworkHostControls } from './network'
export type { SocketHostOptions, SocketHostControls } from './socket'
export type { StorageHostOptions, StorageHostControls } from './storage'
export type { FilesHostOptions, FilesHostControls } from './files'
export type { AudioHostOptions, AudioHostControls } from './audio'
export type { MediaHostOptions, MediaHostControls } from './media'
export type { LocationHostOptions, LocationHostControls } from './location'
export type { DeviceHostOptions, DeviceHostControls } from './device'
