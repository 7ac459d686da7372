// The scheme and host of an http(s) URL, read exactly as a WHATWG URL parser (and so the
// platform) reads them. Mini programs have no `URL` class, so this is the parser's host path
// written out by hand, for the two special schemes the pool sends to:
//   1. tabs and newlines anywhere are dropped; leading/trailing spaces and controls too;
//   2. after `http:` any run of `/` and `\` is skipped (`http:\\host`, `http:host`);
//   3. the authority ends at `/`, `\`, `?` or `#`; the host follows the LAST `@`;
//   4. the host is percent-decoded, lower-cased, checked for forbidden characters, and read
//      as IPv4 (`0x7f.1`, `2130706433`) or IPv6 (`[::1]`) when it looks like one;
//   5. the scheme's default port is dropped.
// Whatever a parser would refuse (or what this one cannot read, such as non-ASCII names) is
// `undefined`: the pool refuses it.

/** What the security checks read of a URL; all lower case. */
export interface UrlHost {
  /** `http` or `https`. */
  scheme: string
  /** `api.example.com`, `127.0.0.1`, `[::1]` (no trailing dot). */
  hostname: string
  /** `hostname` and `:port` when the port is not the scheme's default. */
  host: string
  /** The port the request goes to (the scheme's default when the URL gives none). */
  port: string
}

const DEFAULT_PORT: { [scheme: string]: string } = { http: '80', https: '443' }
// Characters a domain may not contain once decoded (WHATWG "forbidden domain code point").
// eslint-disable-next-line no-control-regex -- control characters are part of the set
const FORBIDDEN_IN_DOMAIN = /[\u0000-\u0020#%/:<>?@[\\\]^|\u007f]/
// eslint-disable-next-line no-control-regex -- what the parser strips at both ends
const EDGE_CONTROLS = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g

/** The parts of an absolute http(s) URL a parser would send to, or `undefined`. */
export function parseUrlHost(url: string): UrlHost | undefined {
  const input = url.replace(EDGE_CONTROLS, '').replace(/[\t\n\r]/g, '')
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(input)
  if (!schemeMatch) return undefined
  const scheme = schemeMatch[1].toLowerCase()
  if (!DEFAULT_PORT[scheme]) return undefined
  const rest = input.slice(schemeMatch[0].length).replace(/^[/\\]*/, '')
  const authority = /^[^/\\?#]*/.exec(rest)![0]
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1)
  const split = splitPort(hostAndPort)
  if (!split) return undefined
  const hostname = parseHost(split.host)
  if (!hostname) return undefined
  const port = split.port || DEFAULT_PORT[scheme]
  const host = port === DEFAULT_PORT[scheme] ? hostname : hostname + ':' + port
  return { scheme, hostname, host, port }
}

function splitPort(hostAndPort: string): { host: string; port: string } | undefined {
  const bracketEnd = hostAndPort[0] === '[' ? hostAndPort.indexOf(']') : -1
  const colon = hostAndPort.indexOf(':', bracketEnd < 0 ? 0 : bracketEnd)
  if (colon < 0) return { host: hostAndPort, port: '' }
  const digits = hostAndPort.slice(colon + 1)
  if (!/^\d*$/.test(digits)) return undefined
  // Leading zeros are dropped; an empty port is no port.
  const port = digits === '' ? '' : String(+digits)
  if (+port > 65535) return undefined
  return { host: hostAndPort.slice(0, colon), port }
}

function parseHost(raw: string): string | undefined {
  if (raw === '') return undefined
  if (raw[0] === '[') {
    if (raw[raw.length - 1] !== ']') return undefined
    const address = parseIpv6(raw.slice(1, -1))
    return address && '[' + address + ']'
  }
  let decoded: string
  try {
    decoded = decodeURIComponent(raw)
  } catch {
    return undefined
  }
  // Non-ASCII names need IDNA, which this parser does not do: refused rather than misread.
  if (/[^\u0020-\u007e]/.test(decoded) || FORBIDDEN_IN_DOMAIN.test(decoded)) return undefined
  const domain = decoded.toLowerCase()
  if (endsInNumber(domain)) return parseIpv4(domain)
  // `example.com.` is the same host as `example.com`.
  const name = domain.replace(/\.$/, '')
  return name === '' ? undefined : name
}

function endsInNumber(domain: string): boolean {
  const parts = domain.split('.')
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop()
  const last = parts[parts.length - 1]
  return /^\d+$/.test(last) || /^0x[0-9a-f]*$/.test(last)
}

// One dotted part: hex after `0x`, octal after a leading `0`, else decimal; NaN when neither.
function parseIpv4Number(part: string): number {
  if (part === '0x') return 0
  if (/^0x[0-9a-f]+$/.test(part)) return parseInt(part.slice(2), 16)
  if (/^0[0-7]+$/.test(part)) return parseInt(part.slice(1), 8)
  return /^(0|[1-9]\d*)$/.test(part) ? +part : NaN
}

/** `127.1`, `0x7f.0.0.1`, `2130706433`, `127.0.0.1.` → `127.0.0.1`; else undefined. */
function parseIpv4(domain: string): string | undefined {
  const parts = domain.split('.')
  if (parts[parts.length - 1] === '' && parts.length > 1) parts.pop()
  if (parts.length > 4) return undefined
  const numbers = parts.map(parseIpv4Number)
  if (numbers.some((n) => n !== n)) return undefined
  const last = numbers.pop() as number
  if (numbers.some((n) => n > 255) || last >= Math.pow(256, 5 - parts.length)) return undefined
  let address = last
  numbers.forEach((n, i) => {
    address += n * Math.pow(256, 3 - i)
  })
  const bytes: number[] = []
  for (let i = 3; i >= 0; i--) bytes.push(Math.floor(address / Math.pow(256, i)) % 256)
  return bytes.join('.')
}

/** An IPv6 address in its shortest form (`0:0::1` → `::1`), or undefined. */
function parseIpv6(text: string): string | undefined {
  const lower = text.toLowerCase()
  const halves = lower.split('::')
  if (halves.length > 2) return undefined
  const head = readGroups(halves[0])
  const tail = halves.length === 2 ? readGroups(halves[1]) : []
  if (!head || !tail) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined
  const groups = head.slice()
  for (let i = 0; i < missing; i++) groups.push(0)
  return serializeIpv6(groups.concat(tail))
}

function readGroups(text: string): number[] | undefined {
  if (text === '') return []
  const groups: number[] = []
  const pieces = text.split(':')
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]
    if (i === pieces.length - 1 && piece.indexOf('.') >= 0) {
      const v4 = /^\d+\.\d+\.\d+\.\d+$/.test(piece) ? piece.split('.').map(Number) : []
      if (v4.length !== 4 || v4.some((n) => n > 255)) return undefined
      groups.push(v4[0] * 256 + v4[1], v4[2] * 256 + v4[3])
    } else if (/^[0-9a-f]{1,4}$/.test(piece)) groups.push(parseInt(piece, 16))
    else return undefined
  }
  return groups
}

function serializeIpv6(groups: number[]): string {
  // The first longest run of two or more zero groups becomes `::`.
  let bestAt = -1
  let bestLength = 1
  for (let i = 0; i < 8;) {
    let end = i
    while (end < 8 && groups[end] === 0) end++
    if (end - i > bestLength) {
      bestAt = i
      bestLength = end - i
    }
    i = end > i ? end : i + 1
  }
  const hex = groups.map((group) => group.toString(16))
  if (bestAt < 0) return hex.join(':')
  return hex.slice(0, bestAt).join(':') + '::' + hex.slice(bestAt + bestLength).join(':')
}
