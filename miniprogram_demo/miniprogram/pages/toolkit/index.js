// Request toolkit: one pool wrapped in withAuth (a token refreshed once however many calls get
// a 401, the calls replayed) and withDedupe (identical GETs in flight share one request), and
// a query client that keeps the news list in storage, so a cold start shows the last list at
// once, marked stale, until the network answers. The news card is bound to the query with
// bindData: the subscription ends with the page (dataBindings), and each state change sends
// only the fields that changed.
const {
  bindData,
  createQueryClient,
  createRequestPool,
  dataBindings,
  isAuthRefreshError,
  withAuth,
  withDedupe,
} = require('miniprogram-rx')
const { map } = require('miniprogram-rx/rxjs')
const config = require('../../config')

const TOKEN_KEY = 'demo.toolkit.token'
const BURST = 3

// What the news card shows for a query state (only what the page binds, no Error objects).
function newsView(state) {
  return {
    status: state.status,
    items: (state.data && state.data.items) || [],
    edition: state.data ? state.data.edition : 0,
    stale: state.isStale,
    fetching: state.isFetching,
    error: state.error ? state.error.message : '',
  }
}

Component({
  behaviors: [dataBindings()],
  data: {
    news: newsView({ status: 'loading', data: null, error: null, isStale: true }),
    token: '',
    burst: '',
    refreshes: 0,
    error: '',
  },
  lifetimes: {
    attached() {
      const bare = createRequestPool({
        baseURL: config.serverUrl(),
        allowInsecure: true, // the demo server speaks http://
        retry: false,
      })
      this.token = wx.getStorageSync(TOKEN_KEY) || 'tk-1'
      this.setData({ token: this.token })
      this.bare = bare
      this.api = withDedupe(
        withAuth(bare, {
          getToken: () => this.token,
          // Through the bare pool: through the wrapped one it would wait for itself.
          refresh: () =>
            bare.request({ url: '/toolkit/token', method: 'POST' }).then((res) => {
              this.token = res.data.token
              wx.setStorageSync(TOKEN_KEY, this.token)
              this.setData({ token: this.token, refreshes: this.data.refreshes + 1 })
            }),
        }),
      )
      this.queries = createQueryClient({ persist: { prefix: 'demo.query:' } })
      const news$ = this.queries.query$('news', ({ signal }) =>
        this.api.request({ url: '/toolkit/news', signal }).then((res) => res.data),
      )
      bindData(this, { news: news$.pipe(map(newsView)) })
    },
    detached() {
      // the binding has ended by now (the behavior's detached runs first)
      this.queries.clear()
    },
  },
  methods: {
    // The server forgets the token the app holds: the next calls get 401.
    expireToken() {
      return this.bare
        .request({ url: '/toolkit/expire', method: 'POST' })
        .then(() => this.setData({ burst: 'The server no longer accepts ' + this.token }))
    },
    // Three different components asking at once: each gets 401, one refresh, three replays.
    loadBurst() {
      const calls = []
      for (let i = 0; i < BURST; i++) {
        calls.push(this.api.request({ url: '/toolkit/news', data: { component: i } }))
      }
      this.setData({ burst: BURST + ' calls on their way', error: '' })
      return Promise.all(calls).then(
        (answers) => {
          // A new edition is out: the cached list is stale, and the subscribed query refetches.
          this.queries.invalidate('news')
          this.setData({
            burst:
              answers.length +
              ' answers with edition ' +
              answers[0].data.edition +
              ' after ' +
              this.data.refreshes +
              ' refresh(es)',
          })
        },
        (error) =>
          this.setData({
            error: isAuthRefreshError(error) ? 'Sign in again: ' + error.message : error.message,
          }),
      )
    },
    refetchNews() {
      return this.queries.refetch('news')
    },
  },
})
