// What the user sees and answers: showModal, showToast/hideToast, showLoading/hideLoading,
// showActionSheet, the clipboard, vibration, the navigation bar title and page navigation.
// Every call is recorded so a test can assert what the page showed; the user's answers are
// scripted (a modal is confirmed and an action sheet is dismissed unless told otherwise).
import { HostFail, type HostContext } from './context'
import { optionalNumber, optionalString, parameterError, requireString } from './params'

/** How the user answers a modal. */
export type ModalAnswer = boolean | 'confirm' | 'cancel' | { confirm: boolean; content?: string }

/** A showModal call and the user's answer. */
export interface ModalRecord {
  title: string
  content: string
  showCancel: boolean
  confirmText: string
  cancelText: string
  editable: boolean
  answer: 'confirm' | 'cancel'
  /** What the user typed, for an editable modal. */
  typed?: string
}

/** A toast or loading indicator. */
export interface ToastRecord {
  kind: 'toast' | 'loading'
  title: string
  icon: string
  duration: number
  mask: boolean
}

/** A showActionSheet call and the user's answer. */
export interface ActionSheetRecord {
  itemList: string[]
  alertText: string
  /** The index tapped, or 'cancel'. */
  answer: number | 'cancel'
}

/** A navigation call. */
export interface NavigationRecord {
  api: 'navigateTo' | 'redirectTo' | 'navigateBack' | 'reLaunch' | 'switchTab'
  /** The url as given (navigateBack: none). */
  url?: string
  /** Pages popped (navigateBack). */
  delta?: number
}

/** Options of the UI calls. */
export interface UiHostOptions {
  /** The app's pages (routes without a leading slash); the first is the entry page. Navigation to other routes fails `page "x" is not found`. @default any route, entry `pages/index/index` */
  pages?: string[]
}

/** Controls of the UI calls (part of `host.device`). */
export interface UiHostControls {
  /** Scripts the answer to the next showModal. @default confirm */
  answerNextModal(answer: ModalAnswer): void
  /** Every showModal call, in order. */
  modals(): ModalRecord[]
  /** The toast or loading on screen now. */
  toast(): ToastRecord | undefined
  /** Every toast and loading shown, in order. */
  toasts(): ToastRecord[]
  /** Scripts the next showActionSheet: the index tapped or 'cancel'. @default 'cancel' */
  answerNextActionSheet(answer: number | 'cancel'): void
  /** Every showActionSheet call, in order. */
  actionSheets(): ActionSheetRecord[]
  /** The clipboard's text. */
  clipboard(): string
  /** The user copies `text` in another app. */
  setClipboard(text: string): void
  /** Every vibration, in order. */
  vibrations(): Array<{ kind: 'short' | 'long'; type?: string }>
  /** The navigation bar title set last ('' when never set). */
  navigationBarTitle(): string
  /** The page stack, bottom first (routes without a leading slash). */
  pages(): string[]
  /** Every navigation call that succeeded, in order. */
  navigations(): NavigationRecord[]
}

const MAX_PAGES = 10

/** Adds the UI members to `ctx.wx`. */
export function installUi(ctx: HostContext, options: UiHostOptions): UiHostControls {
  const modalAnswers: ModalAnswer[] = []
  const modals: ModalRecord[] = []
  const sheetAnswers: Array<number | 'cancel'> = []
  const sheets: ActionSheetRecord[] = []
  const toasts: ToastRecord[] = []
  const vibrations: Array<{ kind: 'short' | 'long'; type?: string }> = []
  const navigations: NavigationRecord[] = []
  let current: ToastRecord | undefined
  let cancelToastTimer: (() => void) | undefined
  let clipboard = ''
  let title = ''
  const known = options.pages?.map((p) => p.replace(/^\//, ''))
  const stack: string[] = [known?.[0] ?? 'pages/index/index']

  ctx.defineAsync('showModal', (o, settle) => {
    const scripted = modalAnswers.shift() ?? true
    const showCancel = o.showCancel !== false
    let confirm =
      typeof scripted === 'object' ? scripted.confirm : scripted === true || scripted === 'confirm'
    // A modal without a cancel button can only be confirmed.
    if (!showCancel) confirm = true
    const editable = o.editable === true
    const typed =
      typeof scripted === 'object' && scripted.content !== undefined ? scripted.content : ''
    const record: ModalRecord = {
      title: optionalString(o, 'title', ''),
      content: optionalString(o, 'content', ''),
      showCancel,
      confirmText: optionalString(o, 'confirmText', '确定'),
      cancelText: optionalString(o, 'cancelText', '取消'),
      editable,
      answer: confirm ? 'confirm' : 'cancel',
    }
    if (editable) record.typed = typed
    modals.push(record)
    const result: Record<string, unknown> = { confirm, cancel: !confirm }
    if (editable) result.content = confirm ? typed : ''
    settle.ok(result)
  })

  const show = (record: ToastRecord) => {
    cancelToastTimer?.()
    cancelToastTimer = undefined
    current = record
    toasts.push({ ...record })
    if (record.kind === 'toast') {
      cancelToastTimer = ctx.setTimer(() => {
        cancelToastTimer = undefined
        if (current === record) current = undefined
      }, record.duration)
    }
  }
  const hide = (kind: ToastRecord['kind']) => {
    if (current?.kind !== kind) return
    cancelToastTimer?.()
    cancelToastTimer = undefined
    current = undefined
  }
  ctx.defineAsync('showToast', (o, settle) => {
    show({
      kind: 'toast',
      title: requireString(o, 'title'),
      icon: optionalString(o, 'icon', 'success'),
      duration: optionalNumber(o, 'duration', 1500),
      mask: o.mask === true,
    })
    settle.ok({})
  })
  ctx.defineAsync('showLoading', (o, settle) => {
    show({
      kind: 'loading',
      title: requireString(o, 'title'),
      icon: 'loading',
      duration: 0,
      mask: o.mask === true,
    })
    settle.ok({})
  })
  ctx.defineAsync('hideToast', (_o, settle) => {
    hide('toast')
    settle.ok({})
  })
  ctx.defineAsync('hideLoading', (_o, settle) => {
    hide('loading')
    settle.ok({})
  })

  ctx.defineAsync('showActionSheet', (o, settle) => {
    if (!Array.isArray(o.itemList)) throw parameterError('itemList', 'Array', o.itemList)
    const itemList = o.itemList.map(String)
    if (itemList.length === 0)
      throw new HostFail('parameter error: parameter.itemList should have at least 1 item;', 1001)
    if (itemList.length > 6)
      throw new HostFail('parameter error: itemList should not be large than 6', 1001)
    const answer = sheetAnswers.shift() ?? 'cancel'
    if (
      answer !== 'cancel' &&
      !(Number.isInteger(answer) && answer >= 0 && answer < itemList.length)
    ) {
      // A scripted tap the sheet cannot have: the test is wrong, say so in the fail.
      throw new HostFail(
        'host: scripted tapIndex ' + answer + ' is outside itemList of ' + itemList.length,
      )
    }
    sheets.push({ itemList, alertText: optionalString(o, 'alertText', ''), answer })
    if (answer === 'cancel') throw new HostFail('cancel')
    settle.ok({ tapIndex: answer })
  })

  ctx.defineAsync('setClipboardData', (o, settle) => {
    clipboard = requireString(o, 'data')
    settle.ok({})
  })
  ctx.defineAsync('getClipboardData', (_o, settle) => settle.ok({ data: clipboard }))

  ctx.defineAsync('vibrateShort', (o, settle) => {
    const type = o.type === undefined ? undefined : requireString(o, 'type')
    if (type !== undefined && !['heavy', 'medium', 'light'].includes(type)) {
      throw new HostFail('style is not support')
    }
    vibrations.push(type === undefined ? { kind: 'short' } : { kind: 'short', type })
    settle.ok({})
  })
  ctx.defineAsync('vibrateLong', (_o, settle) => {
    vibrations.push({ kind: 'long' })
    settle.ok({})
  })
  ctx.defineAsync('setNavigationBarTitle', (o, settle) => {
    title = requireString(o, 'title')
    settle.ok({})
  })

  // ---- navigation -----------------------------------------------------------------------
  const route = (url: string): string => {
    const path = url.split('?')[0].split('#')[0]
    if (path.startsWith('/')) return path.slice(1)
    const base = stack[stack.length - 1].split('/').slice(0, -1)
    for (const part of path.split('/')) {
      if (part === '..') base.pop()
      else if (part !== '.' && part !== '') base.push(part)
    }
    return base.join('/')
  }
  const target = (o: Record<string, any>): { url: string; page: string } => {
    const url = requireString(o, 'url')
    const page = route(url)
    if (known && !known.includes(page)) throw new HostFail('page "' + page + '" is not found')
    return { url, page }
  }
  ctx.defineAsync('navigateTo', (o, settle) => {
    const { url, page } = target(o)
    if (stack.length >= MAX_PAGES) throw new HostFail('webview count limit exceed')
    stack.push(page)
    navigations.push({ api: 'navigateTo', url })
    settle.ok({})
  })
  ctx.defineAsync('redirectTo', (o, settle) => {
    const { url, page } = target(o)
    stack[stack.length - 1] = page
    navigations.push({ api: 'redirectTo', url })
    settle.ok({})
  })
  for (const api of ['reLaunch', 'switchTab'] as const) {
    ctx.defineAsync(api, (o, settle) => {
      const { url, page } = target(o)
      stack.splice(0, stack.length, page)
      navigations.push({ api, url })
      settle.ok({})
    })
  }
  ctx.defineAsync('navigateBack', (o, settle) => {
    const delta = Math.max(1, Math.floor(optionalNumber(o, 'delta', 1)))
    if (stack.length <= 1) throw new HostFail('cannot navigate back at first page.')
    const popped = Math.min(delta, stack.length - 1)
    stack.splice(stack.length - popped, popped)
    navigations.push({ api: 'navigateBack', delta: popped })
    settle.ok({})
  })

  return {
    answerNextModal(answer) {
      modalAnswers.push(answer)
    },
    modals: () => modals.map((m) => ({ ...m })),
    toast: () => (current ? { ...current } : undefined),
    toasts: () => toasts.map((t) => ({ ...t })),
    answerNextActionSheet(answer) {
      sheetAnswers.push(answer)
    },
    actionSheets: () => sheets.map((s) => ({ ...s, itemList: [...s.itemList] })),
    clipboard: () => clipboard,
    setClipboard(text) {
      clipboard = String(text)
    },
    vibrations: () => vibrations.map((v) => ({ ...v })),
    navigationBarTitle: () => title,
    pages: () => [...stack],
    navigations: () => navigations.map((n) => ({ ...n })),
  }
}
