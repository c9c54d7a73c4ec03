// Which b-trees a run's commits wrote: the WAL's frames past a byte offset, each mapped to the
// table or index its page belongs to (SQLite's dbstat), so a change's effect on what every commit
// writes to disk can be read per b-tree rather than guessed from the total.
import { readFileSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

/** The WAL's length now: pass it to walFramesByTree after the run. */
export function walLength(path: string): number {
  return statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
}

/** Frames written past `fromByte` of `path`'s WAL, by b-tree and page type (`entries leaf`), most first. */
export function walFramesByTree(path: string, fromByte: number): Array<[tree: string, frames: number]> {
  const wal = readFileSync(`${path}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const frameBytes = FRAME_HEADER_BYTES + pageSize;
  const start = Math.max(fromByte, WAL_HEADER_BYTES);
  const framesByPage = new Map<number, number>();
  for (let at = start; at + frameBytes <= wal.length; at += frameBytes) {
    const page = wal.readUInt32BE(at);
    framesByPage.set(page, (framesByPage.get(page) ?? 0) + 1);
  }
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const trees = new Map<number, string>();
    for (const row of db.prepare('SELECT name, pageno, pagetype FROM dbstat').all()) trees.set(Number(row.pageno), `${String(row.name)} ${String(row.pagetype)}`);
    const byTree = new Map<string, number>();
    for (const [page, frames] of framesByPage) {
      const tree = trees.get(page) ?? 'free page';
      byTree.set(tree, (byTree.get(tree) ?? 0) + frames);
    }
    return [...byTree].sort((a, b) => b[1] - a[1]);
  } finally {
    db.close();
  }
}
