#!/usr/bin/env node
// Generates src/core/wx-catalog.generated.ts: the names of every member of
// `WechatMiniprogram.Wx`, sorted into kinds, read from miniprogram-api-typings (plus our
// own declarations in typings/) with the TypeScript compiler API.
//
//   node scripts/generate-catalog.mjs          write the file
//   node scripts/generate-catalog.mjs --check  exit 1 if the file is out of date
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const ts = require('typescript')
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const typingsPkg = require.resolve('miniprogram-api-typings/package.json', { paths: [root] })
const typingsVersion = JSON.parse(readFileSync(typingsPkg, 'utf8')).version
const typingsEntry = join(dirname(typingsPkg), 'types', 'index.d.ts')
const ownTypings = readdirSync(join(root, 'typings'))
  .filter((f) => f.endsWith('.d.ts'))
  .map((f) => join(root, 'typings', f))
const outFile = join(root, 'src', 'core', 'wx-catalog.generated.ts')

/** Reads the typings and sorts every member of `Wx` into one kind. */
export function buildCatalog() {
  const program = ts.createProgram([typingsEntry, ...ownTypings], {
    noEmit: true,
    types: [],
    skipLibCheck: true,
  })
  const checker = program.getTypeChecker()
  const entry = program.getSourceFile(typingsEntry)
  const ns = checker
    .getSymbolsInScope(entry, ts.SymbolFlags.Namespace)
    .find((s) => s.name === 'WechatMiniprogram')
  if (!ns) throw new Error('namespace WechatMiniprogram not found in ' + typingsEntry)
  const wxSymbol = checker.getExportsOfModule(ns).find((s) => s.name === 'Wx')
  if (!wxSymbol) throw new Error('interface WechatMiniprogram.Wx not found')
  const wxType = checker.getDeclaredTypeOfSymbol(wxSymbol)

  const typeOf = (symbol) => checker.getTypeOfSymbolAtLocation(symbol, symbol.declarations[0])
  const constraintOf = (type) =>
    type.isTypeParameter() ? (checker.getBaseConstraintOfType(type) ?? type) : type
  const hasMethod = (type) =>
    checker
      .getPropertiesOfType(checker.getApparentType(type))
      .some((p) => typeOf(p).getCallSignatures().length > 0)

  const kinds = { async: [], task: [], sync: [], factory: [], listener: [], property: [] }
  const names = new Set()
  for (const member of checker.getPropertiesOfType(wxType)) {
    const name = member.name
    names.add(name)
    const signatures = typeOf(member).getCallSignatures()
    if (signatures.length === 0) {
      kinds.property.push(name)
      continue
    }
    const signature = signatures[0]
    const first = signature.getParameters()[0]
    const firstType = first ? constraintOf(typeOf(first)) : undefined
    const takesCallbacks =
      firstType !== undefined &&
      checker.getApparentType(firstType).getProperty('success') !== undefined
    const returnType = signature.getReturnType()
    if (takesCallbacks) {
      kinds.async.push(name)
      // A task API returns an object with methods (RequestTask, SocketTask, ...), not
      // void and not the Promise of the callback-less form.
      const returned = checker.typeToString(returnType)
      if (
        !/^(void|Promise<.*>|PromisifySuccessResult<.*>)$/.test(returned) &&
        hasMethod(returnType)
      ) {
        kinds.task.push(name)
      }
    } else if (/^(on|off)[A-Z]/.test(name)) {
      kinds.listener.push(name)
    } else if (
      !/Sync$/.test(name) &&
      (returnType.flags & ts.TypeFlags.Object) !== 0 &&
      hasMethod(returnType) &&
      !/ArrayBuffer/.test(checker.typeToString(returnType))
    ) {
      kinds.factory.push(name)
    } else {
      kinds.sync.push(name)
    }
  }
  const unpaired = kinds.listener.filter(
    (name) => name.startsWith('on') && !names.has('off' + name.slice(2)),
  )
  for (const list of Object.values(kinds)) list.sort()
  unpaired.sort()
  // The compact form wxp ships: each event once, `!` before those without an off*.
  const events = kinds.listener
    .filter((name) => name.startsWith('on'))
    .map((name) => (unpaired.includes(name) ? '!' : '') + name.slice(2))
  return { version: typingsVersion, kinds, unpaired, events }
}

// Front coding: sorted names, each written as the length of the prefix it shares with the
// previous name (one base-36 digit, at most 35) and the rest. The raw bytes of miniprogram_dist
// are budgeted, and this makes the list a third smaller than plain names.
function frontCode(names) {
  let previous = ''
  return [...names]
    .sort()
    .map((name) => {
      let shared = 0
      while (shared < 35 && shared < previous.length && name[shared] === previous[shared]) shared++
      previous = name
      return shared.toString(36) + name.slice(shared)
    })
    .join(',')
}

function render({ version, kinds, unpaired, events }) {
  const list = (names) => JSON.stringify(names.join(','))
  const eventsForWxp = events.map((e) => (e.startsWith('!') ? e.slice(1) + '!' : e))
  const wxpCatalog = [
    frontCode(kinds.async),
    frontCode([...kinds.sync, ...kinds.factory]),
    frontCode(eventsForWxp),
    kinds.property.join(','),
  ].join('|')
  return `// Generated by scripts/generate-catalog.mjs from miniprogram-api-typings ${version}
// (plus typings/). Do not edit by hand: run \`npm run generate\`.
// Counts: ${kinds.async.length} async (${kinds.task.length} return a task), ${kinds.sync.length} sync, ${kinds.factory.length} factories, ${kinds.listener.length} listeners (${unpaired.length} on* without off*), ${kinds.property.length} properties.

/** The miniprogram-api-typings version this catalog was generated from. */
export const TYPINGS_VERSION = '${version}'

/**
 * What \`wxp\` ships, front-coded (see \`decodeNames\` in wxp.ts): async APIs | sync APIs and
 * factories | listener events (\`X\` = onX + offX, \`X!\` = onX only) | properties.
 */
export const WXP_CATALOG = ${JSON.stringify(wxpCatalog)}

/** Comma-separated names of the async APIs that take \`success\`/\`fail\` callbacks. */
export const ASYNC_APIS = ${list(kinds.async)}

/** Comma-separated names of the async APIs that also return a task object. */
export const TASK_APIS = ${list(kinds.task)}

/** Comma-separated names of the synchronous APIs. */
export const SYNC_APIS = ${list(kinds.sync)}

/** Comma-separated names of the APIs that create a manager or context object. */
export const FACTORY_APIS = ${list(kinds.factory)}

/** Comma-separated names of the \`on*\`/\`off*\` listener APIs. */
export const LISTENER_APIS = ${list(kinds.listener)}

/**
 * The listener events in the compact form \`wxp\` uses: \`NetworkStatusChange\` stands for
 * \`onNetworkStatusChange\` + \`offNetworkStatusChange\`, \`!SocketOpen\` for an \`onSocketOpen\`
 * without \`off\`.
 */
export const LISTENER_EVENTS = ${list(events)}

/** Comma-separated names of the \`on*\` listener APIs that have no \`off*\` twin. */
export const UNPAIRED_LISTENERS = ${list(unpaired)}

/** Comma-separated names of the non-function members (\`env\`, \`cloud\`, ...). */
export const PROPERTIES = ${list(kinds.property)}
`
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isMain) {
  const catalog = buildCatalog()
  const text = render(catalog)
  if (process.argv.includes('--check')) {
    let current = ''
    try {
      current = readFileSync(outFile, 'utf8')
    } catch {
      /* missing counts as stale */
    }
    if (current !== text) {
      console.error('src/core/wx-catalog.generated.ts is out of date: run npm run generate')
      process.exit(1)
    }
    console.log('catalog up to date')
  } else {
    writeFileSync(outFile, text)
    const k = catalog.kinds
    console.log(
      `wrote ${outFile}: ${k.async.length} async (${k.task.length} task), ${k.sync.length} sync, ` +
        `${k.factory.length} factories, ${k.listener.length} listeners (${catalog.unpaired.length} unpaired), ` +
        `${k.property.length} properties`,
    )
  }
}
