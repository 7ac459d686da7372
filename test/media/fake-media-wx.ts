// A scripted fake wx for the media unit tests: players and recorders whose events the test
// fires by hand, async APIs the test answers. Integration tests use createWxHost instead.

type Fn = (...args: any[]) => void
type Answer = { ok?: Record<string, unknown>; fail?: string } | 'never'

/** The fake and its controls. */
export interface FakeMediaWx {
  wx: Record<string, any>
  /** Calls in order: `playBackgroundAudio`, `manager.play`, `manager.src=a.mp3`, ... */
  calls: string[]
  /** The options each async API was called with, in order. */
  options: Record<string, Record<string, any>[]>
  /** Fires the listeners of `event` (`Manager.Play`, `BackgroundAudioStop`, `Inner1.Ended`). */
  emit(event: string, payload?: unknown): void
  /** Listeners of one event, or of all. */
  count(event?: string): number
  /** Events that still have listeners, with their counts. */
  summary(): Record<string, number>
  /** Makes the async API `name` answer with `answer(options)` (default: ok with `{}`). */
  answer(name: string, answer: (options: Record<string, any>) => Answer): void
  /** The background audio manager's writable properties. */
  manager: Record<string, any>
  /** Inner audio contexts made so far. */
  contexts: Record<string, any>[]
  recorder: Record<string, any>
  install(): () => void
}

const PLAYER_EVENTS = [
  'Canplay',
  'Waiting',
  'Play',
  'Pause',
  'Stop',
  'Ended',
  'TimeUpdate',
  'Seeking',
  'Seeked',
  'Error',
]

export function createFakeMediaWx(
  members: {
    manager?: boolean
    legacyAudio?: boolean
    inner?: boolean
    recorder?: boolean
    legacyRecord?: boolean
    voice?: boolean
  } = {},
): FakeMediaWx {
  const has = {
    manager: true,
    legacyAudio: true,
    inner: true,
    recorder: true,
    legacyRecord: true,
    voice: true,
    ...members,
  }
  const listeners = new Map<string, Fn[]>()
  const calls: string[] = []
  const options: Record<string, Record<string, any>[]> = {}
  const answers: Record<string, (o: Record<string, any>) => Answer> = {}
  const on = (event: string, fn: Fn) => listeners.set(event, [...(listeners.get(event) ?? []), fn])
  const off = (event: string, fn?: Fn) =>
    listeners.set(event, fn ? (listeners.get(event) ?? []).filter((f) => f !== fn) : [])
  const wx: Record<string, any> = {}
  const asyncApi = (name: string) => {
    wx[name] = (o: Record<string, any> = {}) => {
      calls.push(name)
      ;(options[name] ??= []).push(o)
      const answer = answers[name] ? answers[name](o) : { ok: {} }
      if (answer === 'never') return
      void Promise.resolve().then(() => {
        if (answer.fail !== undefined) o.fail?.({ errMsg: name + ':fail ' + answer.fail })
        else o.success?.({ ...answer.ok, errMsg: name + ':ok' })
      })
    }
  }
  ;[
    'getSetting',
    'authorize',
    'showModal',
    'openSetting',
    'chooseImage',
    'chooseMedia',
    'previewImage',
    'getImageInfo',
    'saveImageToPhotosAlbum',
    'getFileInfo',
  ].forEach(asyncApi)

  const manager: Record<string, any> = {
    src: '',
    title: '',
    singer: '',
    coverImgUrl: '',
    epname: '',
    webUrl: '',
    startTime: 0,
    currentTime: 0,
    duration: 0,
    buffered: 0,
    paused: true,
  }
  let src = ''
  Object.defineProperty(manager, 'src', {
    get: () => src,
    set: (v) => {
      calls.push('manager.src=' + v)
      src = v
    },
  })
  for (const verb of ['play', 'pause', 'stop']) manager[verb] = () => calls.push('manager.' + verb)
  manager.seek = (p: number) => calls.push('manager.seek(' + p + ')')
  for (const event of [...PLAYER_EVENTS, 'Next', 'Prev']) {
    manager['on' + event] = (fn: Fn) => on('Manager.' + event, fn)
  }
  if (has.manager) wx.getBackgroundAudioManager = () => manager
  if (has.legacyAudio) {
    ;[
      'playBackgroundAudio',
      'pauseBackgroundAudio',
      'stopBackgroundAudio',
      'seekBackgroundAudio',
      'getBackgroundAudioPlayerState',
    ].forEach(asyncApi)
    for (const event of ['Play', 'Pause', 'Stop']) {
      wx['onBackgroundAudio' + event] = (fn: Fn) => on('BackgroundAudio' + event, fn)
    }
  }

  const contexts: Record<string, any>[] = []
  if (has.inner) {
    wx.createInnerAudioContext = () => {
      const id = 'Inner' + (contexts.length + 1)
      const c: Record<string, any> = {
        id,
        currentTime: 0,
        duration: 0,
        buffered: 0,
        destroyed: false,
      }
      let csrc = ''
      Object.defineProperty(c, 'src', {
        get: () => csrc,
        set: (v) => {
          calls.push(id + '.src=' + v)
          csrc = v
        },
      })
      for (const verb of ['play', 'pause', 'stop']) c[verb] = () => calls.push(id + '.' + verb)
      c.seek = (p: number) => calls.push(id + '.seek(' + p + ')')
      c.destroy = () => {
        calls.push(id + '.destroy')
        c.destroyed = true
      }
      for (const event of PLAYER_EVENTS) {
        c['on' + event] = (fn: Fn) => on(id + '.' + event, fn)
        c['off' + event] = (fn?: Fn) => off(id + '.' + event, fn)
      }
      contexts.push(c)
      return c
    }
  }
  if (has.voice) ['playVoice', 'stopVoice', 'pauseVoice'].forEach(asyncApi)

  const recorder: Record<string, any> = {}
  for (const verb of ['pause', 'resume', 'stop'])
    recorder[verb] = () => calls.push('recorder.' + verb)
  recorder.start = (o: Record<string, any>) => {
    calls.push('recorder.start')
    ;(options['recorder.start'] ??= []).push(o)
  }
  for (const event of [
    'Start',
    'Pause',
    'Resume',
    'Stop',
    'FrameRecorded',
    'Error',
    'InterruptionBegin',
    'InterruptionEnd',
  ]) {
    recorder['on' + event] = (fn: Fn) => on('Recorder.' + event, fn)
  }
  if (has.recorder) wx.getRecorderManager = () => recorder
  if (has.legacyRecord) ['startRecord', 'stopRecord'].forEach(asyncApi)

  return {
    wx,
    calls,
    options,
    manager,
    contexts,
    recorder,
    emit: (event, payload) => (listeners.get(event) ?? []).slice().forEach((fn) => fn(payload)),
    count: (event) =>
      event === undefined
        ? [...listeners.values()].reduce((n, l) => n + l.length, 0)
        : (listeners.get(event) ?? []).length,
    summary: () => {
      const out: Record<string, number> = {}
      listeners.forEach((list, event) => {
        if (list.length > 0) out[event] = list.length
      })
      return out
    },
    answer: (name, fn) => {
      answers[name] = fn
    },
    install() {
      const g = globalThis as { wx?: unknown }
      const had = 'wx' in g
      const previous = g.wx
      g.wx = wx
      return () => {
        if (had) g.wx = previous
        else delete g.wx
      }
    },
  }
}

/** Lets pending promise callbacks run (the fake answers on a microtask). */
export async function flush(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}
