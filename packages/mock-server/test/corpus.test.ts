import { buildApiModel, createApiDefinition, encodePointerSegment, loadSpec, type OperationModel } from '@finrail/generators';
import { compileResponseHeadersCheck } from '@finrail/server';
import { describe, expect, it } from 'vitest';
import { createMockServer, generateValue, hashString, type Schema } from '../src/index.ts';
import { schemaValidator } from './support/ajv-for-spec.ts';
import { canonicalSpecs, corpusSpecs } from './support/corpus.ts';

const specs = [...canonicalSpecs(), ...corpusSpecs()];

/** A request URL for an operation: path and required query parameters filled from their schemas. */
function requestUrl(base: string, basePath: string, operation: OperationModel, document: unknown): string {
  const value = (name: string, schema: unknown) => generateValue(schema as Schema, { seed: hashString(`${operation.operationId}|${name}`), document, direction: 'request' });
  const path = operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const parameter = operation.parameters.find((candidate) => candidate.in === 'path' && candidate.name === name);
    return encodeURIComponent(String(value(name, parameter?.schema ?? { type: 'string' })));
  });
  const query = new URLSearchParams();
  for (const parameter of operation.parameters.filter((candidate) => candidate.in === 'query' && candidate.required)) {
    const generated = value(parameter.name, parameter.schema ?? { type: 'string' });
    for (const item of Array.isArray(generated) ? generated : [generated]) query.append(parameter.name, String(item));
  }
  const search = query.size > 0 ? `?${query}` : '';
  return `${base}${basePath}${path}${search}`;
}

describe.skipIf(specs.length === 0)('the mock on every corpus spec', () => {
  it.each(specs.map((path) => [path.split('/').slice(-2).join('/'), path]))('%s: starts, and every GET answers a schema-valid response with valid headers', async (_name, path) => {
    const loaded = await loadSpec(path);
    const model = buildApiModel(loaded);
    const compile = schemaValidator(loaded, 'response');
    // Headers are checked as the server runtime checks them (no independent oracle reads header styles).
    const definitions = new Map(createApiDefinition(model).definition.operations.map((definition) => [definition.operationId, definition]));
    const mock = await createMockServer({ specs: [path], port: 0, auth: false, logger: false, signals: false });
    try {
      const basePath = mock.routes[0] ? mock.routes[0].path.slice(0, mock.routes[0].path.length - model.operations[0]!.path.length) : '';
      for (const operation of model.operations.filter((candidate) => candidate.method === 'get')) {
        const headers: Record<string, string> = {};
        for (const parameter of operation.parameters.filter((candidate) => candidate.in === 'header' && candidate.required)) {
          headers[parameter.name] = String(generateValue(parameter.schema ?? { type: 'string' }, { seed: 1, document: model.document, direction: 'request' }));
        }
        const response = await fetch(requestUrl(mock.url, basePath, operation, model.document), { headers });
        const text = await response.text();
        const label = `GET ${operation.path} → ${response.status} ${text.slice(0, 300)}`;
        expect(response.status, label).toBeLessThan(400);
        if (operation.responses.length === 0) {
          // OpenAPI 3.1 allows an operation without documented responses: nothing to validate.
          expect([response.status, text]).toEqual([204, '']);
          continue;
        }
        const documented = operation.responses.find((candidate) => candidate.status === String(response.status)) ?? operation.responses.find((candidate) => candidate.kind !== 'code');
        expect(documented, label).toBeDefined();
        const checkHeaders = compileResponseHeadersCheck(definitions.get(operation.operationId)!);
        expect(checkHeaders?.(documented!.status, (name) => response.headers.get(name) ?? undefined) ?? [], label).toEqual([]);
        const mediaType = response.headers.get('content-type');
        const content = documented!.contents.find((candidate) => candidate.mediaType === mediaType);
        if (!content?.schema || !/json/.test(mediaType ?? '')) continue;
        const base = documented!.ref ?? `${operation.pointer}/responses/${encodePointerSegment(documented!.status)}`;
        const validate = compile(`${base}/content/${encodePointerSegment(content.mediaType)}/schema`);
        expect(validate(JSON.parse(text)), `${label}\n${JSON.stringify(validate.errors)}`).toBe(true);
      }
    } finally {
      await mock.close();
    }
  });
});
