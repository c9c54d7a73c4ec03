// The `pact` target: a TypeScript module of Pact V4 interaction definitions, one per documented
// response example of every operation, for consumer tests to register with PactV4 (see
// contract-tests/ for the SDK-driven ones). Matchers are printed as MatchersV3 calls.
import type { GeneratedFile, Target, TargetContext } from '../../generate/target.ts';
import type { ApiModel } from '../../model/types.ts';
import { planInteractions, type InteractionDefinition } from './interactions.ts';
import { isMatcher, type Matcher } from './matchers.ts';

export const PACT_FILE = 'pact-interactions.ts';

export const pactTarget: Target = {
  name: 'pact',
  description: 'Pact V4 interaction definitions (provider states, requests, schema-derived response matchers) for consumer tests',
  generate(model: ApiModel, context: TargetContext): GeneratedFile[] {
    return [{ path: PACT_FILE, contents: generatePactSource(model, context.header, context.warn) }];
  },
};

const PRELUDE = `import { MatchersV3 } from '@pact-foundation/pact';

const { like, eachLike, integer, number, regex } = MatchersV3;

/** One interaction: register it with \`pact.addInteraction().given(...).uponReceiving(description)\`. */
export interface PactInteraction {
  /** Unique within this API: \`<operationId> <status> <example name>\`. */
  description: string;
  operationId: string;
  /** How the generated client calls the operation: \`client.<...resource>.<method>(params)\`. */
  sdk: { resource: readonly string[]; method: string; params: Record<string, unknown> };
  providerState?: { name: string; params: Record<string, unknown> };
  /** For \`withRequest(method, path, builder)\`: values and matchers. */
  request: { method: string; path: string; query?: Record<string, string | string[]>; headers?: Record<string, unknown>; body?: unknown };
  /** For \`willRespondWith(status, builder)\`: values and matchers. */
  response: { status: number; headers?: Record<string, unknown>; body?: unknown };
}

function interaction(definition: PactInteraction): PactInteraction {
  return definition;
}
`;

/** `warn`: see planInteractions. */
export function generatePactSource(model: ApiModel, header: string, warn?: (message: string) => void): string {
  const interactions = planInteractions(model, warn);
  const lines = [header, '/* eslint-disable */', PRELUDE];
  lines.push(`/** ${interactions.length} interactions for ${model.info.title} ${model.info.version}, in operation and response order. */`);
  // Each element typed on its own: one array literal of a thousand distinct object types makes tsc
  // give up on their union (TS2590, "union type that is too complex", on EVE Online's 1,732).
  lines.push('export const interactions: PactInteraction[] = [');
  for (const interaction of interactions) lines.push(`  interaction(${print(interaction as unknown, '  ')}),`);
  lines.push('];', '');
  return lines.join('\n');
}

/** Prints a value as TypeScript source, matchers as MatchersV3 calls. */
function print(value: unknown, indent: string): string {
  if (isMatcher(value)) return printMatcher(value, indent);
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${inner}${print(item, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, entry]) => `${inner}${printKey(key)}: ${print(entry, inner)},`).join('\n')}\n${indent}}`;
}

function printMatcher(matcher: Matcher, indent: string): string {
  const value = matcher.value;
  switch (matcher['pact:matcher:type']) {
    case 'integer':
      return `integer(${JSON.stringify(value)})`;
    case 'number':
    case 'decimal':
      return `number(${JSON.stringify(value)})`;
    case 'regex':
      return `regex(${JSON.stringify(matcher.regex)}, ${JSON.stringify(value)})`;
    case 'null':
      return 'null';
    default:
      if (matcher.min !== undefined && Array.isArray(value)) return `eachLike(${print(value[0], indent)}, ${matcher.min})`;
      return `like(${print(value, indent)})`;
  }
}

function printKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

export type { InteractionDefinition };
