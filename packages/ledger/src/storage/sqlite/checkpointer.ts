// WAL checkpoints on a worker thread. A checkpoint copies the WAL's pages back into the database
// file and fsyncs it; left to SQLite it would run inside the writer's COMMIT every thousand pages
// and stall the event loop (and every batch behind it). Here the writer only checkpoints once the
// WAL is large (see database.ts) and a connection of the worker's own runs PASSIVE checkpoints
// (they never block the writer) every few commits. With synchronous=NORMAL a checkpoint syncs the WAL before copying and the
// database after, so the WAL is only ever reused once its pages are safely in the database.
import { Worker } from 'node:worker_threads';

// Inline (not a file of its own) so the bundled package needs no extra entry point.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    checkpoint.get();
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message) });
  }
});
`;

/** How many commits may pass between checkpoints; each commit adds at least a page per table it touches. */
const COMMITS_PER_CHECKPOINT = 8;

export class Checkpointer {
  readonly #worker: Worker;
  #busy = false;
  #alive = true;
  #commitsSince = 0;
  readonly #exited: Promise<void>;

  /** `onLost` runs if the worker dies: the caller must then checkpoint by itself again. */
  constructor(path: string, onLost: () => void) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    // It must not keep the process alive; close() holds it again while it shuts down.
    this.#worker.unref();
    // A checkpoint that fails (the file is busy, say) is simply tried again after later commits.
    this.#worker.on('message', () => (this.#busy = false));
    this.#worker.on('error', () => {});
    this.#exited = new Promise((resolve) =>
      this.#worker.once('exit', () => {
        if (this.#alive) onLost();
        this.#alive = false;
        resolve();
      }),
    );
  }

  /** Called after each COMMIT. */
  committed(): void {
    this.#commitsSince += 1;
    if (!this.#alive || this.#busy || this.#commitsSince < COMMITS_PER_CHECKPOINT) return;
    this.#busy = true;
    this.#commitsSince = 0;
    this.#worker.postMessage('checkpoint');
  }

  async close(): Promise<void> {
    if (!this.#alive) return;
    this.#alive = false;
    this.#worker.ref();
    this.#worker.postMessage('close');
    await this.#exited;
  }
}
