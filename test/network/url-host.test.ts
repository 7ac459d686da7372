// The host the security checks read is the host a WHATWG parser (and the platform) sends to.
// Node's URL class is the referee here; the SDK's parser runs where there is no URL class.
import fc from 'fast-check'
import { createRequestPool, isWxError } from 'miniprogram-rx'
import { parseUrlHost } from '../../src/network/url-host'

/** What Node's WHATWG parser makes of `url`, in parseUrlHost's terms (no trailing dot). */
function whatwg(url: string) {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  const scheme = parsed.protocol.slice(0, -1)
  if (scheme !== 'http' && scheme !== 'https') return undefined
  const hostname = parsed.hostname.replace(/\.$/, '')
  if (!hostname) return undefined
  const port = parsed.port || (scheme === 'http' ? '80' : '443')
  return { scheme, hostname, host: parsed.port ? hostname + ':' + parsed.port : hostname, port }
}

const TABLE: Array<[url: string, hostname: string | undefined, host: string | null]> = [
  // The bypass of issue 11: `\` ends the authority, so `@api.good.example` is in the path.
  ['http://127.0.0.1:8080\\@api.good.example/x', '127.0.0.1', '127.0.0.1:8080'],
  ['http://api.good.example\\@127.0.0.1/x', 'api.good.example', null],
  ['http://user:pw@api.good.example@127.0.0.1/x', '127.0.0.1', null],
  ['https://evil.example#@api.good.example/', 'evil.example', null],
  ['https://evil.example?@api.good.example/', 'evil.example', null],
  ['https:\\\\evil.example/', 'evil.example', null],
  ['https:evil.example/', 'evil.example', null],
  ['https:////evil.example/', 'evil.example', null],
  ['HTTPS://API.GOOD.EXAMPLE/', 'api.good.example', null],
  ['https://api.good.example./x', 'api.good.example', null],
  ['https://api%2Egood%2Eexample/x', 'api.good.example', null],
  ['https://api.goo\td.exam\nple/x', 'api.good.example', null],
  ['  https://api.good.example/x ', 'api.good.example', null],
  ['https://api.good.example:443/x', 'api.good.example', 'api.good.example'],
  ['https://api.good.example:0443/x', 'api.good.example', 'api.good.example'],
  ['https://api.good.example:8443/x', 'api.good.example', 'api.good.example:8443'],
  ['http://0x7f.1/', '127.0.0.1', null],
  ['http://2130706433/', '127.0.0.1', null],
  ['http://0177.0.0.1/', '127.0.0.1', null],
  ['http://127.0.0.1./', '127.0.0.1', null],
  ['http://[0:0::1]:8080/', '[::1]', '[::1]:8080'],
  ['http://[::FFFF:127.0.0.1]/', '[::ffff:7f00:1]', null],
  ['https://a%2Fb.example/', undefined, null],
  ['https://a b.example/', undefined, null],
  ['https://exa%mple/', undefined, null],
  ['https://256.0.0.1.5/', undefined, null],
  ['http://1.2.3.256/', undefined, null],
  ['https://[::1/', undefined, null],
  ['https://host:99999/', undefined, null],
  ['https://host:8o/', undefined, null],
  ['ftp://api.good.example/', undefined, null],
  ['//api.good.example/', undefined, null],
]

describe('parseUrlHost reads the host as a WHATWG parser does', () => {
  it.each(TABLE)('%j → %s', (url, hostname, host) => {
    const parsed = parseUrlHost(url)
    expect(parsed?.hostname).toBe(hostname)
    if (host !== null) expect(parsed?.host).toBe(host)
    // The referee agrees on every row this parser accepts.
    if (parsed) expect(parsed).toEqual(whatwg(url))
  })

  it('agrees with the WHATWG parser on generated ASCII URLs (or refuses them)', () => {
    const pieces = [
      'a',
      'b',
      '.',
      '@',
      ':',
      '\\',
      '/',
      '%2e',
      '%41',
      '[',
      ']',
      '1',
      '0x',
      '#',
      '?',
      '\t',
      ':80',
      '8',
    ]
    fc.assert(
      fc.property(
        fc.constantFrom('http://', 'https://', 'http:\\\\', 'https:', 'HTTP://'),
        fc.array(fc.constantFrom(...pieces), { maxLength: 12 }),
        (scheme, parts) => {
          const url = scheme + parts.join('')
          const ours = parseUrlHost(url)
          // Refusing what the referee accepts is safe; reading another host is not.
          if (ours) expect(ours).toEqual(whatwg(url))
        },
      ),
      { numRuns: 3000 },
    )
  })
})

describe('allowedHosts against the bypass', () => {
  it('refuses http://127.0.0.1:PORT\\@api.good.example/x before anything is sent', async () => {
    const sent: unknown[] = []
    const g = globalThis as { wx?: unknown }
    const previous = g.wx
    g.wx = { request: (options: unknown) => sent.push(options) }
    try {
      const pool = createRequestPool({
        allowInsecure: true,
        allowedHosts: ['api.good.example'],
        waitForNetwork: false,
        header: { Authorization: 'Bearer secret' },
      })
      const error = await pool.request({ url: 'http://127.0.0.1:8080\\@api.good.example/x' }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(TypeError)
      expect(String((error as Error).message)).toMatch(
        /host "127\.0\.0\.1:8080" is not in the pool's allowedHosts/,
      )
      expect(isWxError(error)).toBe(false)
      expect(sent).toEqual([])
      // Spellings of the allowed host pass: case, trailing dot, percent-encoding, default port.
      for (const url of [
        'http://API.good.example/x',
        'http://api.good.example./x',
        'http://api%2Egood.example/x',
        'http://api.good.example:80/x',
      ]) {
        void pool.request({ url }).catch(() => undefined)
      }
      expect(sent).toHaveLength(4)
    } finally {
      if (previous === undefined) delete g.wx
      else g.wx = previous
    }
  })
})
