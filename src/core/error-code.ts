// One failure classifier for the whole SDK: a wx failure (errno first, then the errMsg forms
// that WeChat's iOS, Android and DevTools clients use) becomes a stable `code`, so callers and
// the SDK itself branch on codes instead of on localized errMsg text.

/**
 * The stable code of an error raised by the SDK.
 * - `ERR_OFFLINE`: the device has no network; the call never left it.
 * - `ERR_INTERRUPTED`: the app went to the background and WeChat cut the call (errno 600003).
 * - `ERR_TIMEOUT`: the call took longer than its timeout.
 * - `ERR_ABORTED`: the caller cancelled it.
 * - `ERR_HTTP_STATUS`: the server answered with a status the caller did not accept.
 * - `ERR_DNS`: the host name could not be resolved.
 * - `ERR_TLS`: the TLS handshake or the certificate failed.
 * - `ERR_TOO_MANY_TASKS`: WeChat refused a task over its concurrency limit.
 * - `ERR_NETWORK`: any other network-level failure (reset, refused, lost connection).
 * - `ERR_NOT_IN_DOMAIN_LIST`: the URL's domain is not in the mini program's allowed list.
 * - `ERR_INVALID_URL`: wx refused the URL.
 * - `ERR_INVALID_ARGUMENT`: wx refused a parameter (errno 1001, `parameter error`).
 * - `ERR_NOT_SUPPORTED`: the running base library lacks the API or option.
 * - `ERR_PERMISSION_DENIED`: the user or the platform refused a permission.
 * - `ERR_INSECURE_REQUEST`: the SDK refused a request its security rules forbid.
 * - `ERR_UNSENT`: a call that may not be re-sent was cut while on the wire.
 * - `ERR_STORAGE_QUOTA`: a storage write would exceed the per-key or total quota.
 * - `ERR_AUTH_REFRESH`: the token refresh a call was waiting for failed (`withAuth`).
 * - `ERR_FAILED`: any other wx failure.
 */
export type ErrorCode =
  | 'ERR_OFFLINE'
  | 'ERR_INTERRUPTED'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  | 'ERR_HTTP_STATUS'
  | 'ERR_DNS'
  | 'ERR_TLS'
  | 'ERR_TOO_MANY_TASKS'
  | 'ERR_NETWORK'
  | 'ERR_NOT_IN_DOMAIN_LIST'
  | 'ERR_INVALID_URL'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_NOT_SUPPORTED'
  | 'ERR_PERMISSION_DENIED'
  | 'ERR_INSECURE_REQUEST'
  | 'ERR_UNSENT'
  | 'ERR_STORAGE_QUOTA'
  | 'ERR_AUTH_REFRESH'
  | 'ERR_FAILED'

/** What the classifier reads of a failure: wx's `errMsg` and, on newer clients, `errno`. */
export interface FailureLike {
  /** `"<api>:fail <reason>"`. */
  errMsg: string
  /** WeChat's error number, when the client reports one. */
  errno?: number
}

// errno values whose meaning is exact (WeChat's "Errno" table: 06 = network, 00 = general).
const CODE_OF_ERRNO: { [errno: number]: ErrorCode } = {
  1001: 'ERR_INVALID_ARGUMENT',
  600002: 'ERR_NOT_IN_DOMAIN_LIST',
  600003: 'ERR_INTERRUPTED',
  600007: 'ERR_TOO_MANY_TASKS',
  600009: 'ERR_INVALID_URL',
}

/**
 * errMsg forms by code, tried in the order written on the reason (the text after `:fail`).
 * Android reports Chromium's net errors (`-106:net::ERR_INTERNET_DISCONNECTED`); iOS reports
 * NSURLError descriptions in the phone's language; DevTools reports Chromium names or Node's
 * codes.
 */
const CODE_OF_REASON: { readonly [code in ErrorCode]?: RegExp } = {
  ERR_ABORTED: /\babort|ERR_ABORTED/i,
  ERR_INTERRUPTED: /interrupted/i,
  // -106 ERR_INTERNET_DISCONNECTED; iOS -1009 "appears to be offline" / 似乎已断开与互联网的连接
  ERR_OFFLINE:
    /INTERNET_DISCONNECTED|SUSPENDED|offline|not connected|断开|网络不可用|no network|NETUNREACH/i,
  // "timeout", "timed out", ERR_TIMED_OUT, ERR_CONNECTION_TIMED_OUT, ETIMEDOUT, 请求超时
  ERR_TIMEOUT: /time[ds]?[ _]?out|超时/i,
  // ERR_CERT_*, ERR_SSL_*, "An SSL error has occurred", 安全连接, 证书, Node's CERT_* codes
  ERR_TLS: /CERT|SSL|\bTLS\b|secure connection|安全连接|证书|VERIFY_LEAF/i,
  ERR_DNS: /NAME_NOT_RESOLVED|NAME_RESOLUTION|hostname|主机名|ENOTFOUND|EAI_AGAIN|\bdns\b/i,
  // "exceed max task count" (requests), "exceed max cocurrent count" (sockets, sic)
  ERR_TOO_MANY_TASKS: /exceed(ed)? max|max (task|co(n)?current) count/i,
  ERR_NOT_IN_DOMAIN_LIST: /domain list/i,
  ERR_INVALID_URL: /invalid url/i,
  ERR_INVALID_ARGUMENT: /parameter error|invalid (param|argument)/i,
  ERR_NOT_SUPPORTED: /not supported|unsupported|is not a function/i,
  ERR_PERMISSION_DENIED: /auth den|permission/i,
  // net::ERR_CONNECTION_RESET, ECONNREFUSED, "The network connection was lost" (网络连接已中断),
  // "Could not connect to the server" (未能连接到服务器), "socket hang up"; the rest of a
  // network API's failures count as ERR_NETWORK anyway (NETWORK_APIS)
  ERR_NETWORK: /net::ERR_|ECONN|EPIPE|connect|网络|hang up/i,
}

// wx APIs whose unrecognised failures are network failures.
const NETWORK_APIS = /^(request|uploadFile|downloadFile|\w*[Ss]ocket|preDownloadSubpackage)/

/** The text after `"<api>:fail"`, or the whole message when it has no such prefix. */
export function failureReason(errMsg: string): string {
  const at = errMsg.indexOf(':fail')
  return at < 0 ? errMsg : errMsg.slice(at + 5).trim()
}

/**
 * The stable code of a wx failure: its `errno` where that is exact, else the first errMsg
 * form that matches, else `ERR_NETWORK` for network APIs and `ERR_FAILED` for the rest.
 */
export function classifyFailure(failure: FailureLike): ErrorCode {
  if (typeof failure !== 'object' || failure === null) return 'ERR_FAILED'
  const byErrno = typeof failure.errno === 'number' ? CODE_OF_ERRNO[failure.errno] : undefined
  if (byErrno) return byErrno
  const errMsg = typeof failure.errMsg === 'string' ? failure.errMsg : ''
  const reason = failureReason(errMsg)
  // In the order written: the first form that matches wins.
  for (const code in CODE_OF_REASON) {
    if (CODE_OF_REASON[code as ErrorCode]!.test(reason)) return code as ErrorCode
  }
  // 06xxxxx errnos are network failures even when their text says nothing more.
  if (typeof failure.errno === 'number' && Math.floor(failure.errno / 10000) === 60) {
    return 'ERR_NETWORK'
  }
  return NETWORK_APIS.test(errMsg) ? 'ERR_NETWORK' : 'ERR_FAILED'
}

/**
 * True for codes that say the call never reached the server, so it may be sent again
 * whatever its method: the device was offline, or WeChat refused to start it.
 */
export function isUnsentCode(code: ErrorCode): boolean {
  return code === 'ERR_OFFLINE' || code === 'ERR_TOO_MANY_TASKS'
}
