import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { deref, escapePointer, isObject, type Json, type JsonObject } from './bundled.ts';

export type ExampleKind = 'media' | 'parameter' | 'header' | 'schema';

export interface ExampleCase {
  readonly kind: ExampleKind;
  /** JSON pointer of the example value in the bundled document. */
  readonly pointer: string;
  /** The `components/examples` entry the value comes from, when the example is a `$ref`. */
  readonly source?: string;
  readonly schema: Json;
  readonly value: Json;
}

export interface ExampleViolation {
  readonly pointer: string;
  readonly message: string;
}

// Keys whose values are data (examples, defaults, extensions), never spec objects to walk into,
// except inside maps whose keys are names chosen by the author (a property may be called `value`).
const DATA_KEYS = new Set(['example', 'examples', 'value', 'default', 'const', 'enum']);
const NAMED_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas', 'schemas', 'paths', 'webhooks']);

function isData(key: string, parentKey: string | undefined): boolean {
  if (parentKey !== undefined && NAMED_MAPS.has(parentKey)) return false;
  return DATA_KEYS.has(key) || key.startsWith('x-');
}

/**
 * Collects every example in an OpenAPI 3.1 document with the schema it must satisfy: media type
 * and parameter/header `example`/`examples` (following `$ref`s to components/examples) and schema
 * `examples` arrays, wherever they occur (paths, webhooks, components).
 */
export function collectExamples(document: JsonObject): ExampleCase[] {
  const cases: ExampleCase[] = [];

  function visit(node: Json, pointer: string, parentKey: string | undefined, grandparentKey: string | undefined): void {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${pointer}/${index}`, parentKey, grandparentKey));
      return;
    }
    if (!isObject(node)) return;

    if ('schema' in node && ('example' in node || isObject(node.examples))) {
      const kind: ExampleKind = grandparentKey === 'content' ? 'media' : 'in' in node ? 'parameter' : 'header';
      const schema = node.schema ?? {};
      if ('example' in node) cases.push({ kind, pointer: `${pointer}/example`, schema, value: node.example ?? null });
      if (isObject(node.examples)) {
        for (const [name, raw] of Object.entries(node.examples)) {
          const example = deref(document, raw);
          if (isObject(example) && 'value' in example) {
            const source = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : undefined;
            const where = `${pointer}/examples/${escapePointer(name)}/value`;
            cases.push({ kind, pointer: where, schema, value: example.value ?? null, ...(source ? { source } : {}) });
          }
        }
      }
    }
    if (Array.isArray(node.examples) && isSchemaLike(node)) {
      node.examples.forEach((value, index) =>
        cases.push({ kind: 'schema', pointer: `${pointer}/examples/${index}`, schema: node, value }),
      );
    }

    for (const [key, child] of Object.entries(node)) {
      if (isData(key, parentKey)) continue;
      visit(child, `${pointer}/${escapePointer(key)}`, key, parentKey);
    }
  }

  visit(document, '#', undefined, undefined);
  return cases;
}

function isSchemaLike(node: JsonObject): boolean {
  return ['type', 'properties', 'items', 'oneOf', 'anyOf', 'allOf', '$ref', 'pattern', 'format', 'enum', 'const'].some(
    (keyword) => keyword in node,
  );
}

const COMPONENTS_ID = 'urn:finrail:components';
const SCHEMA_REF_PREFIX = '#/components/schemas/';

/** Rewrites `#/components/schemas/X` refs to the registered components schema. */
function rewriteRefs(node: Json, parentKey?: string): Json {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, parentKey));
  if (!isObject(node)) return node;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMA_REF_PREFIX)) {
      copy[key] = `${COMPONENTS_ID}#/$defs/${value.slice(SCHEMA_REF_PREFIX.length)}`;
    } else if (key === '$ref' && typeof value === 'string' && value.startsWith('#')) {
      throw new Error(`schema $ref outside components/schemas is not supported: ${value}`);
    } else {
      copy[key] = isData(key, parentKey) ? value : rewriteRefs(value, key);
    }
  }
  return copy;
}

/**
 * Validates examples with ajv's JSON Schema 2020-12 dialect (OpenAPI 3.1's) and ajv-formats,
 * in strict mode: an unknown keyword in a schema is an error too.
 */
export function createExampleValidator(document: JsonObject): (example: ExampleCase) => ExampleViolation[] {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
  const components = isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(components, '$defs') } as object);

  const compiled = new Map<Json, ValidateFunction>();
  return (example) => {
    let validate = compiled.get(example.schema);
    if (validate === undefined) {
      try {
        validate = ajv.compile(rewriteRefs(example.schema) as object);
      } catch (error) {
        return [{ pointer: example.pointer, message: `schema does not compile: ${(error as Error).message}` }];
      }
      compiled.set(example.schema, validate);
    }
    if (validate(example.value)) return [];
    const from = example.source ? ` (from ${example.source})` : '';
    return (validate.errors ?? []).map((error) => ({
      pointer: example.pointer,
      message: `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}${from}`,
    }));
  };
}

/** Collects and validates every example of a document. */
export function findInvalidExamples(document: JsonObject): { cases: ExampleCase[]; violations: ExampleViolation[] } {
  const cases = collectExamples(document);
  const validate = createExampleValidator(document);
  return { cases, violations: cases.flatMap(validate) };
}
