// Real audio bytes for the simulated recorder, and durations read back from audio files for
// the simulated players. Formats, as RecorderManager names them:
// - 'wav': RIFF/WAVE, 16-bit PCM, a quiet 440 Hz tone.
// - 'PCM': the same samples without a header.
// - 'mp3': MPEG audio Layer III frames (MPEG-1, 2 or 2.5 by sample rate) of digital silence:
//   every granule has part2_3_length 0, which decoders play as silence.
// - 'aac': ADTS-framed AAC-LC, each raw block one SCE/CPE with max_sfb 0 (silence), 1024
//   samples per frame.
// Nothing here is a general encoder; it makes files whose length matches the recorded time.

/** The recorder formats WeChat accepts. */
export type RecordFormat = 'aac' | 'mp3' | 'wav' | 'PCM'

/** What the recorder was asked for. */
export interface AudioSpec {
  format: RecordFormat
  sampleRate: number
  numberOfChannels: 1 | 2
  encodeBitRate: number
}

const TONE_HZ = 440
const TONE_AMPLITUDE = 3000

const AAC_RATES = [
  96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000,
]
const MP3_RATES: Record<number, { version: number; index: number }> = {
  44100: { version: 3, index: 0 },
  48000: { version: 3, index: 1 },
  32000: { version: 3, index: 2 },
  22050: { version: 2, index: 0 },
  24000: { version: 2, index: 1 },
  16000: { version: 2, index: 2 },
  11025: { version: 0, index: 0 },
  12000: { version: 0, index: 1 },
  8000: { version: 0, index: 2 },
}
const MP3_BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
const MP3_BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]

/** The file extension WeChat gives a recording of `format`. */
export function extensionOf(format: RecordFormat): string {
  return format === 'PCM' ? 'pcm' : format
}

/** Samples in one unit of `encodeUnits`: a frame for aac/mp3, one sample for wav/PCM. */
export function samplesPerUnit(spec: AudioSpec): number {
  if (spec.format === 'aac') return 1024
  if (spec.format === 'mp3') return MP3_RATES[spec.sampleRate]?.version === 3 ? 1152 : 576
  return 1
}

/** Units needed for `samples` samples; `final` rounds a partial frame up. */
export function unitsFor(spec: AudioSpec, samples: number, final: boolean): number {
  const per = samplesPerUnit(spec)
  return final ? Math.ceil(samples / per) : Math.floor(samples / per)
}

/** The encoded bytes of units `[from, to)` (frames for aac/mp3, samples for wav/PCM). */
export function encodeUnits(spec: AudioSpec, from: number, to: number): Buffer {
  const count = Math.max(0, to - from)
  if (spec.format === 'aac') return repeat(aacFrame(spec), count)
  if (spec.format === 'mp3') return repeat(mp3Frame(spec), count)
  const out = Buffer.alloc(count * 2 * spec.numberOfChannels)
  let offset = 0
  for (let n = from; n < to; n++) {
    const value = Math.round(
      Math.sin((2 * Math.PI * TONE_HZ * n) / spec.sampleRate) * TONE_AMPLITUDE,
    )
    for (let c = 0; c < spec.numberOfChannels; c++) {
      out.writeInt16LE(value, offset)
      offset += 2
    }
  }
  return out
}

/** A whole file of `samples` samples: a WAV header in front of wav data, nothing else otherwise. */
export function encodeAudioFile(spec: AudioSpec, samples: number): Buffer {
  const body = encodeUnits(spec, 0, unitsFor(spec, samples, true))
  return spec.format === 'wav' ? Buffer.concat([wavHeader(spec, body.length), body]) : body
}

/** The 44-byte RIFF/WAVE header of 16-bit PCM data of `dataBytes` bytes. */
export function wavHeader(
  spec: Pick<AudioSpec, 'sampleRate' | 'numberOfChannels'>,
  dataBytes: number,
): Buffer {
  const h = Buffer.alloc(44)
  const blockAlign = spec.numberOfChannels * 2
  h.write('RIFF', 0, 'ascii')
  h.writeUInt32LE(36 + dataBytes, 4)
  h.write('WAVE', 8, 'ascii')
  h.write('fmt ', 12, 'ascii')
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(1, 20)
  h.writeUInt16LE(spec.numberOfChannels, 22)
  h.writeUInt32LE(spec.sampleRate, 24)
  h.writeUInt32LE(spec.sampleRate * blockAlign, 28)
  h.writeUInt16LE(blockAlign, 32)
  h.writeUInt16LE(16, 34)
  h.write('data', 36, 'ascii')
  h.writeUInt32LE(dataBytes, 40)
  return h
}

function repeat(frame: Buffer, count: number): Buffer {
  const out = Buffer.alloc(frame.length * count)
  for (let i = 0; i < count; i++) frame.copy(out, i * frame.length)
  return out
}

class BitWriter {
  private readonly bytes: number[] = []
  private current = 0
  private used = 0
  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.current = (this.current << 1) | ((value >>> i) & 1)
      this.used += 1
      if (this.used === 8) {
        this.bytes.push(this.current)
        this.current = 0
        this.used = 0
      }
    }
  }
  finish(): Buffer {
    if (this.used > 0) this.write(0, 8 - this.used)
    return Buffer.from(this.bytes)
  }
}

function aacFrame(spec: AudioSpec): Buffer {
  const sfi = AAC_RATES.indexOf(spec.sampleRate)
  const raw = new BitWriter()
  const silentIcs = () => {
    raw.write(100, 8) // global_gain (any value: no spectral data follows)
    raw.write(0, 1) // ics_reserved_bit
    raw.write(0, 2) // window_sequence ONLY_LONG
    raw.write(0, 1) // window_shape
    raw.write(0, 6) // max_sfb 0: no bands, so no section, scalefactor or spectral data
    raw.write(0, 1) // predictor_data_present
    raw.write(0, 3) // pulse, tns, gain_control data absent
  }
  if (spec.numberOfChannels === 2) {
    raw.write(1, 3) // ID_CPE
    raw.write(0, 4) // element_instance_tag
    raw.write(0, 1) // common_window
    silentIcs()
    silentIcs()
  } else {
    raw.write(0, 3) // ID_SCE
    raw.write(0, 4)
    silentIcs()
  }
  raw.write(7, 3) // ID_END
  const payload = raw.finish()
  const length = 7 + payload.length
  const h = new BitWriter()
  h.write(0xfff, 12) // syncword
  h.write(0, 1) // MPEG-4
  h.write(0, 2) // layer
  h.write(1, 1) // protection_absent
  h.write(1, 2) // profile: AAC LC (object type 2) - 1
  h.write(sfi < 0 ? 11 : sfi, 4)
  h.write(0, 1) // private
  h.write(spec.numberOfChannels, 3) // channel_configuration
  h.write(0, 4) // original, home, copyright bits
  h.write(length, 13)
  h.write(0x7ff, 11) // buffer fullness: VBR
  h.write(0, 2) // one raw data block
  return Buffer.concat([h.finish(), payload])
}

function mp3Layout(spec: Pick<AudioSpec, 'sampleRate' | 'encodeBitRate'>) {
  const rate = MP3_RATES[spec.sampleRate] ?? MP3_RATES[8000]
  const table = rate.version === 3 ? MP3_BITRATES_V1 : MP3_BITRATES_V2
  const kbps = spec.encodeBitRate / 1000
  let index = 1
  for (let i = 1; i < table.length; i++) if (table[i] <= kbps) index = i
  const coefficient = rate.version === 3 ? 144 : 72
  const length = Math.floor((coefficient * table[index] * 1000) / spec.sampleRate)
  return { rate, index, length }
}

function mp3Frame(spec: AudioSpec): Buffer {
  const { rate, index, length } = mp3Layout(spec)
  const frame = Buffer.alloc(length) // side information and main data all zero: silence
  frame[0] = 0xff
  frame[1] = 0xe0 | (rate.version << 3) | (1 << 1) | 1 // Layer III, no CRC
  frame[2] = (index << 4) | (rate.index << 2)
  frame[3] = spec.numberOfChannels === 1 ? 0xc0 : 0x00 // mono or stereo
  return frame
}

/**
 * The playing time in seconds of a WAV, ADTS AAC or MP3 file, read from its bytes; undefined
 * when the bytes are none of these.
 */
export function audioDuration(bytes: Buffer): number | undefined {
  if (
    bytes.length >= 12 &&
    bytes.toString('ascii', 0, 4) === 'RIFF' &&
    bytes.toString('ascii', 8, 12) === 'WAVE'
  ) {
    return wavDuration(bytes)
  }
  let offset = 0
  if (bytes.length >= 10 && bytes.toString('ascii', 0, 3) === 'ID3') {
    offset = 10 + ((bytes[6] << 21) | (bytes[7] << 14) | (bytes[8] << 7) | bytes[9])
  }
  if (bytes.length < offset + 4 || bytes[offset] !== 0xff) return undefined
  if ((bytes[offset + 1] & 0xf6) === 0xf0) return adtsDuration(bytes, offset)
  if ((bytes[offset + 1] & 0xe0) === 0xe0) return mp3Duration(bytes, offset)
  return undefined
}

function wavDuration(bytes: Buffer): number | undefined {
  let offset = 12
  let byteRate = 0
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4)
    const size = bytes.readUInt32LE(offset + 4)
    if (id === 'fmt ') byteRate = bytes.readUInt32LE(offset + 16)
    if (id === 'data') {
      const available = Math.min(size, bytes.length - offset - 8)
      return byteRate > 0 ? available / byteRate : undefined
    }
    offset += 8 + size + (size % 2)
  }
  return undefined
}

function adtsDuration(bytes: Buffer, start: number): number | undefined {
  let offset = start
  let frames = 0
  let sampleRate = 0
  while (
    offset + 7 <= bytes.length &&
    bytes[offset] === 0xff &&
    (bytes[offset + 1] & 0xf6) === 0xf0
  ) {
    sampleRate = AAC_RATES[(bytes[offset + 2] >> 2) & 0x0f] ?? 0
    const length =
      ((bytes[offset + 3] & 0x03) << 11) | (bytes[offset + 4] << 3) | (bytes[offset + 5] >> 5)
    if (length < 7) break
    frames += (bytes[offset + 6] & 0x03) + 1
    offset += length
  }
  return sampleRate > 0 && frames > 0 ? (frames * 1024) / sampleRate : undefined
}

function mp3Duration(bytes: Buffer, start: number): number | undefined {
  let offset = start
  let seconds = 0
  let frames = 0
  while (
    offset + 4 <= bytes.length &&
    bytes[offset] === 0xff &&
    (bytes[offset + 1] & 0xe0) === 0xe0
  ) {
    const version = (bytes[offset + 1] >> 3) & 0x03
    const layer = (bytes[offset + 1] >> 1) & 0x03
    const bitrateIndex = bytes[offset + 2] >> 4
    const rateIndex = (bytes[offset + 2] >> 2) & 0x03
    const padding = (bytes[offset + 2] >> 1) & 0x01
    if (
      version === 1 ||
      layer !== 1 ||
      bitrateIndex === 0 ||
      bitrateIndex === 15 ||
      rateIndex === 3
    )
      break
    const base = [44100, 48000, 32000][rateIndex]
    const sampleRate = version === 3 ? base : version === 2 ? base / 2 : base / 4
    const kbps = (version === 3 ? MP3_BITRATES_V1 : MP3_BITRATES_V2)[bitrateIndex]
    const coefficient = version === 3 ? 144 : 72
    const length = Math.floor((coefficient * kbps * 1000) / sampleRate) + padding
    seconds += (version === 3 ? 1152 : 576) / sampleRate
    frames += 1
    offset += length
  }
  return frames > 0 ? seconds : undefined
}
