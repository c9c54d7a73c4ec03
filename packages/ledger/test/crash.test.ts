// kill -9 under load: every transfer acknowledged before the kill must be in the journal after a
// restart, and every invariant must hold.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../src/ledger.ts';

const CHILD = new URL('./fixtures/crash-child.ts', import.meta.url).pathname;

/** Starts the child, waits for `acks` acknowledgements, kills it with SIGKILL, returns what was acknowledged. */
function runUntilKilled(path: string, prefix: string, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, path, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('ack ')) return;
      acknowledged.push(line.slice(4));
      if (acknowledged.length === acks) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve([...acknowledged]);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe('crash safety on SQLite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'finrail-crash-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged transfer through two SIGKILLs and restarts', async () => {
    const path = join(dir, 'ledger.sqlite');
    const first = await runUntilKilled(path, 'a', 400);
    const second = await runUntilKilled(path, 'b', 400);
    const ledger = await openLedger({ storage: 'sqlite', path });
    try {
      for (const id of [...first, ...second]) expect(await ledger.getEntry(id), `acknowledged ${id} survived`).toBeDefined();
      expect(await ledger.audit()).toEqual([]);
      expect((await ledger.verifyChain()).ok).toBe(true);
    } finally {
      await ledger.close();
    }
  }, 60_000);
});
