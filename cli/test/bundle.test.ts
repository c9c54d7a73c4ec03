import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSpec } from '@finrail/generators';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanSpec, finrail, tempDir, writeFiles } from './helpers.ts';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('bundle');
  await writeFiles(dir, cleanSpec);
});

describe('finrail bundle', () => {
  it('writes one self-contained YAML and JSON per API into dist/ by default, named after the API folder', async () => {
    const result = finrail(['bundle', 'things/openapi.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('things/openapi.yaml → dist/things.yaml, dist/things.json\n');
    const source = await loadSpec(join(dir, 'things/openapi.yaml'));
    for (const output of ['dist/things.yaml', 'dist/things.json']) {
      const bundled = await loadSpec(join(dir, output));
      expect(bundled.files, `${output} reads no other file`).toEqual([join(dir, output)]);
      expect(bundled.document).toEqual(source.document);
    }
    expect(await readFile(join(dir, 'dist/things.yaml'), 'utf8')).not.toContain('&ref_');
    // Keys stay in the order they were written.
    const json = JSON.parse(await readFile(join(dir, 'dist/things.json'), 'utf8'));
    expect(Object.keys(json)).toEqual(['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components', 'webhooks']);
    expect(Object.keys(json.info)).toEqual(['title', 'version', 'description', 'license']);
  });

  // Determinism (byte-identical second runs) is tested on the canonical specs and the corpus.

  it('refuses two specs that would write the same file, before writing anything (exit 2)', async () => {
    await writeFiles(dir, { 'other/things/openapi.yaml': cleanSpec['things/openapi.yaml']!.replaceAll('../common/', '../../common/') });
    const result = finrail(['bundle', 'things/openapi.yaml', 'other/things/openapi.yaml', '--out', 'clash'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('would both be bundled as things.yaml');
    expect(result.stdout).toBe('');
  });

  it('says so when --out cannot be a directory (exit 2, no stack trace)', async () => {
    await writeFile(join(dir, 'a-file'), 'x');
    const result = finrail(['bundle', 'things/openapi.yaml', '--out', 'a-file/sub'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^finrail bundle: cannot use a-file\/sub as the output directory/m);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
