// One rollup config, three builds:
// - miniprogram_dist/: what DevTools "Build npm" copies into miniprogram_npm. CommonJS, ES5,
//   minified, with tslib and the RxJS it uses bundled. One entry per domain of DOMAINS
//   (network.js, media.js, ...) plus `rxjs.js`, sharing chunks; `index.js` holds core and
//   exposes every other export as a getter that requires its domain on first use, so a page
//   pays for what it touches. Requires nothing outside itself.
// - dist/: ESM + CJS (ES5, rxjs external) and bundled .d.ts for webpack/vite/Taro users.
// - dist/testing.*: the Node-backed wx host, for Node only, with its dependencies bundled so
//   the package has no `dependencies` (DevTools would pack them into miniprogram_npm).
import { existsSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'

const hasTesting = existsSync('src/testing/index.ts')

// Start from empty output folders, so a file that is no longer built cannot linger.
if (!process.env.MPRX_NO_CLEAN) {
  for (const dir of ['miniprogram_dist', 'dist']) rmSync(dir, { recursive: true, force: true })
}

const es5 = () =>
  typescript({
    tsconfig: './tsconfig.mp.json',
    compilerOptions: { declaration: false, sourceMap: false },
  })

// TypeScript's ES5 classes are IIFEs (`/** @class */ (function (_super) {...}(Error))`) that
// bundlers cannot prove pure, so an app importing only `wxp` would keep every error class and
// what they pull in. Marking them pure lets rollup, esbuild and terser drop unused ones.
const pureClasses = () => ({
  name: 'pure-classes',
  transform: (code, id) =>
    id.includes('/src/')
      ? {
          code: code.replace(
            /\/\*\* @class \*\/ \(function/g,
            '/** @class */ /*#__PURE__*/ (function',
          ),
          map: null,
        }
      : null,
})

const minify = () =>
  terser({
    ecma: 5,
    compress: { passes: 2, pure_getters: true },
    format: { comments: false },
    safari10: true,
  })

// Copies the declarations that miniprogram-api-typings lacks next to the bundled .d.ts.
const copyTypings = () => ({
  name: 'copy-typings',
  writeBundle() {
    mkdirSync('dist/typings', { recursive: true })
    for (const f of readdirSync('typings')) copyFileSync('typings/' + f, 'dist/typings/' + f)
  },
})

const dtsBanner =
  '/// <reference types="miniprogram-api-typings" />\n' +
  '/// <reference path="./typings/wx-saved-file.d.ts" />'

// The domains of the package, one folder of src/ each: `core` is loaded with index.js, the
// others on first use, each as its own file of miniprogram_dist. Adding a domain is one line
// here (plus its export block in src/index.ts). The build fails when src/index.ts exports from
// a folder this list lacks, or when a listed domain exports nothing.
const EAGER = 'core'
const DOMAINS = [
  EAGER,
  'network',
  'media',
  'file',
  'storage',
  'location',
  'device',
  'permission',
  'page',
  'stream',
  'toolkit',
]

// Each domain's entry: the value exports of src/index.ts from its folder.
function domainEntries() {
  const source = readFileSync('src/index.ts', 'utf8')
  const entries = Object.fromEntries(DOMAINS.map((domain) => [domain, []]))
  for (const [, folder] of source.matchAll(/from '\.\/([\w-]+)\//g)) {
    if (!entries[folder]) {
      throw new Error(
        `src/index.ts exports from src/${folder}/, which is not in DOMAINS of rollup.config.mjs`,
      )
    }
  }
  const exports = /^export \{([^}]*)\} from '\.\/([\w-]+)\/([\w.-]+)'/gm
  for (const [, names, folder, file] of source.matchAll(exports)) {
    entries[folder].push(`export {${names}} from './src/${folder}/${file}'`)
  }
  for (const domain of DOMAINS) {
    if (!entries[domain].length) {
      throw new Error(
        `DOMAINS of rollup.config.mjs lists ${domain}, but src/index.ts exports nothing from src/${domain}/`,
      )
    }
  }
  return entries
}
const domains = domainEntries()
const VIRTUAL = '\0domain:'

// Serves one virtual entry module per domain and appends the lazy getters to index.js.
const domainModules = () => ({
  name: 'domain-entries',
  resolveId: (id) => (id.startsWith(VIRTUAL) ? id : null),
  load: (id) =>
    id.startsWith(VIRTUAL)
      ? domains[id.slice(VIRTUAL.length)]
          .join('\n')
          .replace(/'\.\/src\//g, "'" + process.cwd() + '/src/')
      : null,
  generateBundle(_options, bundle) {
    const index = bundle['index.js']
    // One literal require per domain, so DevTools' dependency analysis sees every file.
    let facade =
      'function _lazy(load,names){names.split(",").forEach(function(name){' +
      'Object.defineProperty(exports,name,{enumerable:!0,get:function(){return load()[name]}})})}'
    for (const file of Object.values(bundle)) {
      if (file.type !== 'chunk' || !file.isEntry || file.name === 'index' || file.name === 'rxjs')
        continue
      facade +=
        '_lazy(function(){return require("./' +
        file.fileName +
        '")},' +
        JSON.stringify(file.exports.join(',')) +
        ');'
    }
    index.code += facade
  },
})

/** @type {import('rollup').RollupOptions[]} */
export default [
  {
    input: {
      index: VIRTUAL + EAGER,
      ...Object.fromEntries(
        DOMAINS.filter((domain) => domain !== EAGER).map((domain) => [domain, VIRTUAL + domain]),
      ),
      rxjs: 'src/rxjs.ts',
    },
    treeshake: {
      moduleSideEffects: false,
      propertyReadSideEffects: false,
      unknownGlobalSideEffects: false,
    },
    plugins: [
      domainModules(),
      resolve({ mainFields: ['module', 'main'] }),
      es5(),
      pureClasses(),
      minify(),
    ],
    output: {
      dir: 'miniprogram_dist',
      format: 'cjs',
      generatedCode: 'es5',
      exports: 'named',
      // code shared by several entries (RxJS pieces, the promisify core): one file each
      chunkFileNames: 'shared/[name].js',
      // shared chunks export short names (a, b, ...): entries keep their public names
      minifyInternalExports: true,
      interop: 'default',
    },
  },
  {
    input: { index: 'src/index.ts', rxjs: 'src/rxjs.ts' },
    external: (id) => id === 'rxjs' || id.startsWith('rxjs/'),
    // tslib's module-level `typeof SuppressedError === "function" ? ...` reads a global, which
    // rollup otherwise keeps in every bundle of an app
    treeshake: { moduleSideEffects: false, unknownGlobalSideEffects: false },
    plugins: [resolve(), es5(), pureClasses()],
    output: [
      {
        dir: 'dist',
        format: 'es',
        entryFileNames: '[name].mjs',
        chunkFileNames: '[name]-[hash].mjs',
        generatedCode: 'es5',
      },
      {
        dir: 'dist',
        format: 'cjs',
        entryFileNames: '[name].cjs',
        chunkFileNames: '[name]-[hash].cjs',
        generatedCode: 'es5',
        exports: 'named',
      },
    ],
  },
  {
    input: {
      index: 'src/index.ts',
      rxjs: 'src/rxjs.ts',
      ...(hasTesting ? { testing: 'src/testing/index.ts' } : {}),
    },
    external: (id) => /^(rxjs|ws|node:)/.test(id),
    plugins: [dts({ tsconfig: './tsconfig.json' }), copyTypings()],
    // The same declarations twice: `.d.ts` types the CommonJS files and `.d.mts` the ES
    // modules (node16 reads a `.d.ts` of this CommonJS package as CommonJS declarations).
    output: ['[name].d.ts', '[name].d.mts'].map((entryFileNames) => ({
      dir: 'dist',
      format: 'es',
      entryFileNames,
      banner: dtsBanner,
    })),
  },
  ...(hasTesting
    ? [
        {
          input: { testing: 'src/testing/index.ts' },
          // Node builtins stay external; ws, image-size and friends are bundled.
          external: (id) => id.startsWith('node:') || /^(bufferutil|utf-8-validate)$/.test(id),
          plugins: [
            resolve({ preferBuiltins: true, exportConditions: ['node'] }),
            commonjs({ ignoreDynamicRequires: true }),
            json(),
            typescript({
              tsconfig: './tsconfig.build.json',
              compilerOptions: { target: 'es2020', declaration: false, sourceMap: false },
            }),
          ],
          output: [
            {
              dir: 'dist',
              format: 'cjs',
              entryFileNames: '[name].cjs',
              chunkFileNames: 'testing-[hash].cjs',
              exports: 'named',
            },
            {
              dir: 'dist',
              format: 'es',
              entryFileNames: '[name].mjs',
              chunkFileNames: 'testing-[hash].mjs',
            },
          ],
        },
      ]
    : []),
]
