import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finrail, tempDir } from './helpers.ts';

// With no spec arguments, commands act on the three canonical specs.
describe('the canonical specs', () => {
  it('finrail lint lints all three with the Finrail ruleset', () => {
    const result = finrail(['lint', '--format', 'json']);
    expect(result.stdout, result.stderr).toMatch(/^\{/);
    const report = JSON.parse(result.stdout);
    expect(report.specs.map((spec: { spec: string }) => spec.spec)).toEqual([
      'specs/wallets/openapi.yaml',
      'specs/payments/openapi.yaml',
      'specs/open-banking/openapi.yaml',
    ]);
    expect(report.specs.filter((spec: object) => 'inputError' in spec)).toEqual([]);
    expect(result.code).toBe(report.errors > 0 ? 1 : 0);
  });

  it('finrail bundle writes wallets, payments and open-banking, byte-identically on a second run', async () => {
    const out = await tempDir('canonical-bundle');
    const first = finrail(['bundle', '--out', join(out, 'first')]);
    expect(first.code, first.stderr).toBe(0);
    expect(finrail(['bundle', '--out', join(out, 'second')]).code).toBe(0);
    for (const name of ['wallets', 'payments', 'open-banking'].flatMap((api) => [`${api}.yaml`, `${api}.json`])) {
      const bytes = await readFile(join(out, 'first', name));
      expect(bytes.length, name).toBeGreaterThan(1000);
      expect(await readFile(join(out, 'second', name)), name).toEqual(bytes);
    }
  });
});
