/** @jest-environment jsdom */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createWxHost } from 'miniprogram-rx/testing'

const host = createWxHost()
const restore = host.install()
// miniprogram-simulate copies the global wx when it loads: require it after install().
const simulate = require('miniprogram-simulate')
const weather = simulate.load(join(__dirname, 'fixtures/weather/weather'), { compiler: 'simulate' })
// jsdom's document, typed loosely (this project compiles its tests without the DOM library)
const { document } = globalThis as any

const server = createServer((req, res) => {
  const city = new URL(req.url ?? '/', 'http://localhost').searchParams.get('city')
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ city, temperature: 27 }))
})
let api = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  api = 'http://127.0.0.1:' + (server.address() as AddressInfo).port + '/weather'
})

afterAll(async () => {
  restore()
  await host.close()
  await new Promise((resolve) => server.close(resolve))
})

async function renderWeather() {
  const page = simulate.render(weather, { api })
  page.attach(document.createElement('parent-wrapper'))
  while (page.data.status === 'loading') await simulate.sleep(5)
  return page
}

test('renders the weather the server sends', async () => {
  const page = await renderWeather()
  expect(page.querySelector('.city').dom.textContent).toBe('Shenzhen')
  expect(page.querySelector('.temperature').dom.textContent).toBe('27°C')
})

test('shows WeChat’s error when the phone is offline', async () => {
  host.setNetwork({ isConnected: false })
  const page = await renderWeather()
  expect(page.querySelector('.status').dom.textContent).toBe(
    'request:fail -106:net::ERR_INTERNET_DISCONNECTED',
  )
  host.setNetwork({ isConnected: true })
})
