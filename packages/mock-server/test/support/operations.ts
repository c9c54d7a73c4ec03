import { encodePointerSegment as pointerSegment, getByRef as resolvePointer } from '@finrail/generators';

export interface ResponseSchemaSite {
  operation: string;
  status: string;
  mediaType: string;
  /** JSON pointer (with '#') of the schema in the document, following a response `$ref`. */
  pointer: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every JSON response schema of every operation, by pointer. */
export function responseSchemaSites(document: Record<string, unknown>): ResponseSchemaSite[] {
  const sites: ResponseSchemaSite[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const method of METHODS) {
      const operation = item[method] as { responses?: Record<string, unknown> } | undefined;
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        let pointer = `#/paths/${pointerSegment(path)}/${method}/responses/${pointerSegment(status)}`;
        const ref = (response as { $ref?: string }).$ref;
        if (ref) pointer = ref;
        const content = (resolvePointer(document, pointer) as { content?: Record<string, { schema?: unknown }> }).content ?? {};
        for (const [mediaType, media] of Object.entries(content)) {
          if (media.schema === undefined || !/json/.test(mediaType)) continue;
          sites.push({ operation: `${method.toUpperCase()} ${path}`, status, mediaType, pointer: `${pointer}/content/${pointerSegment(mediaType)}/schema` });
        }
      }
    }
  }
  return sites;
}
