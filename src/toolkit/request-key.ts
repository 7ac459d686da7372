// What makes two requests "the same" for withDedupe: method, URL with its query, data, the
// response options, and every header but the ignored ones (names in any case). A request
// whose caller wants more than the result (a stream, its own headers events) or whose answer
// depends on more than its options (its own validateStatus) has none.

/** Headers that differ per request without changing the answer. */
export const DEFAULT_IGNORED_HEADERS: readonly string[] = [
  'x-request-id',
  'traceparent',
  'tracestate',
]

// JSON with object keys sorted, so `{ a, b }` and `{ b, a }` are the same data. Only what JSON
// data can hold is expected here; anything else makes the request unkeyable.
function stableJson(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') {
    const type = typeof value
    return type === 'string' || type === 'number' || type === 'boolean' || value === null
      ? JSON.stringify(value)
      : undefined
  }
  if (Array.isArray(value)) {
    const items: string[] = []
    for (const item of value) {
      const json = stableJson(item)
      if (json === undefined) return undefined
      items.push(json)
    }
    return '[' + items.join(',') + ']'
  }
  if (Object.prototype.toString.call(value) !== '[object Object]') return undefined
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort()
  const fields: string[] = []
  for (const key of keys) {
    if (record[key] === undefined) continue
    const json = stableJson(record[key])
    if (json === undefined) return undefined
    fields.push(JSON.stringify(key) + ':' + json)
  }
  return '{' + fields.join(',') + '}'
}

function headersKey(header: unknown, ignored: readonly string[]): string | undefined {
  if (header === undefined || header === null) return ''
  if (typeof header !== 'object') return undefined
  const record = header as Record<string, unknown>
  const names: string[] = []
  for (const name in record) {
    const lower = name.toLowerCase()
    if (ignored.indexOf(lower) < 0 && record[name] !== undefined) names.push(name)
  }
  names.sort()
  let key = ''
  for (const name of names) key += name.toLowerCase() + ':' + String(record[name]) + '\n'
  return key
}

/**
 * The identity of a request for sharing one wire request, or `undefined` when it must not be
 * shared: it streams (`onChunkReceived`, `enableChunked`), listens to its own headers
 * (`onHeadersReceived`), judges statuses its own way (`validateStatus`), or carries data that is not plain JSON (an ArrayBuffer).
 */
export function requestKey(
  options: Record<string, unknown>,
  ignoredHeaders: readonly string[],
): string | undefined {
  if (
    options.onChunkReceived ||
    options.enableChunked ||
    options.onHeadersReceived ||
    options.validateStatus
  ) {
    return undefined
  }
  const url = options.url
  if (typeof url !== 'string') return undefined
  const data = options.data === undefined ? '' : stableJson(options.data)
  const header = headersKey(options.header, ignoredHeaders)
  if (data === undefined || header === undefined) return undefined
  const method = String(options.method || 'GET').toUpperCase()
  return (
    method +
    ' ' +
    url +
    '\n' +
    String(options.dataType || '') +
    '|' +
    String(options.responseType || '') +
    '\n' +
    data +
    '\n' +
    header
  )
}
