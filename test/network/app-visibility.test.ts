import { createWxHost } from 'miniprogram-rx/testing'
import { appVisible$ } from '../../src/network/app-visibility'

describe('appVisible$', () => {
  it('starts visible, follows hide and show, and leaves no listener', async () => {
    const host = createWxHost()
    ;(globalThis as any).wx = host.wx
    try {
      const seen: boolean[] = []
      const first = appVisible$.subscribe((visible) => seen.push(visible))
      const second = appVisible$.subscribe(() => undefined)
      host.hide()
      host.show()
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(seen).toEqual([true, false, true])
      first.unsubscribe()
      second.unsubscribe()
      expect(host.listenerCount('onAppShow')).toBe(0)
      expect(host.listenerCount('onAppHide')).toBe(0)
    } finally {
      await host.close()
      delete (globalThis as any).wx
    }
  })

  it('stays visible where wx has no app lifecycle events', () => {
    ;(globalThis as any).wx = {}
    const seen: boolean[] = []
    appVisible$.subscribe((visible) => seen.push(visible)).unsubscribe()
    expect(seen).toEqual([true])
    delete (globalThis as any).wx
  })
})

describe('appVisible$ for a late subscriber', () => {
  it('gives the current value at once while another subscriber holds the stream', async () => {
    const host = createWxHost()
    ;(globalThis as any).wx = host.wx
    try {
      const first = appVisible$.subscribe(() => undefined)
      host.hide()
      await new Promise((resolve) => setTimeout(resolve, 10))
      const seen: boolean[] = []
      const late = appVisible$.subscribe((visible) => seen.push(visible))
      expect(seen).toEqual([false])
      late.unsubscribe()
      first.unsubscribe()
      expect(host.listenerCount('onAppHide')).toBe(0)
    } finally {
      await host.close()
      delete (globalThis as any).wx
    }
  })
})
