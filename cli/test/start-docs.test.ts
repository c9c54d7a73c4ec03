import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanSpec, finrail, tempDir, writeFiles } from './helpers.ts';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('start');
  await writeFiles(dir, cleanSpec);
});

describe('finrail start', () => {
  it('lints, bundles and prints a summary of each API', async () => {
    const result = finrail(['start', 'things/openapi.yaml', '--out', 'bundles'], { cwd: dir });
    expect(result.stdout).toContain('things/openapi.yaml → bundles/things.yaml, bundles/things.json');
    expect(result.stdout).toContain('Things API 2.1.0  (things/openapi.yaml, OpenAPI 3.1)\n  operations: 1   webhooks: 1   scopes: 2\n  things:read, things:write\n');
    expect(result.stderr).toMatch(/1 spec linted: \d+ errors?, \d+ warnings?/);
    // Its exit code is lint's: the same spec linted on its own must agree.
    expect(result.code).toBe(finrail(['lint', 'things/openapi.yaml'], { cwd: dir }).code);
    expect(await readFile(join(dir, 'bundles/things.json'), 'utf8')).toContain('"operationId": "getThing"');
  });
});

describe('finrail docs', () => {
  it('writes one HTML API reference per spec, rendered by Redocly', async () => {
    const result = finrail(['docs', 'things/openapi.yaml', '--out', 'docs'], { cwd: dir });
    expect(result.stdout).toBe('things/openapi.yaml → docs/things.html\n');
    expect(result.code).toBe(0);
    const html = await readFile(join(dir, 'docs/things.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<title>Things API</title>');
    expect(html).toContain('Get a thing');
    // Self-contained by default: Redoc's script is inlined, not loaded from the CDN.
    expect(html).not.toMatch(/<script[^>]+src="https:\/\/cdn\.redocly\.com/);
  });

  it('exits 2 with a positioned error on unusable input', async () => {
    await writeFiles(dir, { 'broken.yaml': 'openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: 1\n' });
    const result = finrail(['docs', 'broken.yaml', '--out', 'docs'], { cwd: dir });
    expect(result.stderr).toMatch(/^broken\.yaml:4:3 {2}error {2}input {2}does not parse/m);
    expect(result.code).toBe(2);
  });
});
