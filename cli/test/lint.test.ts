import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanSpec, finrail, parseProblemLines, recommendedConfig, tempDir, writeFiles } from './helpers.ts';

let dir: string;

beforeAll(async () => {
  dir = await tempDir('lint');
  await writeFiles(dir, { ...cleanSpec, ...recommendedConfig });
  await writeFiles(dir, {
    // No operationId and no summary; an undescribed, unresolvable-free spec that fails `recommended`.
    'sloppy/openapi.yaml': `openapi: 3.0.3
info: {title: Sloppy, version: '1'}
paths:
  /a:
    get:
      responses:
        '200': {description: ok}
`,
    'strict.yaml': 'extends:\n  - recommended\nrules:\n  info-contact: error\n',
  });
});

describe('finrail lint', () => {
  it('exits 0 and prints nothing on stdout for a clean spec', () => {
    const result = finrail(['lint', 'things/openapi.yaml', '--config', 'redocly.yaml'], { cwd: dir });
    expect(result.stderr).toContain('1 spec linted: 0 errors, 0 warnings');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });

  it('prints one `file:line:col  severity  rule  message` line per problem, file relative to cwd, and exits 1 on errors', () => {
    const result = finrail(['lint', 'sloppy/openapi.yaml', '--config', 'redocly.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    const problems = parseProblemLines(result.stdout);
    expect(problems.length).toBeGreaterThan(2);
    expect(new Set(problems.map((problem) => problem.file))).toEqual(new Set(['sloppy/openapi.yaml']));
    expect(problems).toContainEqual(expect.objectContaining({ line: 5, column: 5, severity: 'error', rule: 'operation-summary' }));
    expect(problems).toContainEqual(expect.objectContaining({ line: 5, column: 5, severity: 'warning', rule: 'operation-operationId' }));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('uses a team config given with --config', () => {
    const result = finrail(['lint', 'things/openapi.yaml', '--config', 'strict.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(parseProblemLines(result.stdout)).toEqual([
      expect.objectContaining({ file: 'things/openapi.yaml', line: 2, rule: 'info-contact', severity: 'error' }),
    ]);
  });

  it("without --config, uses a redocly.yaml in the current directory, else Finrail's ruleset", async () => {
    const withTeamConfig = finrail(['lint', 'sloppy/openapi.yaml'], { cwd: dir });
    expect(withTeamConfig.stderr).toContain('rules from redocly.yaml');
    expect(parseProblemLines(withTeamConfig.stdout)).toEqual(parseProblemLines(finrail(['lint', 'sloppy/openapi.yaml', '--config', 'redocly.yaml'], { cwd: dir }).stdout));
    const bare = await tempDir('lint-bare');
    await writeFiles(bare, { 'openapi.yaml': readFileSync(join(dir, 'sloppy/openapi.yaml'), 'utf8') });
    const withFinrailRules = finrail(['lint', 'openapi.yaml'], { cwd: bare });
    expect(withFinrailRules.stderr).not.toContain('rules from');
    expect(parseProblemLines(withFinrailRules.stdout).map((problem) => problem.rule)).toContain('finrail/error-responses');
  });

  it('reports problems in referenced files at their own location', async () => {
    await writeFiles(dir, {
      'split/openapi.yaml': cleanSpec['things/openapi.yaml']!.replaceAll('../common/thing.yaml', 'parts/thing.yaml'),
      'split/parts/thing.yaml': 'type: object\nproperties:\n  id:\n    type: strin\n',
    });
    const result = finrail(['lint', 'split/openapi.yaml', '--config', 'redocly.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(parseProblemLines(result.stdout)).toContainEqual(expect.objectContaining({ file: 'split/parts/thing.yaml', line: 4, rule: 'struct' }));
  });

  it('prints JSON with --format json', () => {
    const result = finrail(['lint', 'sloppy/openapi.yaml', 'things/openapi.yaml', '--config', 'redocly.yaml', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.specs.map((spec: { spec: string }) => spec.spec)).toEqual(['sloppy/openapi.yaml', 'things/openapi.yaml']);
    expect(report.specs[1]).toMatchObject({ errors: 0, warnings: 0, problems: [] });
    expect(report.errors).toBe(report.specs[0].errors);
    expect(report.specs[0].problems[0]).toMatchObject({ file: 'sloppy/openapi.yaml', line: expect.any(Number), column: expect.any(Number), rule: expect.any(String) });
  });

  it('keeps linting the other specs when one is unusable, then exits 2', () => {
    const result = finrail(['lint', 'missing.yaml', 'sloppy/openapi.yaml', '--config', 'redocly.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing.yaml  error  input  file not found');
    expect(parseProblemLines(result.stdout).length).toBeGreaterThan(0);
  });

  it('reports unusable specs inside the JSON report too', () => {
    const result = finrail(['lint', 'missing.yaml', 'things/openapi.yaml', '--config', 'redocly.yaml', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.specs[0]).toEqual({
      spec: 'missing.yaml',
      inputError: { file: 'missing.yaml', line: null, column: null, code: 'file-not-found', message: 'file not found' },
    });
    expect(report.specs[1]).toMatchObject({ spec: 'things/openapi.yaml', errors: 0 });
  });

  it('names a --config file that does not exist (exit 2)', () => {
    const result = finrail(['lint', 'things/openapi.yaml', '--config', 'nope.yaml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nope\.yaml {2}error {2}input {2}Redocly config file not found/);
  });

  it('rejects an unknown --format as a usage error (exit 2)', () => {
    const result = finrail(['lint', 'things/openapi.yaml', '--format', 'xml'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'xml' is invalid");
  });
});
