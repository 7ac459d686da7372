// Files the demo server hands out, made in code so nothing binary is committed: a one-page
// PDF, a PNG, an MP3 of silence (encoders from miniprogram-rx/testing), and a blob of any size.
'use strict'
const { encodePng, encodeAudioFile } = require('../../dist/testing.cjs')

/** A valid one-page PDF with a line of text. */
function samplePdf(text = 'miniprogram-rx demo') {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null, // the content stream, below
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  const stream = 'BT /F1 18 Tf 24 64 Td (' + text.replace(/[()\\]/g, '') + ') Tj ET'
  objects[3] = '<< /Length ' + stream.length + ' >>\nstream\n' + stream + '\nendstream'
  let body = '%PDF-1.4\n'
  const offsets = []
  objects.forEach((object, i) => {
    offsets.push(body.length)
    body += i + 1 + ' 0 obj\n' + object + '\nendobj\n'
  })
  const xref = body.length
  body += 'xref\n0 ' + (objects.length + 1) + '\n0000000000 65535 f \n'
  for (const offset of offsets) body += String(offset).padStart(10, '0') + ' 00000 n \n'
  body +=
    'trailer\n<< /Size ' +
    (objects.length + 1) +
    ' /Root 1 0 R >>\nstartxref\n' +
    xref +
    '\n%%EOF\n'
  return Buffer.from(body, 'latin1')
}

/** A PNG of width x height with a soft gradient. */
function samplePng(width = 320, height = 200) {
  return encodePng({
    width,
    height,
    color: (x, y) => [
      40 + Math.round((180 * x) / width),
      120,
      200 - Math.round((120 * y) / height),
    ],
  })
}

/** An MP3 of `seconds` of silence (MPEG-1 Layer III, 44.1 kHz, 128 kbit/s). */
function sampleMp3(seconds = 30) {
  const spec = { format: 'mp3', sampleRate: 44100, numberOfChannels: 2, encodeBitRate: 128000 }
  return encodeAudioFile(spec, Math.round(seconds * spec.sampleRate))
}

/** `size` bytes of a repeating pattern. */
function blob(size) {
  const buf = Buffer.alloc(size)
  for (let i = 0; i < size; i++) buf[i] = i % 251
  return buf
}

module.exports = { samplePdf, samplePng, sampleMp3, blob }
