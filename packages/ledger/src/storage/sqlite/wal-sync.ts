// Durability for the group commit without blocking the event loop. The writer runs with
// synchronous=NORMAL, so COMMIT writes its WAL frames but does not fsync them (in WAL mode NORMAL
// still syncs around checkpoints, so the file is never corrupted). This class fsyncs the WAL file
// on libuv's thread pool and only then releases the commit's acknowledgements: the same on-disk
// guarantee as synchronous=FULL (which fsyncs the WAL at every COMMIT), while the next batch runs.
// Syncs are themselves grouped: commits made while one fsync runs share the next one.
import { closeSync, constants, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

export class WalSync {
  readonly #walPath: string;
  #fd: number | undefined;
  /** Acknowledgements waiting for an fsync that has not started yet. */
  #waiting: Array<(error: Error | null) => void> = [];
  #running = false;
  #idle: Array<() => void> = [];
  #failure: Error | undefined;
  readonly #onSync: () => void;

  constructor(databasePath: string, onSync: () => void = () => {}) {
    this.#walPath = `${databasePath}-wal`;
    this.#onSync = onSync;
  }

  /** Calls `done` once everything committed so far is on disk (or with the error that prevented it). */
  afterCommit(done: (error: Error | null) => void): void {
    if (this.#failure) return done(this.#failure);
    this.#waiting.push(done);
    if (!this.#running) this.#next();
  }

  /** Set once an fsync has failed: what was committed since may not be on disk, so stop writing. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** True from a COMMIT until the fsync that makes it durable has returned. */
  get running(): boolean {
    return this.#running;
  }

  /** Resolves once no fsync is running or waiting. */
  drain(): Promise<void> {
    return this.#running ? new Promise((resolve) => this.#idle.push(resolve)) : Promise.resolve();
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #next(): void {
    const group = this.#waiting;
    if (group.length === 0) {
      this.#running = false;
      const idle = this.#idle;
      this.#idle = [];
      for (const resolve of idle) resolve();
      return;
    }
    this.#waiting = [];
    this.#running = true;
    let fd: number;
    try {
      fd = this.#open();
    } catch (error) {
      return this.#settle(group, error as Error);
    }
    fdatasync(fd, (error) => this.#settle(group, error));
  }

  #settle(group: Array<(error: Error | null) => void>, error: Error | null): void {
    // After a failed fsync the kernel may have dropped the dirty pages: nothing later can be trusted.
    if (error) this.#failure = error;
    else this.#onSync();
    for (const done of group) done(error);
    this.#next();
  }

  /** The WAL file, opened once; its directory is synced once so the file itself survives a power cut. */
  #open(): number {
    if (this.#fd === undefined) {
      this.#fd = openSync(this.#walPath, constants.O_RDWR);
      const directory = openSync(dirname(this.#walPath), constants.O_RDONLY);
      try {
        fsyncSync(directory);
      } finally {
        closeSync(directory);
      }
    }
    return this.#fd;
  }
}
