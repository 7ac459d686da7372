// A wx storage that costs what WeChat's costs: setStorage/getStorage/removeStorage touch one
// key (flat in the number of keys), getStorageInfo lists every key and sums their sizes (it
// grows with the number of keys). The Node host's storage copies its map on each write (it
// commits all or nothing), so it cannot show what a per-write scan costs on a phone.
//
// With `{ discard: true }` writes succeed but nothing is kept (every key reads as absent), so
// a heap measurement sees the SDK's memory alone, not the stored values.
export function createStorageWx({ discard = false } = {}) {
  const items = new Map()
  const ok = (api, o, result) => {
    if (o.success) o.success({ errMsg: api + ':ok', ...result })
  }
  const wx = {
    setStorage(o) {
      const data = JSON.stringify(o.data)
      if (!discard) items.set(o.key, data)
      ok('setStorage', o)
    },
    setStorageSync(key, data) {
      items.set(key, JSON.stringify(data))
    },
    getStorage(o) {
      if (!items.has(o.key)) {
        if (o.fail) o.fail({ errMsg: 'getStorage:fail data not found' })
        return
      }
      ok('getStorage', o, { data: JSON.parse(items.get(o.key)) })
    },
    removeStorage(o) {
      items.delete(o.key)
      ok('removeStorage', o)
    },
    getStorageInfo(o) {
      const keys = []
      let bytes = 0
      for (const [key, data] of items) {
        keys.push(key)
        bytes += key.length + data.length
      }
      ok('getStorageInfo', o, {
        keys,
        currentSize: Math.ceil(bytes / 1024),
        limitSize: 10240,
      })
    },
  }
  return { wx, items }
}
