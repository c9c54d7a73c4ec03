// Log lines to stdout without a write(2) per line, which would cost about as much as answering
// the request. Lines are collected and written once per event-loop turn, or at once when a batch
// reaches BATCH_BYTES: batches stay within PIPE_BUF (4 KiB), which a pipe shared by several
// processes (cluster workers) writes atomically, so ordinary lines do not interleave. What is
// pending is written synchronously at exit; `flush` writes it now (before a signal is re-raised).

const BATCH_BYTES = 3072;

export interface LineOutput {
  /** Queues text ending in a newline. */
  write(text: string): void;
  /** Writes out what is queued, now. */
  flush(): void;
}

let shared: LineOutput | undefined;

/** The process's one buffered stdout, shared by every default logger so their lines keep their order. */
export function bufferedStdout(): LineOutput {
  if (shared) return shared;
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    try {
      process.stdout.write(text);
    } catch {
      // stdout already closed: nothing left to write to.
    }
  };
  process.on('exit', flush);
  shared = {
    write(text) {
      if (pending.length + text.length > BATCH_BYTES) flush();
      pending += text;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
  return shared;
}
