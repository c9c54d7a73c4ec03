// WAL checkpoints on a worker thread. A checkpoint copies the WAL's pages back into the database
// file and fsyncs it; left to SQLite it would run inside the writer's COMMIT every thousand pages
// and stall the event loop (and every batch behind it). Here a connection of the worker's own runs
// PASSIVE checkpoints (they never block the writer) every few commits, and reports the WAL's size;
// once that passes walRestartBytes the writer awaits a catch-up between two batches (see database.ts). With synchronous=NORMAL a checkpoint syncs the WAL before copying and the
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
    const { log } = checkpoint.get();
    parentPort.postMessage({ ok: true, log });
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
  /** Frames in the WAL as of the last checkpoint (0 after a catch-up: the next write starts it over). */
  #walFrames = 0;
  /** Waiting for the checkpoint in flight to answer. */
  #waiting: Array<() => void> = [];
  readonly #exited: Promise<void>;

  /** `onLost` runs if the worker dies: the caller must then checkpoint by itself again. */
  constructor(path: string, onLost: () => void) {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    // It must not keep the process alive; close() holds it again while it shuts down.
    this.#worker.unref();
    // A checkpoint that fails (the file is busy, say) is simply tried again after later commits.
    this.#worker.on('message', (message: { ok: boolean; log?: number }) => {
      this.#busy = false;
      if (message.ok) this.#walFrames = message.log ?? 0;
      const waiting = this.#waiting;
      this.#waiting = [];
      for (const resolve of waiting) resolve();
    });
    this.#worker.on('error', () => {});
    this.#exited = new Promise((resolve) =>
      this.#worker.once('exit', () => {
        if (this.#alive) onLost();
        this.#alive = false;
        for (const resolve of this.#waiting.splice(0)) resolve();
        resolve();
      }),
    );
  }

  /** Called after each COMMIT. */
  committed(): void {
    this.#commitsSince += 1;
    if (!this.#alive || this.#busy || this.#commitsSince < COMMITS_PER_CHECKPOINT) return;
    this.#start();
  }

  /** Frames the WAL held at the last checkpoint. */
  get walFrames(): number {
    return this.#walFrames;
  }

  /**
   * A checkpoint of everything committed so far, awaited off the event loop: call it between
   * batches (the writer holding no transaction), and the next write starts the WAL over.
   */
  async catchUp(): Promise<void> {
    // One already running may have started before the last commit: wait for it, then run another.
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    if (!this.#alive) return;
    const done = new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#start();
    await done;
    // Even if a reader kept some frames from being copied, wait again only once the WAL is seen large again.
    this.#walFrames = 0;
  }

  #start(): void {
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
