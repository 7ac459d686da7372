// Checking and copying the tracks given to the audio stores.
import { argumentError, isPlainObject } from '../core/describe'
import type { AudioTrack } from './audio-state'

function checkString(
  api: string,
  field: string,
  value: unknown,
  required: boolean,
): TypeError | null {
  if (value === undefined && !required) return null
  if (typeof value !== 'string' || (required && value === '')) {
    return argumentError(api, field, required ? 'a non-empty string' : 'a string', value)
  }
  return null
}

/** Checks a track; returns the `TypeError` naming the bad field, or `null`. */
export function checkTrack(
  api: string,
  track: unknown,
  requireTitle: boolean,
  field = 'track',
): TypeError | null {
  if (!isPlainObject(track)) return argumentError(api, field, 'an object with `src`', track)
  const error =
    checkString(api, field + '.src', track.src, true) ||
    checkString(api, field + '.title', track.title, requireTitle) ||
    checkString(api, field + '.singer', track.singer, false) ||
    checkString(api, field + '.coverImgUrl', track.coverImgUrl, false) ||
    checkString(api, field + '.epname', track.epname, false) ||
    checkString(api, field + '.webUrl', track.webUrl, false)
  if (error) return error
  const start = track.startTime
  if (start !== undefined && !(typeof start === 'number' && isFinite(start) && start >= 0)) {
    return argumentError(api, field + '.startTime', 'a number of seconds >= 0', start)
  }
  return null
}

/** A shallow copy of a track, so later changes by the caller do not reach the store. */
export function copyTrack(track: AudioTrack): AudioTrack {
  const copy = {} as AudioTrack
  for (const key in track) {
    if (Object.prototype.hasOwnProperty.call(track, key)) {
      ;(copy as unknown as Record<string, unknown>)[key] = (
        track as unknown as Record<string, unknown>
      )[key]
    }
  }
  return copy
}
