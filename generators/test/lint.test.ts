import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lintSpec, loadLintConfig, SpecInputError } from '@finrail/generators';

let dir: string;

async function write(relativePath: string, content: string): Promise<string> {
  const file = join(dir, relativePath);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, content);
  return file;
}

const sloppy = `openapi: 3.1.0
info: {title: Sloppy, version: '1'}
paths:
  /b:
    get:
      responses:
        '200': {description: ok}
  /a:
    get:
      operationId: getA
      responses:
        '200': {description: ok}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finrail-lint-'));
});

describe('lintSpec', () => {
  it("uses Redocly's recommended ruleset without a config and sorts problems by position", async () => {
    const file = await write('sloppy.yaml', sloppy);
    const result = await lintSpec(file);
    expect(result.spec).toBe(file);
    expect(result.problems).toContainEqual({
      file,
      line: 5,
      column: 5,
      severity: 'error',
      rule: 'operation-summary',
      message: 'Operation object should contain `summary` field.',
      pointer: '#/paths/~1b/get/summary',
    });
    const positions = result.problems.map((problem) => problem.line * 1000 + problem.column);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(result.errors).toBe(result.problems.filter((problem) => problem.severity === 'error').length);
    expect(result.warnings).toBe(result.problems.length - result.errors);
  });

  it('applies a redocly.yaml: its rules, and its `apis` overrides for the matching root', async () => {
    const file = await write('team/api.yaml', sloppy);
    const configPath = await write(
      'team/redocly.yaml',
      `extends: [recommended]
rules:
  operation-summary: off
apis:
  main:
    root: ./api.yaml
    rules:
      info-contact: error
`,
    );
    const result = await lintSpec(file, await loadLintConfig(configPath));
    const rules = new Set(result.problems.map((problem) => problem.rule));
    expect(rules.has('operation-summary')).toBe(false);
    expect(rules.has('info-contact')).toBe(true);
  });

  it('honours .redocly.lint-ignore.yaml next to the config', async () => {
    const file = await write('ignored/api.yaml', sloppy);
    const configPath = await write('ignored/redocly.yaml', 'extends: [recommended]\n');
    await write('ignored/.redocly.lint-ignore.yaml', "api.yaml:\n  operation-summary:\n    - '#/paths/~1b/get/summary'\n");
    const result = await lintSpec(file, await loadLintConfig(configPath));
    const summaries = result.problems.filter((problem) => problem.rule === 'operation-summary').map((problem) => problem.pointer);
    expect(summaries).toEqual(['#/paths/~1a/get/summary']);
  });

  it('throws SpecInputError for unusable specs and configs', async () => {
    await expect(lintSpec(join(dir, 'missing.yaml'))).rejects.toMatchObject({ code: 'file-not-found' });
    await expect(loadLintConfig(join(dir, 'none/redocly.yaml'))).rejects.toMatchObject({ code: 'config-not-found' });
    const badConfig = await write('bad-config/redocly.yaml', 'rules:\n  foo: [\n');
    const error = await loadLintConfig(badConfig).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SpecInputError);
    expect(error).toMatchObject({ code: 'invalid-config', file: badConfig, line: 3 });
    const unknownRule = await write('unknown-rule/redocly.yaml', 'extends: [recommended]\nrules:\n  not-a-rule: error\n');
    await expect(loadLintConfig(unknownRule)).rejects.toMatchObject({ code: 'invalid-config', file: unknownRule, line: 3, column: 3 });
    const missingPlugin = await write('missing-plugin/redocly.yaml', 'plugins: [./nope.js]\n');
    await expect(loadLintConfig(missingPlugin)).rejects.toMatchObject({ code: 'invalid-config', message: expect.stringContaining('nope.js') });
  });
});
