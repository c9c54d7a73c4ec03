import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanSpec, finrail, repoRoot, tempDir, writeFiles } from './helpers.ts';

let dir: string;

const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

beforeAll(async () => {
  dir = await tempDir('input');
  await writeFiles(dir, {
    ...cleanSpec,
    'bad-yaml.yaml': 'openapi: 3.1.0\ninfo:\n  title: [unclosed\n  version: 1\n',
    'bad-json.json': '{\n  "openapi": "3.1.0",\n  "info": {\n}\n',
    'dangling/openapi.yaml': cleanSpec['things/openapi.yaml']!.replace("'../common/thing.yaml'", "'../common/thingz.yaml#/Thing'"),
    'not-openapi.yaml': 'name: a CI pipeline\nsteps: []\n',
    'swagger.json': JSON.stringify({ swagger: '2.0', info: { title: 'Old', version: '1' }, paths: {} }, null, 2),
    'v32.yaml': 'openapi: 3.2.0\ninfo: {title: Next, version: "1"}\npaths: {}\n',
  });
});

// Every unusable input gives exit 2 and one `file:line:col  error  input  message` line on stderr,
// from lint and bundle alike (both read specs through loadSpec).
const cases: Array<{ name: string; file: string; expected: RegExp }> = [
  { name: 'a missing file', file: 'nowhere/openapi.yaml', expected: /^nowhere\/openapi\.yaml {2}error {2}input {2}file not found$/m },
  { name: 'YAML that does not parse (line and column)', file: 'bad-yaml.yaml', expected: /^bad-yaml\.yaml:4:3 {2}error {2}input {2}does not parse as YAML or JSON: .+$/m },
  { name: 'JSON that does not parse', file: 'bad-json.json', expected: /^bad-json\.json:5:1 {2}error {2}input {2}does not parse as YAML or JSON/m },
  {
    name: 'a $ref that does not resolve (which ref, from where)',
    file: 'dangling/openapi.yaml',
    expected: /^dangling\/openapi\.yaml:35:17 {2}error {2}input {2}\$ref "\.\.\/common\/thingz\.yaml#\/Thing" does not resolve: file not found \(common\/thingz\.yaml\)/m,
  },
  { name: 'a document that is not OpenAPI', file: 'not-openapi.yaml', expected: /^not-openapi\.yaml {2}error {2}input {2}not an OpenAPI document/m },
  { name: 'a Swagger 2.0 document', file: 'swagger.json', expected: /^swagger\.json:2:14 {2}error {2}input {2}Swagger 2\.0 document: .*convert it to OpenAPI 3\.x.*swagger2openapi/m },
  { name: 'an unsupported OpenAPI version', file: 'v32.yaml', expected: /^v32\.yaml:1:10 {2}error {2}input {2}OpenAPI 3\.2\.0 is not supported/m },
];

describe('finrail lint on unusable input', () => {
  // One run over every case (lint carries on past an unusable spec), then one assertion per case.
  let result: ReturnType<typeof finrail>;
  beforeAll(() => {
    result = finrail(['lint', ...cases.map(({ file }) => file)], { cwd: dir });
  });

  it.each(cases)('names $name', ({ expected }) => {
    expect(result.stderr).toMatch(expected);
  });

  it('exits 2 without a stack trace, and lints nothing', () => {
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`0 specs linted: 0 errors, 0 warnings, ${cases.length} unusable specs`);
    noStackTrace(result.stderr);
  });

  it('exits 2 for a single unusable spec', () => {
    const single = finrail(['lint', 'swagger.json'], { cwd: dir });
    expect(single.code).toBe(2);
    expect(single.stderr).toMatch(cases.find(({ file }) => file === 'swagger.json')!.expected);
  });
});

describe('finrail bundle on unusable input', () => {
  it('names every unusable spec, still writes the usable one, and exits 2', () => {
    const result = finrail(['bundle', 'things/openapi.yaml', ...cases.map(({ file }) => file), '--out', 'out'], { cwd: dir });
    for (const { expected } of cases) expect(result.stderr).toMatch(expected);
    expect(result.stdout).toBe('things/openapi.yaml → out/things.yaml, out/things.json\n');
    expect(result.code).toBe(2);
    noStackTrace(result.stderr);
  });
});

describe('a broken copy of a canonical spec', () => {
  async function copyOfSpecs(): Promise<string> {
    const copy = await tempDir('canonical');
    await cp(join(repoRoot, 'specs'), join(copy, 'specs'), { recursive: true, filter: (source) => !source.includes('node_modules') });
    return copy;
  }

  /** Appends a line that repeats a top-level key: a YAML error whose position is known exactly. */
  async function duplicateKeyAtEnd(file: string): Promise<number> {
    const text = await readFile(file, 'utf8');
    const body = text.endsWith('\n') ? text : `${text}\n`;
    const firstKey = body.split('\n').find((line) => /^[\w-]+:/.test(line));
    expect(firstKey, `${file} has a top-level key`).toBeDefined();
    await writeFile(file, `${body}${firstKey}\n`);
    return body.split('\n').length;
  }

  it('points at the line and column of a syntax error in the root file', async () => {
    const copy = await copyOfSpecs();
    const line = await duplicateKeyAtEnd(join(copy, 'specs/wallets/openapi.yaml'));
    const result = finrail(['lint', 'specs/wallets/openapi.yaml'], { cwd: copy });
    expect(result.stderr).toContain(`specs/wallets/openapi.yaml:${line}:1  error  input  does not parse as YAML or JSON: duplicated mapping key`);
    expect(result.code).toBe(2);
  });

  it('names the shared file, line and column when a file under specs/common/ breaks', async () => {
    const copy = await copyOfSpecs();
    const wallets = await readFile(join(copy, 'specs/wallets/openapi.yaml'), 'utf8');
    const common = /\.\.\/common\/([\w-]+\.ya?ml)/.exec(wallets)?.[1];
    expect(common, 'wallets/openapi.yaml references a file under specs/common/').toBeDefined();
    const line = await duplicateKeyAtEnd(join(copy, 'specs/common', common!));
    const result = finrail(['bundle', 'specs/wallets/openapi.yaml', '--out', 'dist'], { cwd: copy });
    expect(result.stderr).toContain(`specs/common/${common}:${line}:1  error  input  does not parse as YAML or JSON: duplicated mapping key`);
    expect(result.code).toBe(2);
  });
});
