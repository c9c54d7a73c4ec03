import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleName, bundleSpec, loadSpec, writeBundle } from '@finrail/generators';

let dir: string;

async function write(relativePath: string, content: string): Promise<string> {
  const file = join(dir, relativePath);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, content);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finrail-bundle-'));
  await write(
    'common/shared.yaml',
    `Amount:
  type: integer
  minimum: 0
Reply:
  description: shared response
  content:
    application/json:
      schema: {$ref: '#/Amount'}
`,
  );
});

describe('bundleSpec', () => {
  it('names bundles after the API folder for openapi.yaml, else after the file', () => {
    expect(bundleName('/repo/specs/wallets/openapi.yaml')).toBe('wallets');
    expect(bundleName('/repo/specs/open-banking/openapi.json')).toBe('open-banking');
    expect(bundleName('/corpus/petstore-expanded.yaml')).toBe('petstore-expanded');
  });

  it('writes YAML without anchors even when the same object is referenced twice', async () => {
    const file = await write(
      'twice/openapi.yaml',
      `openapi: 3.0.3
info: {title: Twice, version: '1'}
paths:
  /a:
    get:
      responses:
        '200': {$ref: '../common/shared.yaml#/Reply'}
  /b:
    get:
      responses:
        '200': {$ref: '../common/shared.yaml#/Reply'}
`,
    );
    const bundle = await bundleSpec(file);
    expect(bundle.name).toBe('twice');
    expect(bundle.yaml).not.toMatch(/[&*]ref_/);
    expect(bundle.yaml.startsWith('openapi: 3.0.3\ninfo:\n')).toBe(true);
    expect(JSON.parse(bundle.json)).toEqual(bundle.spec.document);
    expect(bundle.json.endsWith('}\n')).toBe(true);

    const [yamlPath, jsonPath] = await writeBundle(bundle, join(dir, 'out'));
    expect(await readFile(yamlPath, 'utf8')).toBe(bundle.yaml);
    const reread = await loadSpec(yamlPath);
    expect(reread.files).toEqual([yamlPath]);
    expect(reread.document).toEqual(bundle.spec.document);
    expect((await loadSpec(jsonPath)).document).toEqual(bundle.spec.document);
  });

  it('produces identical text from two independent runs', async () => {
    const file = join(dir, 'twice/openapi.yaml');
    const [first, second] = [await bundleSpec(file), await bundleSpec(file)];
    expect(second.yaml).toBe(first.yaml);
    expect(second.json).toBe(first.json);
  });
});
