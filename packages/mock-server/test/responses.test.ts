import { buildApiModel, loadSpec, type ApiModel } from '@finrail/generators';
import { beforeAll, describe, expect, it } from 'vitest';
import { planOperation, type ExampleProblem, type OperationPlan } from '../src/responses/plan.ts';
import { parsePreferences } from '../src/responses/preferences.ts';
import { selectResponse, type SelectedResponse } from '../src/responses/select.ts';
import { oracleResponseValidators } from './support/ajv-for-spec.ts';

const fixture = new URL('./fixtures/wallets-mini.yaml', import.meta.url).pathname;
let model: ApiModel;
let plans: Map<string, OperationPlan>;
const problems: ExampleProblem[] = [];

beforeAll(async () => {
  const loaded = await loadSpec(fixture);
  model = buildApiModel(loaded);
  const validators = oracleResponseValidators(loaded);
  plans = new Map(model.operations.map((operation) => [operation.operationId, planOperation(model, operation, validators, problems)]));
});

function answer(operationId: string, prefer?: string, query = '', accept?: string, seed = 1): SelectedResponse {
  const selection = selectResponse(plans.get(operationId)!, parsePreferences(prefer, query), { accept, seed, requestKey: `${operationId}?${query}`, document: model.document });
  if (!selection.ok) throw new Error(selection.detail);
  return selection.response;
}

describe('parsePreferences', () => {
  it('reads the Prefer header and the __ query forms, the query winning', () => {
    expect(parsePreferences('code=404, example="frozen"', '')).toEqual({ code: '404', example: 'frozen' });
    expect(parsePreferences('dynamic=true', '')).toEqual({ dynamic: true });
    expect(parsePreferences('code=404', 'limit=2&__code=400&__dynamic')).toEqual({ code: '400', dynamic: true });
    expect(parsePreferences(undefined, '__example=main&__dynamic=false')).toEqual({ example: 'main', dynamic: false });
  });
});

describe('example validation at start-up', () => {
  it('reports an invalid example with its pointer and violations', () => {
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: fixture,
      operationId: 'getWallet',
      pointer: '#/paths/~1wallets~1{wallet_id}/get/responses/200/content/application~1json/examples/broken/value',
    });
    expect(problems[0]!.violations.join('\n')).toMatch(/\/currency must match pattern/);
    expect(problems[0]!.violations.join('\n')).toMatch(/\/balance must be >= 0/);
  });

  it('never serves the invalid example, even when asked for it by name', () => {
    expect(answer('getWallet').source).toBe('example:main');
    const selection = selectResponse(plans.get('getWallet')!, { example: 'broken' }, { accept: undefined, seed: 1, requestKey: '', document: model.document });
    expect(selection).toMatchObject({ ok: false });
    expect(!selection.ok && selection.detail).toMatch(/no valid example named "broken".*available: main, frozen/);
  });
});

describe('selectResponse', () => {
  it('defaults to the first valid documented example of the lowest 2xx', () => {
    expect(answer('getWallet')).toMatchObject({ status: 200, mediaType: 'application/json', body: { id: 'wal_12345678', balance: 1500 } });
  });

  it('honours Prefer code and example, and their query forms', () => {
    expect(answer('getWallet', 'code=404')).toMatchObject({ status: 404, mediaType: 'application/problem+json', body: { title: 'Not found' } });
    expect(answer('getWallet', 'example=frozen').body).toMatchObject({ status: 'frozen' });
    expect(answer('getWallet', undefined, '__example=frozen').body).toMatchObject({ status: 'frozen' });
    expect(answer('getWallet', undefined, '__code=404').status).toBe(404);
  });

  it('rejects a preference for an undocumented status', () => {
    const selection = selectResponse(plans.get('getWallet')!, { code: '500' }, { accept: undefined, seed: 1, requestKey: '', document: model.document });
    expect(selection).toEqual({ ok: false, detail: 'operation getWallet documents no response with status 500 (documented: 200, 404)' });
  });

  it('falls back to the schema example, then to generation', () => {
    const created = answer('createWallet');
    expect(created).toMatchObject({ status: 201, source: 'schema-example', body: { id: 'wal_00000001' } });
    expect(created.headers.location).toMatch(/^\//);
    const listed = answer('listWallets');
    expect(listed.source).toBe('dynamic');
    expect(listed.body).toMatchObject({ data: expect.any(Array), has_more: expect.any(Boolean) });
  });

  it('generates dynamic bodies deterministically per seed and request, valid against the schema', () => {
    const a = answer('getWallet', 'dynamic=true', '', undefined, 42);
    expect(a.source).toBe('dynamic');
    expect(answer('getWallet', 'dynamic=true', '', undefined, 42).body).toEqual(a.body);
    const bodies = new Set([1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(answer('getWallet', 'dynamic=true', '', undefined, seed).body)));
    expect(bodies.size).toBeGreaterThan(3);
    const validate = plans.get('getWallet')!.responses[0]!.contents[0]!.validate!;
    for (const body of bodies) expect(validate(JSON.parse(body))).toBe(true);
  });

  it('answers bodiless responses without a media type', () => {
    expect(answer('freezeWallet')).toEqual({ status: 204, headers: {}, source: 'empty' });
  });

  it('chooses the media type from Accept', () => {
    expect(answer('getWallet', 'code=404', '', 'application/json;q=0.5, application/problem+json').mediaType).toBe('application/problem+json');
  });
});
