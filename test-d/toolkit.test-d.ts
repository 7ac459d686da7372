// Types of the request toolkit, checked by `tsc -p test-d` against the built dist/index.d.ts:
// wrapped pools stay RequestPools and take the per-call switches, query states are typed by
// the fetcher, and the refresh error narrows.
import { expectTypeOf } from 'expect-type'
import {
  createQueryClient,
  createRequestPool,
  isAuthRefreshError,
  setDefaultRequestPool,
  withAuth,
  withDedupe,
  type AuthRefreshError,
  type CancellablePromise,
  type QueryState,
  type QueryStatus,
  type RequestPool,
  type RequestResult,
  type ToolkitRequestPool,
} from 'miniprogram-rx'
import type { Observable } from 'rxjs'

const bare = createRequestPool()
const api = withDedupe(withAuth(bare, { getToken: () => 't', refresh: async () => undefined }))
expectTypeOf(api).toEqualTypeOf<ToolkitRequestPool>()
expectTypeOf(api).toMatchTypeOf<RequestPool>()
setDefaultRequestPool(api)

const call = api.request<{ id: number }>({ url: '/x', dedupe: false, auth: true })
expectTypeOf(call).toEqualTypeOf<CancellablePromise<RequestResult<{ id: number }>>>()
// @ts-expect-error a switch is a boolean
api.request({ url: '/x', dedupe: 'no' })
// @ts-expect-error refresh is required
withAuth(bare, { getToken: () => 't' })

const queries = createQueryClient({ persist: { maxBytes: 1024 * 1024 } })
const todos$ = queries.query$(['todos', 1], async () => [{ id: 1, title: 'a' }])
expectTypeOf(todos$).toEqualTypeOf<Observable<QueryState<{ id: number; title: string }[]>>>()
todos$.subscribe((state) => {
  expectTypeOf(state.status).toEqualTypeOf<QueryStatus>()
  expectTypeOf(state.data).toEqualTypeOf<{ id: number; title: string }[] | null>()
  expectTypeOf(state.error).toEqualTypeOf<Error | null>()
})
expectTypeOf(queries.refetch<number>('n')).toEqualTypeOf<Promise<QueryState<number> | undefined>>()

const error: unknown = new Error('x')
if (isAuthRefreshError(error)) {
  expectTypeOf(error).toEqualTypeOf<AuthRefreshError>()
  expectTypeOf(error.code).toMatchTypeOf<string>()
}
