// One rollup config, three builds:
// - miniprogram_dist/: what DevTools "Build npm" copies into miniprogram_npm. CommonJS, ES5,
//   minified, with tslib and the RxJS it uses bundled; `index` and `rxjs` entries share one
//   copy of RxJS through a chunk. Requires nothing outside itself.
// - dist/: ESM + CJS (ES5, rxjs external) and bundled .d.ts for webpack/vite/Taro users.
// - dist/testing.*: the Node-backed wx host, for Node only, with its dependencies bundled so
//   the package has no `dependencies` (DevTools would pack them into miniprogram_npm).
import { existsSync, copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'

const hasTesting = existsSync('src/testing/index.ts')

// Start from empty output folders, so a file that is no longer built cannot linger.
for (const dir of ['miniprogram_dist', 'dist']) rmSync(dir, { recursive: true, force: true })

const es5 = () =>
  typescript({
    tsconfig: './tsconfig.mp.json',
    compilerOptions: { declaration: false, sourceMap: false },
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

/** @type {import('rollup').RollupOptions[]} */
export default [
  {
    input: { index: 'src/index.ts', rxjs: 'src/rxjs.ts' },
    treeshake: { moduleSideEffects: false, propertyReadSideEffects: false },
    plugins: [resolve({ mainFields: ['module', 'main'] }), es5(), minify()],
    output: {
      dir: 'miniprogram_dist',
      format: 'cjs',
      generatedCode: 'es5',
      exports: 'named',
      // the part of RxJS that both entries use, loaded once
      chunkFileNames: 'rxjs-shared.js',
      interop: 'default',
    },
  },
  {
    input: { index: 'src/index.ts', rxjs: 'src/rxjs.ts' },
    external: (id) => id === 'rxjs' || id.startsWith('rxjs/'),
    treeshake: { moduleSideEffects: false },
    plugins: [resolve(), es5()],
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
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', banner: dtsBanner },
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
