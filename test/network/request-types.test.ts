// Type-level checks of the public network surface (checked by `tsc -p tsconfig.json`; the
// runtime part only makes sure the file runs).
import { expectTypeOf } from 'expect-type'
import type { Observable } from 'rxjs'
import {
  createRequestPool,
  download$,
  request,
  request$,
  upload$,
  type CancellablePromise,
  type DownloadEvent,
  type RequestPoolStats,
  type RequestResult,
  type UploadEvent,
} from 'miniprogram-rx'

it('types results, events and the cancellable promise', () => {
  type Item = { id: number }
  // Only the types of these expressions matter; nothing is called.
  const call = () => request<Item[]>({ url: 'https://a.test/items' })
  expectTypeOf(call).returns.toEqualTypeOf<CancellablePromise<RequestResult<Item[]>>>()
  expectTypeOf<Awaited<ReturnType<typeof call>>['data']>().toEqualTypeOf<Item[]>()
  expectTypeOf<ReturnType<typeof call>['abort']>().toEqualTypeOf<() => void>()
  expectTypeOf(request$<Item>).returns.toEqualTypeOf<Observable<RequestResult<Item>>>()
  expectTypeOf(upload$).returns.toEqualTypeOf<Observable<UploadEvent>>()
  expectTypeOf(download$).returns.toEqualTypeOf<Observable<DownloadEvent>>()

  const narrow = (e: UploadEvent) => {
    if (e.type === 'progress') expectTypeOf(e.totalBytesSent).toBeNumber()
    else if (e.type === 'headers') expectTypeOf(e.header).toEqualTypeOf<Record<string, string>>()
    else expectTypeOf(e.data).toBeString()
  }
  const narrowDownload = (e: DownloadEvent) => {
    if (e.type === 'progress') expectTypeOf(e.totalBytesWritten).toBeNumber()
    if (e.type === 'result') expectTypeOf(e.tempFilePath).toBeString()
  }
  expectTypeOf(narrow).toBeFunction()
  expectTypeOf(narrowDownload).toBeFunction()

  const pool = createRequestPool({ concurrency: 2 })
  expectTypeOf(pool.size).toBeNumber()
  expectTypeOf(pool.pending).toBeNumber()
  expectTypeOf(pool.stats$).toEqualTypeOf<Observable<RequestPoolStats>>()
  expectTypeOf(pool.onIdle).returns.toEqualTypeOf<Promise<void>>()
  // @ts-expect-error: a method wx does not know
  expectTypeOf(pool.request).toBeCallableWith({ url: 'https://a.test', method: 'FETCH' })
  // @ts-expect-error: uploads need filePath and name
  expectTypeOf(pool.uploadFile).toBeCallableWith({ url: 'https://a.test' })
})
