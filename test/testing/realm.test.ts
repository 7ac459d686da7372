// Arrays the host hands to page code must be arrays of the test's own realm: jest runs tests
// in a vm context, and miniprogram-simulate's setData (like much page code) checks
// `instanceof Array`, turning a foreign array into `{}`.
import { createWxHost } from '../../src/testing'

describe('host results live in the caller realm', () => {
  it('readdir, stat recursive and getSavedFileList return real arrays', async () => {
    const host = createWxHost()
    try {
      const fs = host.wx.getFileSystemManager()
      fs.writeFileSync('wxfile://usr/a.txt', 'a', 'utf8')
      const temp = host.files.addTempFile('hello', 'txt')
      await new Promise((resolve, reject) =>
        host.wx.saveFile({ tempFilePath: temp, success: resolve, fail: reject }),
      )
      expect(fs.readdirSync('wxfile://usr')).toBeInstanceOf(Array)
      expect(fs.statSync('wxfile://usr', true)).toBeInstanceOf(Array)
      const list = await new Promise<WechatMiniprogram.GetSavedFileListSuccessCallbackResult>(
        (resolve, reject) => host.wx.getSavedFileList({ success: resolve, fail: reject }),
      )
      expect(list.fileList).toBeInstanceOf(Array)
      expect(list.fileList).toHaveLength(1)
    } finally {
      await host.close()
    }
  })
})
