// Form bodies (`application/x-www-form-urlencoded`, `multipart/form-data`) are objects whose
// top-level properties are the form's fields. File fields cannot be checked by a JSON Schema
// validator (the runtime hands them over as Blobs), so their schemas are relaxed for validation.
import { derefSchema, isRecord } from '../model/refs.ts';
import type { JsonSchema } from '../model/types.ts';

export function isFormMedia(mediaType: string): boolean {
  const type = mediaType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data';
}

/**
 * A file: 3.0's `format: binary`, or 3.1's `contentMediaType` without `contentEncoding` for a
 * non-text media type (as the types target reads them).
 */
export function isBinarySchema(schema: unknown): boolean {
  if (!isRecord(schema)) return false;
  if (schema.format === 'binary') return true;
  return typeof schema.contentMediaType === 'string' && schema.contentEncoding === undefined && !/^text\/|json|xml/i.test(schema.contentMediaType);
}

/** The form's fields by name, each schema dereferenced: own and `allOf` properties. */
export function formProperties(document: unknown, schema: JsonSchema | undefined): Record<string, JsonSchema> {
  const fields: Record<string, JsonSchema> = {};
  const visit = (node: unknown, depth: number): void => {
    const resolved = derefSchema(document, node);
    if (depth > 8 || !isRecord(resolved)) return;
    if (isRecord(resolved.properties)) {
      for (const [name, property] of Object.entries(resolved.properties)) fields[name] ??= derefSchema(document, property) as JsonSchema;
    }
    if (Array.isArray(resolved.allOf)) for (const member of resolved.allOf) visit(member, depth + 1);
  };
  visit(schema, 0);
  return fields;
}

/** The schema with file fields (and arrays of files) accepting any value; unchanged when it has none. */
export function relaxFileFields(document: unknown, schema: JsonSchema): JsonSchema {
  const resolved = derefSchema(document, schema);
  if (!isRecord(resolved)) return schema;
  let changed = false;
  const relaxed: Record<string, unknown> = { ...resolved };
  if (isRecord(resolved.properties)) {
    relaxed.properties = Object.fromEntries(
      Object.entries(resolved.properties).map(([name, property]) => {
        const target = derefSchema(document, property);
        if (isBinarySchema(target)) {
          changed = true;
          return [name, true];
        }
        if (isRecord(target) && isBinarySchema(derefSchema(document, target.items))) {
          changed = true;
          return [name, { ...target, items: true }];
        }
        return [name, property];
      }),
    );
  }
  if (Array.isArray(resolved.allOf)) {
    relaxed.allOf = resolved.allOf.map((member) => {
      const result = relaxFileFields(document, member as JsonSchema);
      if (result !== member) changed = true;
      return result;
    });
  }
  return changed ? (relaxed as JsonSchema) : schema;
}
