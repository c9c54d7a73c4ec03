import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { encodePointerSegment, type LoadedSpec } from '@finrail/generators';
import type { ResponseValidatorLookup } from '../../src/responses/plan.ts';

/**
 * An independent ajv oracle for tests: compiles the schema at a pointer of a loaded spec
 * (2020-12 for 3.1; draft-07 + `nullable` for 3.0, with 3.0's boolean exclusive bounds rewritten).
 * Response schemas drop writeOnly properties from `required`, as OpenAPI says responses omit them.
 */
export function schemaValidator(loaded: LoadedSpec, direction: 'request' | 'response'): (pointer: string) => ValidateFunction {
  const options = { strict: false, allErrors: true, validateSchema: false, discriminator: false } as const;
  const ajv = loaded.openapi === '3.1' ? new Ajv2020(options) : new Ajv(options);
  addFormats.default(ajv);
  ajv.addSchema(prepare(structuredClone(loaded.document), loaded.openapi, direction) as object, 'spec');
  return (pointer) => ajv.compile({ $ref: `spec${pointer}` });
}

function prepare(node: unknown, openapi: '3.0' | '3.1', direction: 'request' | 'response'): unknown {
  if (Array.isArray(node)) return node.map((item) => prepare(item, openapi, direction));
  if (node === null || typeof node !== 'object') return node;
  const object = node as Record<string, unknown>;
  for (const key of Object.keys(object)) object[key] = prepare(object[key], openapi, direction);
  if (openapi === '3.0') {
    for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof object[flag] === 'boolean') {
        if (object[flag] === true && typeof object[bound] === 'number') object[flag] = object[bound];
        if (object[flag] === true) delete object[bound];
        else delete object[flag];
      }
    }
  }
  const hidden = direction === 'response' ? 'writeOnly' : 'readOnly';
  if (Array.isArray(object.required) && object.properties && typeof object.properties === 'object') {
    const properties = object.properties as Record<string, Record<string, unknown>>;
    object.required = (object.required as string[]).filter((name) => properties[name]?.[hidden] !== true);
  }
  return object;
}

/** The oracle as a response-validator lookup for `planOperation`. */
export function oracleResponseValidators(loaded: LoadedSpec): ResponseValidatorLookup {
  const compile = schemaValidator(loaded, 'response');
  return (operation, status, mediaType) => {
    const response = operation.responses.find((candidate) => candidate.status === status);
    if (!response?.contents.find((content) => content.mediaType === mediaType)?.schema) return undefined;
    const base = response.ref ?? `${operation.pointer}/responses/${encodePointerSegment(status)}`;
    return compile(`${base}/content/${encodePointerSegment(mediaType)}/schema`);
  };
}
