// Declarations that miniprogram-api-typings lacks but the platform still has.
//
// wx.saveFile, wx.getSavedFileList, wx.getSavedFileInfo and wx.removeSavedFile were removed
// from the typings in 3.8 (deprecated in favour of FileSystemManager) but still work on every
// base library and are what the seed documentation uses. The option and result types for three
// of them still ship with the typings (FileSystemManager uses them); getSavedFileInfo's are here.

declare namespace WechatMiniprogram {
  /** Options of `wx.getSavedFileInfo`. */
  interface GetSavedFileInfoOption {
    /** Local path of a saved file. */
    filePath: string
    /** Called when the call ends, after success or fail. */
    complete?: (res: GeneralCallbackResult) => void
    /** Called when the call fails. */
    fail?: (res: GeneralCallbackResult) => void
    /** Called with the file's size and creation time. */
    success?: (result: GetSavedFileInfoSuccessCallbackResult) => void
  }
  /** Result of `wx.getSavedFileInfo`. */
  interface GetSavedFileInfoSuccessCallbackResult {
    /** Seconds since 1970-01-01 when the file was saved. */
    createTime: number
    /** Size in bytes. */
    size: number
    errMsg: string
  }

  interface Wx {
    /** [wx.saveFile](https://developers.weixin.qq.com/miniprogram/dev/api/file/wx.saveFile.html)
     *
     * Saves a temporary file to the local saved-file area (10 MB in total) and returns its
     * saved path. Deprecated by the platform in favour of `FileSystemManager.saveFile`. */
    saveFile<T extends SaveFileOption = SaveFileOption>(
      option: T,
    ): PromisifySuccessResult<T, SaveFileOption>
    /** [wx.getSavedFileList](https://developers.weixin.qq.com/miniprogram/dev/api/file/wx.getSavedFileList.html)
     *
     * Lists the files saved with `wx.saveFile`. */
    getSavedFileList<T extends GetSavedFileListOption = GetSavedFileListOption>(
      option?: T,
    ): PromisifySuccessResult<T, GetSavedFileListOption>
    /** [wx.getSavedFileInfo](https://developers.weixin.qq.com/miniprogram/dev/api/file/wx.getSavedFileInfo.html)
     *
     * Reads the size and creation time of a saved file. */
    getSavedFileInfo<T extends GetSavedFileInfoOption = GetSavedFileInfoOption>(
      option: T,
    ): PromisifySuccessResult<T, GetSavedFileInfoOption>
    /** [wx.removeSavedFile](https://developers.weixin.qq.com/miniprogram/dev/api/file/wx.removeSavedFile.html)
     *
     * Deletes a file saved with `wx.saveFile`. */
    removeSavedFile<T extends RemoveSavedFileOption = RemoveSavedFileOption>(
      option: T,
    ): PromisifySuccessResult<T, RemoveSavedFileOption>
  }
}
