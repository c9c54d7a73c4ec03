// The `types` target: openapi-typescript's output for the (fixed-up) bundled document.
import {
  astToString,
  resolveRef,
  scanDiscriminators,
  stringToAST,
  transformSchema,
  type GlobalContext,
  type OpenAPI3,
  type OpenAPITSOptions,
  type SchemaObject,
} from 'openapi-typescript';
import ts from 'typescript';
import { declaresNull } from '../../model/schema-keywords.ts';
import type { ApiModel } from '../../model/types.ts';
import { prepareForTypes } from './fixups.ts';

/**
 * openapi-typescript's `WithRequired<T, K extends keyof T>` rejects a nullable T (`keyof (X | null)`
 * is never), which real specs hit with `allOf: [NullableX], required: [...]`. Same meaning for
 * objects, but distributes over the union and leaves `null` (which `required` does not constrain) alone.
 */
const WITH_REQUIRED = 'type WithRequired<T, K extends PropertyKey> = T extends object ? T & { [P in K & keyof T]-?: T[P] } : T;';

/**
 * Binary strings are Blobs in requests (FormData parts, octet-stream bodies) and responses
 * (parseAs 'blob'): 3.0's `format: binary`, and 3.1's `contentMediaType` without `contentEncoding`
 * for a non-text media type.
 */
function isBinary(schema: SchemaObject): boolean {
  const raw = schema as { format?: unknown; contentMediaType?: unknown; contentEncoding?: unknown };
  if (raw.format === 'binary') return true;
  return typeof raw.contentMediaType === 'string' && raw.contentEncoding === undefined && !/^text\/|json|xml/i.test(raw.contentMediaType);
}

function binaryAsBlob(schema: SchemaObject): ts.TypeNode | undefined {
  if (!isBinary(schema)) return undefined;
  const blob = ts.factory.createTypeReferenceNode('Blob');
  return declaresNull(schema as Record<string, unknown>)
    ? ts.factory.createUnionTypeNode([blob, ts.factory.createLiteralTypeNode(ts.factory.createNull())])
    : blob;
}

/** `const: null` allows exactly null; openapi-typescript reads it as no const at all (`unknown`, or the declared type). */
function constNull(schema: SchemaObject): ts.TypeNode | undefined {
  const isNull = typeof schema === 'object' && schema !== null && 'const' in schema && (schema as { const: unknown }).const === null;
  return isNull ? ts.factory.createLiteralTypeNode(ts.factory.createNull()) : undefined;
}

function replaceWithRequired(nodes: ts.Node[]): ts.Node[] {
  const replacement = stringToAST(WITH_REQUIRED) as ts.Node[];
  return nodes.map((node) =>
    ts.isTypeAliasDeclaration(node) && node.name.text === 'WithRequired' ? replacement[0]! : node,
  );
}

const OPTIONS: OpenAPITSOptions = {
  silent: true,
  // `$Read<T>`/`$Write<T>` markers: openapi-fetch drops readOnly fields from request bodies and
  // writeOnly fields from responses, so a create call does not demand the server-assigned `id`.
  readWriteMarkers: true,
  transform: (schema) => constNull(schema) ?? binaryAsBlob(schema),
};

/**
 * openapi-typescript's `openapiTS()` re-parses, lints and re-bundles its input with its own Redocly
 * (a third of the time on large specs). The document is already bundled by `loadSpec`, so this
 * runs openapi-typescript's own `transformSchema` with the context `openapiTS()` would build for
 * OPTIONS. GlobalContext is typed: a field added upstream fails compilation here.
 */
function transformContext(document: OpenAPI3): GlobalContext {
  return {
    additionalProperties: false,
    alphabetize: false,
    arrayLength: false,
    // A default makes a field optional to send, not required: `true` would force callers to
    // repeat every default in request bodies. Response schemas list what they always carry in `required`.
    defaultNonNullable: false,
    discriminators: scanDiscriminators(document, OPTIONS),
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    redoc: undefined as unknown as GlobalContext['redoc'],
    silent: true,
    inject: undefined,
    transform: OPTIONS.transform,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: true,
    resolve: <T>($ref: string) => resolveRef<T>(document, $ref, { silent: true }),
  };
}

export async function generateTypesSource(model: ApiModel): Promise<string> {
  const document = prepareForTypes(model.document, model) as unknown as OpenAPI3;
  const nodes = transformSchema(document, transformContext(document));
  return reindent(astToString(replaceWithRequired(nodes)));
}

/** TypeScript's printer indents by 4; the rest of the generated code uses 2. */
function reindent(source: string): string {
  return source.replace(/^( {4})+/gm, (spaces) => ' '.repeat(spaces.length / 2));
}
