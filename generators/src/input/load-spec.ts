import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  BaseResolver,
  bundle,
  createConfig,
  isPlainObject,
  unescapePointerFragment,
  ResolveError,
  YamlParseError,
  type Config,
  type Document,
  type NormalizedProblem,
  type Oas3Definition,
  type Oas3_1Definition,
} from '@redocly/openapi-core';
import { localizeSchemaReferences } from './schema-resources.ts';
import { SpecInputError } from './spec-input-error.ts';
import { displayPath, toFileLocation } from './source-location.ts';

export type OpenApiDocument = Oas3Definition | Oas3_1Definition;

export interface LoadedSpec {
  /** Absolute path of the root spec file. */
  path: string;
  /** Redocly-bundled: one object, external refs inlined, internal `#/components/...` refs kept. */
  document: OpenApiDocument;
  openapi: '3.0' | '3.1';
  /** Absolute paths of every file the spec was read from (root first, then sorted). */
  files: string[];
}

/**
 * Reads an OpenAPI 3.0/3.1 file (YAML or JSON, split over files with relative `$ref`s) into one
 * bundled document. Every way the input can be unusable is a `SpecInputError` naming the file,
 * and the line and column where there is one.
 */
export async function loadSpec(path: string): Promise<LoadedSpec> {
  const file = resolve(path);
  await assertIsFile(file);
  const resolver = new BaseResolver();
  const root = await readRootDocument(resolver, file);
  const openapi = detectOpenApiVersion(root);
  localizeSchemaReferences(root.parsed);
  const result = await bundleOrExplain(root, resolver, file);
  await throwOnBundleErrors(result.problems, resolver);
  const others = [...result.fileDependencies].filter((dependency) => dependency !== file).sort();
  return { path: file, document: result.bundle.parsed as OpenApiDocument, openapi, files: [file, ...others] };
}

/** Redocly throws (rather than reports) on a `$ref` chain that only points back at itself. */
async function bundleOrExplain(root: Document, resolver: BaseResolver, file: string) {
  try {
    return await bundle({ doc: root, config: await bundleConfig(), externalRefResolver: resolver });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/circular/i.test(message)) throw error;
    throw new SpecInputError({
      code: 'circular-ref',
      file,
      message: `a $ref chain points back at itself without ever reaching a schema (${message}); make one link in the chain a real schema`,
    });
  }
}

let configPromise: Promise<Config> | undefined;
/** Bundling needs a config object but no rules or decorators: lint is a separate step. */
function bundleConfig(): Promise<Config> {
  configPromise ??= createConfig({});
  return configPromise;
}

async function assertIsFile(file: string): Promise<void> {
  let stats;
  try {
    stats = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SpecInputError({ code: 'file-not-found', file, message: 'file not found' });
    throw new SpecInputError({ code: 'file-unreadable', file, message: `cannot read the file (${code ?? String(error)})` });
  }
  if (!stats.isFile()) {
    throw new SpecInputError({ code: 'file-unreadable', file, message: 'is a directory, not an OpenAPI file' });
  }
}

async function readRootDocument(resolver: BaseResolver, file: string): Promise<Document> {
  let document: Document | ResolveError | YamlParseError;
  try {
    document = await resolver.resolveDocument(null, file, true);
  } catch (error) {
    // The root document's parse errors are thrown, referenced documents' ones returned.
    document = error as YamlParseError;
  }
  if (document instanceof YamlParseError) {
    throw new SpecInputError({
      code: 'yaml-parse',
      file,
      // js-yaml has no position for some errors (several documents in one file): NaN then.
      ...(Number.isFinite(document.line) ? { line: document.line, column: document.col } : {}),
      message: `does not parse as YAML or JSON: ${yamlReason(document.message)}`,
    });
  }
  if (document instanceof Error) {
    throw new SpecInputError({ code: 'file-unreadable', file, message: `cannot read the file: ${document.message}` });
  }
  return document;
}

function detectOpenApiVersion(root: Document): LoadedSpec['openapi'] {
  const file = root.source.absoluteRef;
  const doc = root.parsed;
  const at = (pointer: string) => toFileLocation({ source: root.source, pointer, reportOnKey: false });
  if (!isPlainObject(doc)) {
    const found = doc === undefined || doc === null ? 'the file is empty' : `found ${Array.isArray(doc) ? 'a list' : `a ${typeof doc}`}`;
    throw new SpecInputError({ code: 'not-openapi', file, message: `not an OpenAPI document: expected a mapping with an \`openapi\` field, ${found}` });
  }
  if ('swagger' in doc) {
    throw new SpecInputError({
      code: 'swagger-2',
      ...at('#/swagger'),
      message: `Swagger ${String(doc.swagger)} document: finrail reads OpenAPI 3.0 and 3.1 only; convert it to OpenAPI 3.x first, e.g. \`npx swagger2openapi ${displayPath(file)} -o openapi.yaml\``,
    });
  }
  if (!('openapi' in doc)) {
    const kind = ['asyncapi', 'arazzo', 'overlay', 'openrpc'].find((key) => key in doc);
    const found = kind ? `it is ${kind === 'asyncapi' ? 'an AsyncAPI' : `an ${kind}`} document` : 'there is no top-level `openapi` field';
    throw new SpecInputError({ code: 'not-openapi', file, message: `not an OpenAPI document: ${found}` });
  }
  const version = doc.openapi;
  if (typeof version !== 'string') {
    throw new SpecInputError({
      code: 'unsupported-openapi-version',
      ...at('#/openapi'),
      message: `\`openapi\` must be a version string such as "3.1.0", found ${typeof version} ${JSON.stringify(version)} (quote it in YAML)`,
    });
  }
  if (version.startsWith('3.0.')) return '3.0';
  if (version.startsWith('3.1.')) return '3.1';
  throw new SpecInputError({
    code: 'unsupported-openapi-version',
    ...at('#/openapi'),
    message: `OpenAPI ${version} is not supported: finrail reads OpenAPI 3.0.x and 3.1.x`,
  });
}

/** Bundling reports unresolvable `$ref`s (and unparsable referenced files) as problems: turn the first into an error. */
async function throwOnBundleErrors(problems: NormalizedProblem[], resolver: BaseResolver): Promise<void> {
  const errors = uniqueProblems(problems.filter((problem) => problem.severity === 'error'));
  if (errors.length === 0) return;
  // A referenced file that does not parse is reported once for itself and once per $ref to it: name the file.
  const first = errors.find((problem) => problem.message.startsWith('Failed to parse')) ?? errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more bundling error${errors.length > 2 ? 's' : ''})` : '';
  const location = first.location[0];
  if (!location) throw new SpecInputError({ code: 'bundle-error', file: '', message: first.message + more });
  const { file, line, column } = toFileLocation(location);
  const where = Number.isFinite(line) ? { file, line, column } : { file };
  if (first.message.startsWith('Failed to parse')) {
    throw new SpecInputError({ code: 'yaml-parse', ...where, message: `does not parse as YAML or JSON: ${yamlReason(first.message)}${more}` });
  }
  if (first.message.startsWith("Can't resolve $ref")) {
    const ref = await refAt(resolver, location.source.absoluteRef, location.pointer);
    // Redocly appends the underlying error ("Can't resolve $ref: ENOENT ...") when reading the target failed.
    const cause = first.message.replace(/^Can't resolve \$ref:? ?/, '');
    const message = ref === undefined ? first.message : `$ref ${JSON.stringify(ref)} does not resolve: ${unresolvedReason(ref, cause)}`;
    throw new SpecInputError({ code: 'unresolved-ref', ...where, message: message + more });
  }
  throw new SpecInputError({ code: 'bundle-error', ...where, message: first.message + more });
}

function uniqueProblems(problems: NormalizedProblem[]): NormalizedProblem[] {
  const seen = new Map<string, NormalizedProblem>();
  for (const problem of problems) {
    const location = problem.location[0];
    const where = location ? `${location.source.absoluteRef}${location.pointer ?? ''}` : '';
    seen.set(`${where} ${problem.message}`, problem);
  }
  return [...seen.values()];
}

function unresolvedReason(ref: string, cause: string): string {
  const missingFile = cause.startsWith('ENOENT') ? cause.match(/'([^']+)'$/)?.[1] : undefined;
  if (missingFile !== undefined) return `file not found (${displayPath(missingFile)})`;
  if (cause !== '') return cause;
  const hash = ref.indexOf('#');
  const file = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  return file === '' ? `nothing at ${pointer} in this file` : `nothing at ${pointer || 'the root'} in ${file}`;
}

/** The `$ref` string at `pointer` in a file the resolver has already read (and cached). */
async function refAt(resolver: BaseResolver, file: string, pointer: string | undefined): Promise<string | undefined> {
  if (pointer === undefined) return undefined;
  const document = await resolver.resolveDocument(null, file);
  if (document instanceof Error) return undefined;
  let node: unknown = document.parsed;
  for (const key of pointer.replace(/^#\/?/, '').split('/').filter(Boolean).map(unescapePointerFragment)) {
    node = isPlainObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return isPlainObject(node) && typeof node.$ref === 'string' ? node.$ref : undefined;
}

/** js-yaml's reason without the ` in "file" (line:col)` suffix we already report separately. */
function yamlReason(message: string): string {
  return message.replace(/^Failed to parse: /, '').replace(/ in "[^"]*" \(\d+:\d+\)$/, '');
}
