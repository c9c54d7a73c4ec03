// One compilation path, two outputs: ajv standalone ES module source for generated stubs (no
// schema compilation at start-up, no `new Function` at run time) and in-memory validate
// functions for `finrail mock` and `finrail contracts check` on arbitrary specs.
import type { ValidateFunction } from '@finrail/server';
import { ajvRuntime, formats, patternRegExp } from '@finrail/server/validation';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { _ } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import type { ValidationPlan } from './plan.ts';

const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ?? standaloneModule) as (
  ajv: Ajv2020,
  refs: Record<string, string>,
) => string;

/** The identifiers standalone code uses for its runtime imports (see `generateValidatorModule`). */
const FORMATS_IDENTIFIER = '__finrailFormats'; // also spelled out in the `code.formats` expression below
const RUNTIME_IDENTIFIER = '__ajvRuntime';
const PATTERN_IDENTIFIER = '__finrailPatternRegExp';
/** ajv's regExp engine: `patternRegExp`, referenced by its import name in generated code. */
const patternEngine = Object.assign((pattern: string, flags: string) => patternRegExp(pattern, flags), { code: PATTERN_IDENTIFIER });

export function createValidationAjv(plan: ValidationPlan, options: { source: boolean }): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    discriminator: true,
    // Request views carry `default`s (response views drop them): omitted values arrive filled in.
    useDefaults: true,
    // Without it `properties` reads inherited members: an optional `constructor` property "is"
    // Object's constructor function and fails `type: string`; a required `toString` is "present".
    ownProperties: true,
    logger: false,
    // Shared component schemas become shared functions instead of being inlined at every use:
    // generated modules stay small on large specs.
    inlineRefs: false,
    // Formats are looked up from the validation runtime module in generated code.
    code: options.source
      ? { source: true, esm: true, lines: false, formats: _`__finrailFormats`, regExp: patternEngine }
      : { lines: false, regExp: patternEngine },
  });
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format);
  // Formats no library knows (`iban`, `currency-code`, ...) are annotations: accept any value.
  for (const name of collectFormats(plan)) if (!(name in formats)) ajv.addFormat(name, true);
  for (const component of plan.components) ajv.addSchema(component.schema as object, component.id);
  for (const entry of plan.entries) ajv.addSchema(entry.schema as object, entry.name);
  return ajv;
}

/** In-memory validate functions by entry name. Compiles each schema once. */
export function compileValidators(plan: ValidationPlan, ajv: Ajv2020 = createValidationAjv(plan, { source: false })): Record<string, ValidateFunction> {
  const validators: Record<string, ValidateFunction> = {};
  for (const entry of plan.entries) {
    const validate = ajv.getSchema(entry.name);
    if (!validate) throw new Error(`validator ${entry.name} did not compile`);
    validators[entry.name] = validate as unknown as ValidateFunction;
  }
  return validators;
}

/**
 * ES module source exporting one validate function per plan entry. It imports only
 * `@finrail/server/validation`: formats and ajv's runtime helpers.
 */
export function generateValidatorModule(plan: ValidationPlan): string {
  const ajv = createValidationAjv(plan, { source: true });
  for (const entry of plan.entries) ajv.getSchema(entry.name);
  const names = plan.entries.map((entry) => entry.name);
  const chunks: StandaloneChunk[] = [];
  for (let start = 0; start < names.length; start += EXPORTS_PER_CHUNK) chunks.push(...standaloneChunks(ajv, names.slice(start, start + EXPORTS_PER_CHUNK)));
  let code = chunks.length > 0 ? joinChunks(chunks) : '';
  code = code.replace(/require\("ajv\/dist\/runtime\/([a-z_0-9]+)"\)\.default/g, (_match, name: string) => {
    if (!(name in ajvRuntime)) throw new Error(`standalone validators need ajv runtime helper ${name}, which @finrail/server/validation does not provide`);
    return `${RUNTIME_IDENTIFIER}.${name}`;
  });
  const leftover = /require\("([^"]+)"\)/.exec(code);
  if (leftover) throw new Error(`standalone validators require ${leftover[1]}, which generated code cannot import`);
  const imports = [`formats as ${FORMATS_IDENTIFIER}`, `ajvRuntime as ${RUNTIME_IDENTIFIER}`];
  if (code.includes(PATTERN_IDENTIFIER)) imports.push(`patternRegExp as ${PATTERN_IDENTIFIER}`);
  return `import { ${imports.join(', ')} } from '@finrail/server/validation';\n${code}\n`;
}

/**
 * Exports per standalone module. ajv assembles a module as one code object and re-spreads all of
 * its parts for every export it adds: time grows with the square of the module, and a module for
 * hundreds of operations overflows the call stack. Larger plans are made of several modules, each
 * in a scope of its own (see joinChunks); every canonical spec fits in one.
 */
const EXPORTS_PER_CHUNK = 300;

interface StandaloneChunk {
  names: string[];
  code: string;
}

/** ajv's standalone code exporting these validators, split in halves while it overflows the stack. */
function standaloneChunks(ajv: Ajv2020, names: string[]): StandaloneChunk[] {
  try {
    const code = standaloneCode(ajv, Object.fromEntries(names.map((name) => [name, name])));
    return [{ names, code: code.replace(/^"use strict";/, '') }];
  } catch (error) {
    if (!(error instanceof RangeError) || names.length < 2) throw error;
    const half = Math.ceil(names.length / 2);
    return [...standaloneChunks(ajv, names.slice(0, half)), ...standaloneChunks(ajv, names.slice(half))];
  }
}

/** One chunk as it is; several each in a function scope of its own (each declares the validators it shares), re-exported. */
function joinChunks(chunks: StandaloneChunk[]): string {
  if (chunks.length === 1) return chunks[0]!.code;
  return chunks
    .map(({ names, code }, index) => {
      const scope = `__validators${index + 1}`;
      const exported = new Set(names);
      // One pass over the chunk: a replace per name would copy the whole module once per export.
      const body = code.replace(/export const ([A-Za-z_$][\w$]*) = /g, (match, name: string) => (exported.has(name) ? `__exports.${name} = ` : match));
      const exports = names.map((name) => `export const ${name} = ${scope}.${name};`).join('\n');
      return `const ${scope} = (() => {\nconst __exports = {};\n${body}\nreturn __exports;\n})();\n${exports}`;
    })
    .join('\n');
}

function collectFormats(plan: ValidationPlan): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, entry] of Object.entries(value)) {
        if (key === 'format' && typeof entry === 'string') found.add(entry);
        else visit(entry);
      }
    }
  };
  plan.components.forEach((component) => visit(component.schema));
  plan.entries.forEach((entry) => visit(entry.schema));
  return found;
}
