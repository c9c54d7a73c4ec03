import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lint, loadConfig, type NormalizedProblem } from '@redocly/openapi-core';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalSpecs, redoclyConfigPath, specsDir } from '../src/index.ts';

function describeProblem(problem: NormalizedProblem): string {
  const where = problem.location[0];
  return `${problem.severity} ${problem.ruleId} ${where?.pointer ?? ''}: ${problem.message}`;
}

async function lintWith(configPath: string, specPath: string): Promise<NormalizedProblem[]> {
  const config = await loadConfig({ configPath });
  return lint({ ref: specPath, config });
}

describe('redocly lint with specs/redocly.yaml', () => {
  for (const spec of canonicalSpecs) {
    it(`${spec.name} has no errors and no warnings`, async () => {
      const problems = await lintWith(redoclyConfigPath, spec.path);
      expect(problems.map(describeProblem)).toEqual([]);
    });
  }
});

describe('the finrail lint rules catch broken specs', () => {
  const cleanups: string[] = [];
  afterAll(() => Promise.all(cleanups.map((dir) => rm(dir, { recursive: true, force: true }))));

  /** A temporary copy of the specs with the wallets spec edited; every edit must apply. */
  async function brokenWallets(edits: [from: string, to: string][]): Promise<{ configPath: string; specPath: string }> {
    const dir = await mkdtemp(join(tmpdir(), 'finrail-specs-'));
    cleanups.push(dir);
    for (const entry of ['common', 'wallets', 'lint-rules', 'redocly.yaml']) {
      await cp(join(specsDir, entry), join(dir, entry), { recursive: true });
    }
    const specPath = join(dir, 'wallets', 'openapi.yaml');
    let text = await readFile(specPath, 'utf8');
    for (const [from, to] of edits) {
      if (!text.includes(from)) throw new Error(`edit does not apply: ${from}`);
      text = text.replace(from, to);
    }
    await writeFile(specPath, text);
    return { configPath: join(dir, 'redocly.yaml'), specPath };
  }

  it('reports each broken convention under its rule, with a position', async () => {
    const { configPath, specPath } = await brokenWallets([
      // createWallet loses its Idempotency-Key
      ["      parameters:\n        - $ref: '#/components/parameters/IdempotencyKey'\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/CreateWalletRequest'",
        "      parameters:\n        - $ref: '#/components/parameters/Limit'\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/CreateWalletRequest'"],
      // listWallets' marker points at a property that does not exist
      ['        hasMore: has_more\n        items: data\n', '        hasMore: has_more\n        items: entries\n'],
      // Wallet.owner_reference loses its description
      ["          description: Your identifier of the wallet's owner (a customer or merchant id in your system).\n", ''],
      // the walletId path parameter is no longer a prefixed id
      ["      description: Identifier of the wallet.\n      schema:\n        $ref: '#/components/schemas/WalletId'", '      description: Identifier of the wallet.\n      schema:\n        type: string'],
      // listWallets' 200 loses X-Request-Id
      ["          description: One page of wallets.\n          headers:\n            X-Request-Id:\n              $ref: '#/components/headers/X-Request-Id'",
        "          description: One page of wallets.\n          headers:\n            Location:\n              $ref: '#/components/headers/Location'"],
      // getWallet needs no scope
      ["      description: Returns one wallet by id.\n      security:\n        - oauth2: ['wallets:read']", '      description: Returns one wallet by id.\n      security:\n        - oauth2: []'],
      // createWallet's response example loses its provider state
      ['                  x-finrail-state:\n                    name: baseline\n', ''],
      // listTopUps forgets its 500
      ["        '500':\n          $ref: '#/components/responses/InternalServerError'\n  /wallets/{walletId}/top-ups/{topUpId}:",
        '  /wallets/{walletId}/top-ups/{topUpId}:'],
      // createTopUp's request example has a string amount
      ['                  amount:\n                    amount: 100000\n', "                  amount:\n                    amount: '100000'\n"],
    ]);
    const problems = await lintWith(configPath, specPath);
    const rules = [...new Set(problems.map((p) => p.ruleId))].sort();
    expect(rules).toEqual([
      'finrail/error-responses',
      'finrail/examples-with-state',
      'finrail/idempotency-header',
      'finrail/list-pagination',
      'finrail/operation-scopes',
      'finrail/prefixed-ids',
      'finrail/property-description',
      'finrail/response-headers',
      'no-invalid-media-type-examples',
    ]);
    expect(problems.every((p) => p.severity === 'error')).toBe(true);
    const idempotency = problems.find((p) => p.ruleId === 'finrail/idempotency-header');
    expect(idempotency?.location[0]?.pointer).toBe('#/paths/~1wallets/post');
    expect(idempotency?.message).toMatch(/required idempotency header/);
  });

  it('honours rule options (configurable for any spec)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'finrail-rules-'));
    cleanups.push(dir);
    const configPath = join(dir, 'redocly.yaml');
    await writeFile(
      configPath,
      [
        `plugins: [${JSON.stringify(join(specsDir, 'lint-rules', 'index.js'))}]`,
        'rules:',
        '  finrail/idempotency-header: { severity: error, exceptOperationIds: [createThing], headerNames: [Request-Key] }',
        "  finrail/list-pagination: { severity: error, listOperationIdPattern: '^fetchAll', params: [limit, cursor] }",
      ].join('\n'),
    );
    const ok = { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', description: 'Items.' } } } } } };
    const spec = {
      openapi: '3.1.0',
      info: { title: 'options', version: '1' },
      paths: {
        '/things': {
          post: { operationId: 'createThing', responses: { '201': ok } },
          get: { operationId: 'fetchAllThings', responses: { '200': ok } },
        },
        '/others': {
          post: {
            operationId: 'createOther',
            parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } }],
            responses: { '201': ok },
          },
          get: { operationId: 'listOthers', responses: { '200': ok } },
        },
      },
    };
    const specPath = join(dir, 'openapi.json');
    await writeFile(specPath, JSON.stringify(spec));
    const problems = (await lintWith(configPath, specPath)).filter((p) => p.ruleId.startsWith('finrail/'));
    expect(problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`).sort()).toEqual([
      'finrail/idempotency-header #/paths/~1others/post',
      'finrail/list-pagination #/paths/~1things/get',
    ]);
  });
});

// The plugin's rules run on any spec `finrail lint` is given; they must report, never crash.
const corpusDir = join(specsDir, '..', '..', 'shared', 'specs-corpus');
const corpus = existsSync(corpusDir) ? readdirSync(corpusDir).filter((name) => /\.(ya?ml|json)$/.test(name)).sort() : [];
if (corpus.length === 0) console.log(`skipping corpus lint: no specs in ${corpusDir}`);

describe.skipIf(corpus.length === 0)('the finrail rules on third-party specs', () => {
  for (const name of corpus) {
    it(`${name}: lints without crashing, every problem positioned`, async () => {
      const problems = await lintWith(redoclyConfigPath, join(corpusDir, name));
      for (const problem of problems) {
        expect(problem.location[0]?.source.absoluteRef, `${problem.ruleId}: ${problem.message}`).toBeTruthy();
        expect(problem.message).not.toMatch(/TypeError|undefined is not|Cannot read/);
      }
    });
  }
});

