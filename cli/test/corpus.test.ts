import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finrail, parseProblemLines, repoRoot, tempDir } from './helpers.ts';

// Third-party specs nobody on the project wrote: read in place, never copied into the repo.
const corpusDir = join(repoRoot, '../shared/specs-corpus');
const corpus = existsSync(corpusDir) ? readdirSync(corpusDir).filter((file) => /\.(ya?ml|json)$/.test(file)).sort() : [];
if (corpus.length === 0) console.log(`skipping corpus tests: no specs in ${corpusDir}`);

describe.skipIf(corpus.length === 0)('on the third-party corpus', () => {
  const specs = corpus.map((file) => join(corpusDir, file));

  it('bundles every spec, byte-identically on a second run', async () => {
    const out = await tempDir('corpus');
    const first = finrail(['bundle', ...specs, '--out', join(out, 'first')]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(finrail(['bundle', ...specs, '--out', join(out, 'second')]).code).toBe(0);
    for (const file of corpus) {
      for (const extension of ['yaml', 'json']) {
        const name = `${file.replace(/\.(ya?ml|json)$/, '')}.${extension}`;
        expect(await readFile(join(out, 'second', name)), name).toEqual(await readFile(join(out, 'first', name)));
      }
    }
  });

  it('lints every spec with the Finrail ruleset and reports problems instead of crashing', () => {
    const result = finrail(['lint', ...specs]);
    expect(result.stderr).not.toContain('unexpected error');
    expect([0, 1]).toContain(result.code);
    const problems = parseProblemLines(result.stdout);
    expect(problems.length).toBeGreaterThan(0);
    const files = new Set(problems.map((problem) => problem.file));
    expect(files.size).toBeGreaterThan(1);
  });
});
