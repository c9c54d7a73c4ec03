import { loadSpec } from '@finrail/generators/load';
import { SpecInputError } from '@finrail/generators/model';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpecsApart } from '../src/index.ts';

const fixture = new URL('./fixtures/wallets-mini.yaml', import.meta.url).pathname;

describe('loadSpecsApart (specs bundled in a child process)', () => {
  it('returns the same bundled documents as loading in this process', async () => {
    const [apart] = await loadSpecsApart([fixture]);
    const here = await loadSpec(fixture);
    expect(apart).toEqual(here);
  });

  it('rethrows a spec input error with its file, line and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'finrail-loader-'));
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'openapi: 3.1.0\ninfo:\n  title: x\n  version: "1"\npaths:\n  /a: [unclosed\n');
    try {
      const error = await loadSpecsApart([broken]).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(SpecInputError);
      expect(error).toMatchObject({ file: expect.stringContaining('broken.yaml'), line: expect.any(Number) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a missing file as loading here does', async () => {
    const missing = join(tmpdir(), 'finrail-no-such-spec.yaml');
    const apart = await loadSpecsApart([missing]).catch((thrown: unknown) => thrown);
    const here = await loadSpec(missing).catch((thrown: unknown) => thrown);
    expect(apart).toBeInstanceOf(SpecInputError);
    expect((apart as SpecInputError).code).toBe((here as SpecInputError).code);
    expect((apart as SpecInputError).message).toBe((here as SpecInputError).message);
  });
});
