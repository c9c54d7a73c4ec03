// The `server` target: typed handler signatures, the operation table and ahead-of-time compiled
// validators for @finrail/server. Handlers' inputs and outputs come from types.ts through the
// runtime's OperationInput/OperationOutput, so an undocumented status or body does not compile.
import { isJsonMediaType } from '@finrail/server';
import type { GeneratedFile, Target, TargetContext } from '../../generate/target.ts';
import { derefSchema, isRecord } from '../../model/refs.ts';
import type { ApiModel, OperationModel } from '../../model/types.ts';
import { describeOperations, describeSecuritySchemes, type OperationDescriptor } from '../../validation/api-definition.ts';
import { generateValidatorModule } from '../../validation/compile.ts';
import { planValidation, type ValidationPlan } from '../../validation/plan.ts';

export const SERVER_FILE = 'server.ts';
export const VALIDATORS_FILE = 'validators.js';
export const VALIDATORS_TYPES_FILE = 'validators.d.ts';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const VALIDATOR_MARK = '\u0000validator:';
const HEADERS_MARK = '\u0000headers:';

export function generateServerFiles(model: ApiModel, context: Pick<TargetContext, 'header'>): GeneratedFile[] {
  const plan = planValidation(model);
  const descriptors = describeOperations(model, plan);
  return [
    { path: SERVER_FILE, contents: serverSource(model, descriptors, context.header) },
    // Plain JS with a declaration file: the compiled validators can be large, and type-checking
    // them would cost every consumer's tsc run for nothing.
    { path: VALIDATORS_FILE, contents: `${context.header}\n// ajv standalone code: validate functions compiled ahead of time.\n${generateValidatorModule(plan)}` },
    { path: VALIDATORS_TYPES_FILE, contents: validatorDeclarations(plan, context.header) },
  ];
}

function validatorDeclarations(plan: ValidationPlan, header: string): string {
  const lines = [header, "import type { ValidateFunction } from '@finrail/server';", ''];
  for (const entry of plan.entries) lines.push(`export declare const ${entry.name}: ValidateFunction;`);
  return `${lines.join('\n')}\n`;
}

function serverSource(model: ApiModel, descriptors: OperationDescriptor[], header: string): string {
  const lines: string[] = [
    header,
    "import { createRouter as createApiRouter, type ApiDefinition, type HandlerMap, type OperationHandler, type OperationInput, type OperationOutput, type ParameterDefinition, type Router, type RouterOptions } from '@finrail/server';",
    "import type { paths } from './types.ts';",
    "import * as validators from './validators.js';",
    '',
    "/** Path prefix of the spec's first server URL; routes are mounted under it unless `options.basePath` says otherwise. */",
    `export const basePath = ${JSON.stringify(model.basePath)};`,
    '',
  ];
  for (const operation of model.operations) {
    const alias = typeAlias(operation);
    lines.push(
      `/** ${operation.method.toUpperCase()} ${operation.path}${operation.summary ? ` — ${oneLine(operation.summary)}` : ''} */`,
      `export type ${alias}Operation = paths[${JSON.stringify(operation.path)}][${JSON.stringify(operation.method)}];`,
      `export type ${alias}Input = OperationInput<${alias}Operation${defaultedTypeArgument(model, operation)}>;`,
      `export type ${alias}Output = OperationOutput<${alias}Operation>;`,
    );
  }
  lines.push('', '/** One handler per operation (or `notImplemented`): a missing operation is a type error. */', 'export interface Handlers {');
  for (const operation of model.operations) {
    lines.push(`  ${propertyKey(operation.operationId)}: OperationHandler<${typeAlias(operation)}Operation${defaultedTypeArgument(model, operation)}>;`);
  }
  lines.push('}', '');
  const { literal, headerSets } = printApi(model, descriptors);
  if (headerSets.length > 0) {
    lines.push(
      '// Documented response headers, each distinct set once: most responses document the same few.',
      ...headerSets.map((set, index) => `const responseHeaders${index}: readonly ParameterDefinition[] = ${printCompact(set, '')};`),
      '',
    );
  }
  lines.push(
    '/** The operation table the runtime routes, parses, authenticates and validates from. */',
    `export const api: ApiDefinition = ${literal};`,
    '',
    'export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {',
    '  return createApiRouter(api, handlers as unknown as HandlerMap, { basePath, ...options });',
    '}',
    '',
  );
  return lines.join('\n');
}

/** `, 'a' | 'b'` naming the JSON body's top-level properties that have a default, or ''. */
function defaultedTypeArgument(model: ApiModel, operation: OperationModel): string {
  const keys = new Set<string>();
  const collect = (schema: unknown, depth: number): void => {
    const resolved = derefSchema(model.document, schema);
    if (depth > 8 || !isRecord(resolved)) return;
    if (isRecord(resolved.properties)) {
      for (const [key, property] of Object.entries(resolved.properties)) {
        const target = derefSchema(model.document, property);
        if (isRecord(target) && 'default' in target) keys.add(key);
      }
    }
    if (Array.isArray(resolved.allOf)) for (const part of resolved.allOf) collect(part, depth + 1);
  };
  for (const content of operation.requestBody?.contents ?? []) {
    if (isJsonMediaType(content.mediaType)) collect(content.schema, 0);
  }
  return keys.size === 0 ? '' : `, ${[...keys].sort().map((key) => JSON.stringify(key)).join(' | ')}`;
}

function typeAlias(operation: OperationModel): string {
  return operation.name.charAt(0).toUpperCase() + operation.name.slice(1);
}

function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\*\//g, '*\\/').trim();
}

/**
 * The table as a TS literal, with validator names turned into references to validators.ts exports
 * and response header lists into references to the distinct sets it returns.
 */
function printApi(model: ApiModel, descriptors: OperationDescriptor[]): { literal: string; headerSets: unknown[] } {
  const mark = (name: string): string => `${VALIDATOR_MARK}${name}`;
  const headerSets: string[] = [];
  const markHeaders = (headers: unknown): string => {
    const key = JSON.stringify(headers);
    const index = headerSets.includes(key) ? headerSets.indexOf(key) : headerSets.push(key) - 1;
    return `${HEADERS_MARK}${index}`;
  };
  const operations = descriptors.map((descriptor) => {
    const names = descriptor.validators;
    const validatorsLiteral: Record<string, unknown> = {};
    for (const key of ['path', 'query', 'headers', 'cookies'] as const) if (names[key]) validatorsLiteral[key] = mark(names[key]);
    if (names.body) validatorsLiteral.body = mapValues(names.body, mark);
    if (names.responses) validatorsLiteral.responses = mapValues(names.responses, (byType) => mapValues(byType, mark));
    if (names.responseHeaders) validatorsLiteral.responseHeaders = mapValues(names.responseHeaders, mark);
    const responses = mapValues(descriptor.responses, (response) => (response.headers ? { ...response, headers: markHeaders(response.headers) } : response));
    return { ...descriptor, responses, validators: validatorsLiteral };
  });
  const literal = printCompact({ securitySchemes: describeSecuritySchemes(model), operations }, '')
    .replace(new RegExp(`"${VALIDATOR_MARK.replace('\u0000', '\\\\u0000')}([A-Za-z0-9_$]+)"`, 'g'), 'validators.$1')
    .replace(new RegExp(`"${HEADERS_MARK.replace('\u0000', '\\\\u0000')}([0-9]+)"`, 'g'), 'responseHeaders$1');
  return { literal, headerSets: headerSets.map((set) => JSON.parse(set) as unknown) };
}

/** JSON laid out like a person would: a value on one line when it fits, expanded otherwise. */
function printCompact(value: unknown, indent: string): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) return 'undefined';
  if (value === null || typeof value !== 'object' || indent.length + flat.length <= 110) return flat.replace(/","/g, '", "').replace(/":/g, '": ').replace(/,"/g, ', "');
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((item) => `${inner}${printCompact(item, inner)}`).join(',\n')},\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, entry]) => entry !== undefined);
  return `{\n${entries.map(([key, entry]) => `${inner}${JSON.stringify(key)}: ${printCompact(entry, inner)}`).join(',\n')},\n${indent}}`;
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

export const serverTarget: Target = {
  name: 'server',
  description: 'Typed server handlers, operation table and ahead-of-time compiled ajv validators for @finrail/server',
  requires: ['types'],
  generate(model: ApiModel, context: TargetContext): GeneratedFile[] {
    return generateServerFiles(model, context);
  },
};
