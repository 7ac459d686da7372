// WeChat's wire rules for request/uploadFile/downloadFile, as pure functions: how `data` is
// encoded, how headers go out and come back, multipart bodies, temp file extensions.
import { randomBytes } from 'node:crypto'
import { basename, extname } from 'node:path'

/** An `ArrayBuffer` from any realm (jest's jsdom and node contexts have different globals). */
export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]'
}

/** Bytes of an `ArrayBuffer` or typed array, as a Buffer view (no copy). */
export function bufferOf(value: ArrayBuffer | ArrayBufferView): Buffer {
  if (ArrayBuffer.isView(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  return Buffer.from(value)
}

/**
 * Copies bytes into an `ArrayBuffer` made by this module's realm, so `instanceof ArrayBuffer`
 * holds in the caller's code (a Node Buffer's backing store belongs to Node's realm).
 */
export function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  const out = new ArrayBuffer(bytes.length)
  new Uint8Array(out).set(bytes)
  return out
}

/** `k=v&k2=v2` with `encodeURIComponent`; objects in values are JSON, `undefined` is skipped. */
export function toQueryString(data: Record<string, unknown>): string {
  const parts: string[] = []
  for (const key of Object.keys(data)) {
    const value = data[key]
    if (value === undefined) continue
    const text = value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value)
    parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(text))
  }
  return parts.join('&')
}

function appendQuery(url: string, query: string): string {
  if (!query) return url
  const hash = url.indexOf('#')
  const base = hash >= 0 ? url.slice(0, hash) : url
  const sep = base.includes('?') ? (/[?&]$/.test(base) ? '' : '&') : '?'
  return base + sep + query + (hash >= 0 ? url.slice(hash) : '')
}

/** Outgoing headers as strings; `Referer` is dropped (WeChat does not let pages set it). */
export function outgoingHeaders(header: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (!header || typeof header !== 'object') return out
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (value === undefined || value === null || name.toLowerCase() === 'referer') continue
    out[name] = String(value)
  }
  return out
}

/** The value of a header, matched case-insensitively. */
export function findHeader(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase()
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key]
  return undefined
}

/** What `wx.request` puts on the wire for `method`, `url`, `data` and the outgoing headers. */
export interface EncodedRequest {
  url: string
  body?: Buffer
}

/**
 * WeChat's data rules: on GET/HEAD an object becomes the query string (a string is appended
 * as is, an ArrayBuffer is not sent); on other methods an object is JSON unless the
 * content-type is `application/x-www-form-urlencoded`, and strings and ArrayBuffers are sent
 * as they are. The content-type defaults to `application/json` (set in `headers`).
 */
export function encodeRequest(
  method: string,
  url: string,
  data: unknown,
  headers: Record<string, string>,
): EncodedRequest {
  if (findHeader(headers, 'content-type') === undefined)
    headers['content-type'] = 'application/json'
  if (data === undefined || data === null) return { url }
  const bodyless = method === 'GET' || method === 'HEAD'
  if (isArrayBuffer(data) || ArrayBuffer.isView(data)) {
    return bodyless ? { url } : { url, body: bufferOf(data) }
  }
  if (typeof data === 'object') {
    const record = data as Record<string, unknown>
    if (bodyless) return { url: appendQuery(url, toQueryString(record)) }
    const form = /application\/x-www-form-urlencoded/i.test(findHeader(headers, 'content-type')!)
    return { url, body: Buffer.from(form ? toQueryString(record) : JSON.stringify(data)) }
  }
  const text = String(data)
  if (bodyless) return { url: appendQuery(url, text) }
  return { url, body: Buffer.from(text) }
}

/**
 * Response headers in WeChat's shape: names as the server sent them, repeated headers joined
 * with `,`, and the `Set-Cookie` values as a separate `cookies` array.
 */
export function incomingHeaders(rawHeaders: string[]): {
  header: Record<string, string>
  cookies: string[]
} {
  const header: Record<string, string> = {}
  const names = new Map<string, string>()
  const cookies: string[] = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]
    const value = rawHeaders[i + 1]
    const lower = name.toLowerCase()
    if (lower === 'set-cookie') cookies.push(value.trim())
    const seen = names.get(lower)
    if (seen === undefined) {
      names.set(lower, name)
      header[name] = value
    } else header[seen] += ',' + value
  }
  return { header, cookies }
}

const MIME: Record<string, string> = {
  txt: 'text/plain',
  json: 'application/json',
  html: 'text/html',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  silk: 'audio/silk',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
  zip: 'application/zip',
}

/** A MIME type for a file name (`application/octet-stream` when unknown). */
export function mimeFor(fileName: string): string {
  return MIME[extname(fileName).slice(1).toLowerCase()] ?? 'application/octet-stream'
}

/** The extension for a downloaded file: from the URL path, else from the content-type, else none. */
export function extensionFor(url: string, contentType: string | undefined): string {
  let path = ''
  try {
    path = new URL(url).pathname
  } catch {
    // keep the empty path
  }
  const fromPath = extname(path).slice(1).toLowerCase()
  if (/^[a-z0-9]{1,5}$/.test(fromPath)) return fromPath
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase()
  for (const [ext, mime] of Object.entries(MIME)) if (mime === type) return ext
  return ''
}

/** The parts of a multipart/form-data body around the streamed file. */
export interface MultipartFrame {
  /** `multipart/form-data; boundary=...` */
  contentType: string
  /** Everything before the file bytes (the form fields and the file part's headers). */
  head: Buffer
  /** Everything after the file bytes (the closing boundary). */
  tail: Buffer
}

function quoteName(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r|\n/g, ' ')
}

/** Builds the multipart frame for `uploadFile`: `formData` fields, then the file part `name`. */
export function multipartFrame(
  name: string,
  filePath: string,
  formData: Record<string, unknown> | undefined,
): MultipartFrame {
  const boundary = '----WxHostFormBoundary' + randomBytes(12).toString('hex')
  let head = ''
  for (const [key, value] of Object.entries(formData ?? {})) {
    if (value === undefined) continue
    const text = value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value)
    head += '--' + boundary + '\r\n'
    head += 'Content-Disposition: form-data; name="' + quoteName(key) + '"\r\n\r\n'
    head += text + '\r\n'
  }
  const fileName = basename(filePath)
  head += '--' + boundary + '\r\n'
  head +=
    'Content-Disposition: form-data; name="' +
    quoteName(name) +
    '"; filename="' +
    quoteName(fileName) +
    '"\r\n'
  head += 'Content-Type: ' + mimeFor(fileName) + '\r\n\r\n'
  return {
    contentType: 'multipart/form-data; boundary=' + boundary,
    head: Buffer.from(head),
    tail: Buffer.from('\r\n--' + boundary + '--\r\n'),
  }
}
