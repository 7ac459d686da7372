// Waiting, in real time, for what a real server or the host does on its own schedule: the
// condition is polled every 10 ms, and the wait gives up (failing the test) after 500 polls.

/** Polls `test` every 10 ms until it holds; throws `timed out waiting for <what>` after 5 s. */
export async function until(test: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (test()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('timed out waiting for ' + what)
}
