// The ledger as published: built by tsup (as `npm run build` does) and loaded from that build,
// not from the sources the other suites import. Catches what only the bundler gets wrong (it once
// rewrote `node:sqlite`, which has no bare name, to `sqlite`: the built ledger could not load).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = new URL('..', import.meta.url).pathname;
// Inside the package, so the build resolves its dependencies (pg, jose) as an install would.
const outDir = mkdtempSync(join(packageDir, '.built-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the built @finrail/ledger', () => {
  it('loads and moves money on embedded storage', async () => {
    execFileSync(join(packageDir, '../../node_modules/.bin/tsup'), ['--out-dir', outDir, '--no-dts', '--no-sourcemap', '--format', 'esm'], { cwd: packageDir, stdio: 'pipe' });
    const { openLedger } = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as typeof import('../src/index.ts');
    const ledger = await openLedger({ storage: 'sqlite', path: ':memory:' });
    try {
      await ledger.createAccount({ id: 'bank', currency: 'EUR', normalBalance: 'debit' });
      await ledger.createAccount({ id: 'alice', currency: 'EUR', normalBalance: 'credit' });
      await ledger.transfer({ id: 't1', debitAccountId: 'bank', creditAccountId: 'alice', amount: 500n, currency: 'EUR' });
      expect((await ledger.balance('alice'))?.posted).toBe(500n);
      expect(await ledger.audit()).toEqual([]);
    } finally {
      await ledger.close();
    }
  }, 60_000);
});
