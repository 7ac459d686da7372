// A page or component instance reduced to what the binding touches: `data` and a `setData`
// that applies paths as WeChat does and records every call with its JSON size.
export interface FakeInstance {
  data: Record<string, unknown>
  calls: Record<string, unknown>[]
  bytes: number
  setData(patch: Record<string, unknown>): void
}

// Applies one setData path (`a.b[2].c`) to `data`.
function applyPath(data: Record<string, unknown>, path: string, value: unknown): void {
  const steps = path.match(/[^.[\]]+/g) || []
  let node: Record<string, unknown> = data
  for (let i = 0; i < steps.length - 1; i++) {
    const next = node[steps[i]]
    if (typeof next !== 'object' || next === null)
      node[steps[i]] = /^\d+$/.test(steps[i + 1]) ? [] : {}
    node = node[steps[i]] as Record<string, unknown>
  }
  node[steps[steps.length - 1]] = value
}

/** A fresh fake instance. */
export function fakeInstance(): FakeInstance {
  const instance: FakeInstance = {
    data: {},
    calls: [],
    bytes: 0,
    setData(patch) {
      instance.calls.push(patch)
      instance.bytes += JSON.stringify(patch).length
      // WeChat copies the payload into data: later mutation of the caller's objects is not seen
      const copy = JSON.parse(JSON.stringify(patch)) as Record<string, unknown>
      for (const path in copy) applyPath(instance.data, path, copy[path])
    },
  }
  return instance
}
