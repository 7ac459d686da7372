// Small real images made in code, for scripted picks (`host.media.pickImages`) and tests:
// a PNG encoder (filter 0 + zlib) and a baseline JPEG encoder that stores each 8x8 block as
// its average colour (DC coefficients only, quantisation 1, tiny Huffman tables), optionally
// with an EXIF orientation. Both produce files that ordinary decoders open.
import { deflateSync } from 'node:zlib'

/** An RGB colour, each channel 0..255. */
export type Rgb = readonly [number, number, number]

/** What to draw: a size and either one colour or a colour per pixel. */
export interface ImageFixtureOptions {
  /** Width in pixels (1..65535). */
  width: number
  /** Height in pixels (1..65535). */
  height: number
  /** One colour, or a function giving the colour of pixel (x, y). @default a gradient */
  color?: Rgb | ((x: number, y: number) => Rgb)
}

/** Options of `encodeJpeg`. */
export interface JpegFixtureOptions extends ImageFixtureOptions {
  /** EXIF orientation 1..8 written in an APP1 segment; none when absent. */
  orientation?: number
}

function pixelOf(options: ImageFixtureOptions): (x: number, y: number) => Rgb {
  const { width, height, color } = options
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    width > 65535 ||
    height > 65535
  ) {
    throw new TypeError(
      'image fixture: width and height must be integers in 1..65535, got ' + width + 'x' + height,
    )
  }
  if (typeof color === 'function') return color
  if (color) return () => color
  return (x, y) => [
    Math.round((255 * x) / Math.max(1, width - 1)),
    Math.round((255 * y) / Math.max(1, height - 1)),
    128,
  ]
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A real 8-bit RGB PNG of the given size and colours. */
export function encodePng(options: ImageFixtureOptions): Buffer {
  const pixel = pixelOf(options)
  const { width, height } = options
  const raw = Buffer.alloc((width * 3 + 1) * height)
  let o = 0
  for (let y = 0; y < height; y++) {
    raw[o++] = 0 // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y)
      raw[o++] = r
      raw[o++] = g
      raw[o++] = b
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

function segment(marker: number, data: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0])
  head.writeUInt16BE(data.length + 2, 2)
  return Buffer.concat([head, data])
}

function exifOrientation(orientation: number): Buffer {
  const b = Buffer.alloc(6 + 8 + 2 + 12 + 4)
  b.write('Exif\0\0', 0, 'binary')
  b.write('MM', 6, 'ascii')
  b.writeUInt16BE(42, 8)
  b.writeUInt32BE(8, 10) // IFD0 right after the TIFF header
  b.writeUInt16BE(1, 14) // one entry
  b.writeUInt16BE(0x0112, 16) // Orientation
  b.writeUInt16BE(3, 18) // SHORT
  b.writeUInt32BE(1, 20)
  b.writeUInt16BE(orientation, 24)
  b.writeUInt32BE(0, 28) // no next IFD
  return b
}

/** A real baseline JPEG (YCbCr 4:4:4) whose 8x8 blocks carry the block's average colour. */
export function encodeJpeg(options: JpegFixtureOptions): Buffer {
  const pixel = pixelOf(options)
  const { width, height, orientation } = options
  if (
    orientation !== undefined &&
    (!Number.isInteger(orientation) || orientation < 1 || orientation > 8)
  ) {
    throw new TypeError('encodeJpeg: orientation must be an integer 1..8, got ' + orientation)
  }
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])]
  if (orientation !== undefined) parts.push(segment(0xe1, exifOrientation(orientation)))
  else
    parts.push(segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])))
  parts.push(segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])))
  const sof = Buffer.from([8, 0, 0, 0, 0, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0])
  sof.writeUInt16BE(height, 1)
  sof.writeUInt16BE(width, 3)
  parts.push(segment(0xc0, sof))
  // DC table: categories 0..11, all with 4-bit codes (code = category). AC table: only EOB,
  // with the 1-bit code 0.
  const dcCounts = Buffer.alloc(16)
  dcCounts[3] = 12
  const dc = Buffer.concat([
    Buffer.from([0x00]),
    dcCounts,
    Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
  ])
  const acCounts = Buffer.alloc(16)
  acCounts[0] = 1
  const ac = Buffer.concat([Buffer.from([0x10]), acCounts, Buffer.from([0x00])])
  parts.push(segment(0xc4, Buffer.concat([dc, ac])))
  parts.push(segment(0xda, Buffer.from([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0])))

  const bytes: number[] = []
  let acc = 0
  let used = 0
  const put = (value: number, bits: number) => {
    for (let i = bits - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >>> i) & 1)
      used += 1
      if (used === 8) {
        bytes.push(acc)
        if (acc === 0xff) bytes.push(0) // byte stuffing
        acc = 0
        used = 0
      }
    }
  }
  const previous = [0, 0, 0]
  const blocksX = Math.ceil(width / 8)
  const blocksY = Math.ceil(height / 8)
  for (let by = 0; by < blocksY; by++) {
    for (let bx = 0; bx < blocksX; bx++) {
      const sum = [0, 0, 0]
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 8; x++) {
          const [r, g, b] = pixel(Math.min(width - 1, bx * 8 + x), Math.min(height - 1, by * 8 + y))
          sum[0] += 0.299 * r + 0.587 * g + 0.114 * b
          sum[1] += -0.168736 * r - 0.331264 * g + 0.5 * b + 128
          sum[2] += 0.5 * r - 0.418688 * g - 0.081312 * b + 128
        }
      }
      for (let c = 0; c < 3; c++) {
        // The DC coefficient of an 8x8 DCT is 8 x the mean of the level-shifted samples.
        const coefficient = Math.max(-1024, Math.min(1016, Math.round((sum[c] / 64 - 128) * 8)))
        const diff = coefficient - previous[c]
        previous[c] = coefficient
        const magnitude = Math.abs(diff)
        const category = magnitude === 0 ? 0 : Math.floor(Math.log2(magnitude)) + 1
        put(category, 4)
        if (category > 0) put(diff >= 0 ? diff : diff + (1 << category) - 1, category)
        put(0, 1) // EOB: every AC coefficient is zero
      }
    }
  }
  if (used > 0) put((1 << (8 - used)) - 1, 8 - used) // pad with 1 bits
  parts.push(Buffer.from(bytes), Buffer.from([0xff, 0xd9]))
  return Buffer.concat(parts)
}
