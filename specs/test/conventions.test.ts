import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtureIds } from '../src/index.ts';
import {
  bundledCanonicalSpecs,
  deref,
  isObject,
  operationsOf,
  parametersOf,
  type Json,
  type JsonObject,
  type OperationEntry,
} from './support/bundled.ts';

const specs = await bundledCanonicalSpecs();
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const knownIds = new Set<string>(Object.values(fixtureIds).flatMap((group) => Object.values(group)));
const ID_SOURCE = '(?:wal|txn|tup|wdr|tr|hold|pay|re|evt|we|cons|acc|dp|fc)_[0-9A-HJKMNP-TV-Z]{26}';
const PREFIXED_ID = new RegExp(`^${ID_SOURCE}$`);
const PREFIXED_IDS_IN_TEXT = new RegExp(`\\b${ID_SOURCE}\\b`, 'g');

function pathOperations(document: JsonObject): OperationEntry[] {
  return operationsOf(document).filter((entry) => entry.kind === 'path');
}

function label(entry: OperationEntry): string {
  return `${entry.method.toUpperCase()} ${entry.path} (${String(entry.operation.operationId)})`;
}

function responsesOf(document: JsonObject, entry: OperationEntry): [string, JsonObject][] {
  const responses = isObject(entry.operation.responses) ? entry.operation.responses : {};
  return Object.entries(responses).map(([status, raw]) => [status, deref(document, raw) as JsonObject]);
}

/** Every (example name, example object) of a media type, refs resolved. */
function examplesOf(document: JsonObject, media: Json | undefined): [string, JsonObject][] {
  const examples = isObject(media) && isObject(media.examples) ? media.examples : {};
  return Object.entries(examples).map(([name, raw]) => [name, deref(document, raw) as JsonObject]);
}

function collectStrings(node: Json | undefined, into: string[] = []): string[] {
  if (typeof node === 'string') into.push(node);
  else if (Array.isArray(node)) node.forEach((item) => collectStrings(item, into));
  else if (isObject(node)) Object.values(node).forEach((value) => collectStrings(value, into));
  return into;
}

describe('operation identity', () => {
  it('operationIds are camelCase and unique across the three specs', () => {
    const ids = specs.flatMap(({ document }) => operationsOf(document).map((e) => String(e.operation.operationId)));
    expect(ids.length).toBeGreaterThan(60);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id))).toEqual([]);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  for (const { spec, document } of specs) {
    it(`${spec.name}: every operation has a summary, description and declared tags`, () => {
      const declared = new Set((document.tags as JsonObject[]).map((tag) => tag.name));
      for (const entry of operationsOf(document)) {
        expect(entry.operation.summary, label(entry)).toEqual(expect.any(String));
        expect(entry.operation.description, label(entry)).toEqual(expect.any(String));
        const tags = entry.operation.tags as string[];
        expect(tags.length, label(entry)).toBeGreaterThan(0);
        for (const tag of tags) expect(declared.has(tag), `${label(entry)} tag ${tag}`).toBe(true);
      }
    });
  }
});

describe('bundle shape', () => {
  for (const { spec, document } of specs) {
    it(`${spec.name}: the title matches canonicalSpecs, and bundled components are real definitions, not aliases`, () => {
      expect((document.info as JsonObject).title).toBe(spec.title);
      expect((document.openapi as string).startsWith('3.1.')).toBe(true);
      const aliases: string[] = [];
      for (const [section, entries] of Object.entries(document.components as JsonObject)) {
        for (const [name, entry] of Object.entries(entries as JsonObject)) {
          if (isObject(entry) && Object.keys(entry).length === 1 && typeof entry.$ref === 'string') aliases.push(`${section}/${name} -> ${entry.$ref}`);
        }
      }
      expect(aliases).toEqual([]);
    });
  }
});

describe('security', () => {
  for (const { spec, document } of specs) {
    it(`${spec.name}: every operation requires OAuth scopes that the scheme declares`, () => {
      const scheme = deref(document, (document.components as JsonObject).securitySchemes && ((document.components as JsonObject).securitySchemes as JsonObject).oauth2) as JsonObject;
      const flows = scheme.flows as JsonObject;
      expect(flows.clientCredentials).toBeDefined();
      const declared = new Set(Object.values(flows).flatMap((flow) => Object.keys((flow as JsonObject).scopes as JsonObject)));
      for (const entry of pathOperations(document)) {
        const security = entry.operation.security as JsonObject[];
        expect(security?.length, label(entry)).toBeGreaterThan(0);
        for (const requirement of security) {
          const scopes = requirement.oauth2 as string[];
          expect(scopes?.length, label(entry)).toBeGreaterThan(0);
          for (const scope of scopes) expect(declared.has(scope), `${label(entry)} scope ${scope}`).toBe(true);
        }
      }
    });
  }

  it('open banking declares the authorization-code flow for customer consent', () => {
    const { document } = specs.find((s) => s.spec.name === 'open-banking')!;
    const scheme = deref(document, ((document.components as JsonObject).securitySchemes as JsonObject).oauth2) as JsonObject;
    expect(Object.keys(scheme.flows as JsonObject).sort()).toEqual(['authorizationCode', 'clientCredentials']);
  });

  it('sandbox-only operations are marked, tagged Sandbox and need the sandbox:simulate scope', () => {
    const sandbox = specs.flatMap(({ document }) => pathOperations(document).filter((e) => e.operation['x-finrail-sandbox'] === true));
    expect(sandbox.map((e) => e.operation.operationId).sort()).toEqual([
      'authoriseAccountAccessConsent',
      'authoriseDomesticPaymentConsent',
      'authoriseFundsConfirmationConsent',
      'failWithdrawal',
      'settleWithdrawal',
    ]);
    for (const entry of sandbox) {
      expect(entry.operation.tags).toEqual(['Sandbox']);
      expect(entry.operation.security).toEqual([{ oauth2: ['sandbox:simulate'] }]);
    }
  });
});

describe('idempotency', () => {
  for (const { spec, document } of specs) {
    it(`${spec.name}: every POST requires an idempotency key, and its 2xx responses may be replays`, () => {
      const posts = pathOperations(document).filter((e) => e.method === 'post');
      expect(posts.length).toBeGreaterThan(0);
      const header = spec.name === 'open-banking' ? 'x-idempotency-key' : 'Idempotency-Key';
      for (const entry of posts) {
        const parameters = parametersOf(document, entry);
        const key = parameters.find((p) => p.in === 'header' && p.name === header);
        expect(key?.required, `${label(entry)} ${header}`).toBe(true);
        expect(key?.schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 255 });
        if (spec.name === 'open-banking') {
          expect(parameters.some((p) => p.in === 'header' && p.name === 'x-fapi-interaction-id'), label(entry)).toBe(true);
        }
        for (const [status, response] of responsesOf(document, entry)) {
          if (status.startsWith('2')) expect(Object.keys((response.headers ?? {}) as JsonObject), `${label(entry)} ${status}`).toContain('Idempotent-Replayed');
        }
      }
    });
  }
});

describe('pagination', () => {
  for (const { spec, document } of specs) {
    it(`${spec.name}: every list operation is cursor-paginated and marked for generators`, () => {
      const lists = pathOperations(document).filter((e) => String(e.operation.operationId).startsWith('list'));
      expect(lists.length).toBeGreaterThan(0);
      for (const entry of lists) {
        const marker = entry.operation['x-finrail-pagination'] as JsonObject;
        expect(Object.keys(marker ?? {}).sort(), label(entry)).toEqual(['cursorParam', 'hasMore', 'items', 'nextCursor']);
        expect(marker.cursorParam).toBe('starting_after');
        if (spec.name !== 'open-banking') expect(marker).toEqual({ cursorParam: 'starting_after', nextCursor: 'next_cursor', hasMore: 'has_more', items: 'data' });

        const query = new Map(parametersOf(document, entry).filter((p) => p.in === 'query').map((p) => [p.name as string, p]));
        expect(query.get('limit')?.schema, label(entry)).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
        expect(query.has('starting_after') && query.has('ending_before'), label(entry)).toBe(true);

        const [, ok] = responsesOf(document, entry).find(([status]) => status === '200')!;
        const root = deref(document, ((ok.content as JsonObject)['application/json'] as JsonObject).schema) as JsonObject;
        const at = (path: string): JsonObject =>
          path.split('.').reduce<JsonObject>((schema, key) => deref(document, (schema.properties as JsonObject)[key]) as JsonObject, root);
        expect(at(marker.items as string).type, `${label(entry)} items`).toBe('array');
        expect(at(marker.hasMore as string).type, `${label(entry)} hasMore`).toBe('boolean');
        expect(at(marker.nextCursor as string).type, `${label(entry)} nextCursor`).toEqual(['string', 'null']);
        for (const key of [marker.items, marker.hasMore, marker.nextCursor] as string[]) {
          const [parent, ...rest] = key.split('.');
          const holder = rest.length === 0 ? root : at(parent!);
          expect(holder.required, `${label(entry)} ${key} is required`).toContain(rest.at(-1) ?? parent);
        }
      }
    });

    it(`${spec.name}: no operation returns a bare array`, () => {
      for (const entry of pathOperations(document)) {
        for (const [, response] of responsesOf(document, entry)) {
          for (const media of Object.values((response.content ?? {}) as JsonObject)) {
            expect((deref(document, (media as JsonObject).schema) as JsonObject).type, label(entry)).not.toBe('array');
          }
        }
      }
    });
  }
});

describe('errors and headers', () => {
  for (const { spec, document } of specs) {
    it(`${spec.name}: errors are problem+json with an example, for every status an operation can return`, () => {
      for (const entry of pathOperations(document)) {
        const responses = new Map(responsesOf(document, entry));
        const expected = ['400', '401', '403', '429', '500'];
        if (/\{[^}]+\}/.test(entry.path)) expected.push('404');
        if (entry.method === 'post') expected.push('409', '422');
        for (const status of expected) expect(responses.has(status), `${label(entry)} documents ${status}`).toBe(true);

        for (const [status, response] of responses) {
          if (!/^[45]/.test(status)) continue;
          const content = response.content as JsonObject;
          expect(Object.keys(content), `${label(entry)} ${status}`).toEqual(['application/problem+json']);
          const media = content['application/problem+json'] as JsonObject;
          expect(media.schema).toEqual({ $ref: '#/components/schemas/Problem' });
          const examples = examplesOf(document, media);
          expect(examples.length, `${label(entry)} ${status} has examples`).toBeGreaterThan(0);
          for (const [name, example] of examples) {
            expect((example.value as JsonObject).status, `${label(entry)} ${status} example ${name}`).toBe(Number(status));
            expect(String((example.value as JsonObject).type)).toMatch(/^https:\/\/docs\.finrail\.dev\/problems\/[a-z-]+$/);
          }
        }
      }
    });

    it(`${spec.name}: every response carries X-Request-Id, and 429 the rate-limit headers`, () => {
      for (const entry of pathOperations(document)) {
        for (const [status, response] of responsesOf(document, entry)) {
          const headers = Object.keys((response.headers ?? {}) as JsonObject);
          expect(headers, `${label(entry)} ${status}`).toContain('X-Request-Id');
          if (status === '429') {
            expect(headers).toEqual(expect.arrayContaining(['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']));
          }
        }
      }
    });

    it(`${spec.name}: every problem type used is documented in specs/README.md`, () => {
      const types = new Set(
        collectStrings(document).filter((s) => s.startsWith('https://docs.finrail.dev/problems/')),
      );
      expect(types.size).toBeGreaterThan(5);
      for (const type of types) expect(readme, type).toContain(`\`${type.slice('https://docs.finrail.dev/problems/'.length)}\``);
    });
  }
});

describe('schemas', () => {
  for (const { spec, document } of specs) {
    it(`${spec.name}: every schema property has a description`, () => {
      const undescribed: string[] = [];
      const visit = (node: Json | undefined, pointer: string): void => {
        if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${pointer}/${i}`));
        if (!isObject(node)) return;
        if (isObject(node.properties)) {
          for (const [name, property] of Object.entries(node.properties)) {
            const own = isObject(property) ? property.description : undefined;
            const target = deref(document, property) as JsonObject | undefined;
            if (typeof own !== 'string' && typeof target?.description !== 'string') undescribed.push(`${pointer}/properties/${name}`);
          }
        }
        for (const [key, child] of Object.entries(node)) {
          if (key === 'examples' || key === 'example' || key === 'value' || key.startsWith('x-')) continue;
          visit(child, `${pointer}/${key}`);
        }
      };
      visit(document, '#');
      expect(undescribed).toEqual([]);
    });
  }
});

describe('request examples', () => {
  for (const { spec, document } of specs) {
    it(`${spec.name}: every operation has a request example, and body examples pair with a 2xx response example`, () => {
      for (const entry of pathOperations(document)) {
        for (const parameter of parametersOf(document, entry)) {
          if (parameter.required === true) expect('example' in parameter || 'examples' in parameter, `${label(entry)} ${String(parameter.name)}`).toBe(true);
        }
        const requestBody = deref(document, entry.operation.requestBody) as JsonObject | undefined;
        if (requestBody === undefined) continue;
        const successNames = new Set(
          responsesOf(document, entry)
            .filter(([status]) => status.startsWith('2'))
            .flatMap(([, response]) => Object.values((response.content ?? {}) as JsonObject).flatMap((media) => examplesOf(document, media).map(([name]) => name))),
        );
        for (const media of Object.values(requestBody.content as JsonObject)) {
          const names = examplesOf(document, media).map(([name]) => name);
          expect(names.length, `${label(entry)} request examples`).toBeGreaterThan(0);
          for (const name of names) expect(successNames.has(name), `${label(entry)} response example for request example ${name}`).toBe(true);
        }
      }
    });
  }
});

describe('fixture world and provider states', () => {
  for (const { spec, document } of specs) {
    it(`${spec.name}: every id in the spec belongs to the fixture world`, () => {
      const ids = collectStrings(document).flatMap((s) => s.match(PREFIXED_IDS_IN_TEXT) ?? []);
      expect(ids.length).toBeGreaterThan(20);
      expect([...new Set(ids.filter((id) => !knownIds.has(id)))]).toEqual([]);
    });

    it(`${spec.name}: provider states with params set up the ids the request's path uses`, () => {
      const mismatches: string[] = [];
      for (const entry of pathOperations(document)) {
        const pathParameters = parametersOf(document, entry).filter((p) => p.in === 'path');
        for (const [status, response] of responsesOf(document, entry)) {
          for (const media of Object.values((response.content ?? {}) as JsonObject)) {
            for (const [name, example] of examplesOf(document, media)) {
              const state = example['x-finrail-state'] as JsonObject;
              if (!isObject(state.params) || 'idempotencyKey' in state.params) continue;
              // An example's `x-finrail-request.path` replaces the parameters' own examples.
              const request = example['x-finrail-request'];
              const overrides = isObject(request) && isObject(request.path) ? request.path : {};
              const pathIds = pathParameters
                .map((p) => overrides[p.name as string] ?? p.example)
                .filter((id): id is string => typeof id === 'string' && PREFIXED_ID.test(id));
              const stateIds = new Set(collectStrings(state.params));
              for (const id of pathIds) if (!stateIds.has(id)) mismatches.push(`${label(entry)} ${status} ${name}: state "${String(state.name)}" lacks ${id}`);
            }
          }
        }
      }
      expect(mismatches).toEqual([]);
    });

    it(`${spec.name}: every response and webhook example names a documented provider state`, () => {
      const states: JsonObject[] = [];
      for (const entry of operationsOf(document)) {
        const medias =
          entry.kind === 'webhook'
            ? Object.values((((entry.operation.requestBody as JsonObject).content ?? {}) as JsonObject))
            : responsesOf(document, entry).flatMap(([, response]) => Object.values((response.content ?? {}) as JsonObject));
        for (const [status, response] of entry.kind === 'path' ? responsesOf(document, entry) : []) {
          if (response.content !== undefined) continue;
          const state = response['x-finrail-state'] as JsonObject | undefined;
          expect(typeof state?.name, `${label(entry)} ${status} (no content) has x-finrail-state`).toBe('string');
          states.push(state!);
        }
        for (const media of medias) {
          for (const [name, example] of examplesOf(document, media)) {
            const state = example['x-finrail-state'] as JsonObject | undefined;
            expect(typeof state?.name, `${label(entry)} example ${name}`).toBe('string');
            states.push(state!);
          }
        }
      }
      for (const state of states) {
        expect(readme, `state "${String(state.name)}" is documented`).toContain(`| \`${String(state.name)}\` |`);
        for (const value of collectStrings(state.params)) {
          if (PREFIXED_ID.test(value)) expect(knownIds.has(value), `state param ${value}`).toBe(true);
        }
      }
    });
  }
});

describe('webhooks', () => {
  for (const { spec, document } of specs) {
    it(`${spec.name}: webhooks are signed and carry the { id, type, created_at, data } envelope`, () => {
      const webhooks = operationsOf(document).filter((e) => e.kind === 'webhook');
      expect(webhooks.length).toBeGreaterThanOrEqual(3);
      for (const entry of webhooks) {
        const signature = parametersOf(document, entry).find((p) => p.name === 'Finrail-Signature');
        expect(signature?.required, label(entry)).toBe(true);
        const media = ((entry.operation.requestBody as JsonObject).content as JsonObject)['application/json'] as JsonObject;
        const schema = deref(document, media.schema) as JsonObject;
        expect(schema.required).toEqual(['id', 'type', 'created_at', 'data']);
        expect(((schema.properties as JsonObject).type as JsonObject).const).toBe(entry.path);
      }
    });
  }

  for (const { spec, document } of specs) {
    it(`${spec.name}: x-finrail-webhooks names documented webhooks, and every webhook but time- or outside-driven ones has a trigger`, () => {
      const documented = new Set(Object.keys(isObject(document.webhooks) ? document.webhooks : {}));
      const triggered = new Set<string>();
      for (const entry of pathOperations(document)) {
        const declared = entry.operation['x-finrail-webhooks'];
        if (declared === undefined) continue;
        expect(Array.isArray(declared), label(entry)).toBe(true);
        for (const name of declared as Json[]) {
          expect(documented.has(String(name)), `${label(entry)} names ${String(name)}`).toBe(true);
          triggered.add(String(name));
        }
      }
      const untriggered = new Set(['wallet.hold.expired', 'payment.failed', 'refund.failed']);
      expect([...documented].filter((name) => !triggered.has(name) && !untriggered.has(name))).toEqual([]);
    });
  }
});
