// Builds `wxp` alone (and nothing else of the SDK) the way miniprogram_dist is built: ES5,
// CommonJS, terser. Used to compare it with miniprogram-api-promise.
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { rollup } from 'rollup'
import { root } from './lib.mjs'

export async function wxpOnlyBundle() {
  const { default: typescript } = await import('@rollup/plugin-typescript')
  const { default: terser } = await import('@rollup/plugin-terser')
  const dir = join(root, '.tmp', 'bench', 'wxp-only')
  mkdirSync(dir, { recursive: true })
  const entry = join(dir, 'entry.ts')
  writeFileSync(entry, "export { wxp } from '../../../src/core/wxp'\n")
  const bundle = await rollup({
    input: entry,
    plugins: [
      typescript({
        tsconfig: join(root, 'tsconfig.mp.json'),
        include: [join(root, 'src/**/*.ts'), join(dir, '*.ts'), join(root, 'typings/*.ts')],
        compilerOptions: { declaration: false, sourceMap: false },
      }),
      terser({ ecma: 5, compress: { passes: 2, pure_getters: true }, format: { comments: false } }),
    ],
    onwarn: () => undefined,
  })
  const { output } = await bundle.generate({ format: 'cjs', generatedCode: 'es5' })
  await bundle.close()
  const code = Buffer.from(output[0].code)
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length }
}
