// Finrail's Redocly plugin: lint rules for the API conventions documented in specs/README.md.
// Enable them in a redocly.yaml with `plugins: [./lint-rules/index.js]` and `finrail/<rule>: error`
// (see specs/redocly.yaml for every option). Each rule works on any OpenAPI 3.x document.

const DEFAULT_PAGINATION_KEYS = ['cursorParam', 'nextCursor', 'hasMore', 'items'];

/** Follows $refs (across files) until a plain node; returns it with the source it lives in. */
function deref(ctx, node, from) {
  let current = node;
  let source = from;
  for (let hops = 0; current && typeof current === 'object' && typeof current.$ref === 'string'; hops++) {
    if (hops > 50) return { node: undefined, from: source };
    const resolved = source === undefined ? ctx.resolve(current) : ctx.resolve(current, source);
    current = resolved.node;
    source = resolved.location?.source.absoluteRef ?? source;
  }
  return { node: current, from: source };
}

function hasText(value) {
  return typeof value === 'string' && value.trim().length > 0;
}

function typesOf(schema) {
  if (schema === undefined || schema === null) return [];
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  if ('const' in schema) return [schema.const === null ? 'null' : typeof schema.const];
  return [];
}

/** The operation's parameters merged with its path item's, resolved. */
function parametersOf(ctx, operation, pathItem) {
  const byKey = new Map();
  for (const raw of [...(pathItem?.parameters ?? []), ...(operation.parameters ?? [])]) {
    const { node } = deref(ctx, raw);
    if (node && typeof node.name === 'string') byKey.set(`${node.in}:${node.name}`, node);
  }
  return [...byKey.values()];
}

/** The JSON schema of the first 2xx response with a JSON media type. */
function successSchema(ctx, operation) {
  for (const [status, raw] of Object.entries(operation.responses ?? {})) {
    if (!/^2(\d\d|XX)$/i.test(status)) continue;
    const { node: response, from } = deref(ctx, raw);
    for (const [mediaType, media] of Object.entries(response?.content ?? {})) {
      if (/json/i.test(mediaType) && media?.schema) return deref(ctx, media.schema, from);
    }
  }
  return { node: undefined, from: undefined };
}

/** Resolves a dot-separated property path (`Meta.NextCursor`) inside an object schema. */
function schemaAtPath(ctx, root, path) {
  let current = root;
  for (const segment of path.split('.')) {
    const property = current.node?.properties?.[segment];
    if (property === undefined) return undefined;
    current = deref(ctx, property, current.from);
  }
  return current.node;
}

function isOperationUnderPaths(parents) {
  return parents?.Paths !== undefined;
}

/**
 * Every POST (configurable) under `paths` declares a required idempotency header.
 * Options: methods (default [post]), headerNames (default [Idempotency-Key, x-idempotency-key]),
 * exceptOperationIds.
 */
export function IdempotencyHeader(options = {}) {
  const methods = (options.methods ?? ['post']).map((m) => m.toLowerCase());
  const headerNames = options.headerNames ?? ['Idempotency-Key', 'x-idempotency-key'];
  const wanted = new Set(headerNames.map((h) => h.toLowerCase()));
  const except = new Set(options.exceptOperationIds ?? []);
  return {
    Paths: {
      PathItem: {
        Operation: {
          enter(operation, ctx, parents) {
            const method = String(ctx.key).toLowerCase();
            if (!methods.includes(method) || except.has(operation.operationId)) return;
            const declared = parametersOf(ctx, operation, parents.PathItem).some(
              (p) => p.in === 'header' && wanted.has(p.name.toLowerCase()) && p.required === true,
            );
            if (!declared) {
              ctx.report({
                message: `${method.toUpperCase()} operation must declare a required idempotency header (${headerNames.join(' or ')}).`,
                location: ctx.location.key(),
              });
            }
          },
        },
      },
    },
  };
}

/**
 * Every list operation (operationId matching `listOperationIdPattern`, or carrying the marker) is
 * cursor-paginated: the marker extension names cursorParam/nextCursor/hasMore/items, the query
 * parameters exist, and the marker's paths resolve in the 2xx schema to the right types.
 * Options: extension (default x-finrail-pagination), listOperationIdPattern (default ^list[A-Z]),
 * params (default [limit, starting_after, ending_before]).
 */
export function ListPagination(options = {}) {
  const extension = options.extension ?? 'x-finrail-pagination';
  const listPattern = new RegExp(options.listOperationIdPattern ?? '^list[A-Z]');
  const requiredParams = options.params ?? ['limit', 'starting_after', 'ending_before'];
  return {
    Paths: {
      PathItem: {
        Operation: {
          enter(operation, ctx, parents) {
            const marker = operation[extension];
            const isList = marker !== undefined || listPattern.test(operation.operationId ?? '');
            const report = (message, location = ctx.location.key()) => ctx.report({ message, location });
            const success = successSchema(ctx, operation);
            if (!isList) {
              if (String(ctx.key).toLowerCase() === 'get' && typesOf(success.node).includes('array')) {
                report('Operations returning a collection must use the paginated envelope, not a bare array.');
              }
              return;
            }
            if (marker === null || typeof marker !== 'object') {
              report(`List operation must declare \`${extension}\` with ${DEFAULT_PAGINATION_KEYS.join(', ')}.`);
              return;
            }
            const markerLocation = ctx.location.child([extension]);
            for (const key of DEFAULT_PAGINATION_KEYS) {
              if (!hasText(marker[key])) report(`\`${extension}.${key}\` must be a non-empty string.`, markerLocation.key());
            }
            const queryParams = new Set(
              parametersOf(ctx, operation, parents.PathItem).filter((p) => p.in === 'query').map((p) => p.name),
            );
            for (const name of requiredParams) {
              if (!queryParams.has(name)) report(`List operation must accept the \`${name}\` query parameter.`);
            }
            if (hasText(marker.cursorParam) && !queryParams.has(marker.cursorParam)) {
              report(`\`${extension}.cursorParam\` names \`${marker.cursorParam}\`, which is not a query parameter.`, markerLocation.key());
            }
            if (success.node === undefined) {
              report('List operation must have a 2xx JSON response schema.');
              return;
            }
            const expectations = [
              ['items', 'array'],
              ['hasMore', 'boolean'],
              ['nextCursor', 'string'],
            ];
            for (const [key, type] of expectations) {
              if (!hasText(marker[key])) continue;
              const target = schemaAtPath(ctx, success, marker[key]);
              if (target === undefined) {
                report(`\`${extension}.${key}\` path \`${marker[key]}\` does not exist in the response schema.`, markerLocation.key());
              } else if (!typesOf(target).includes(type)) {
                report(`\`${extension}.${key}\` path \`${marker[key]}\` must be of type ${type}.`, markerLocation.key());
              }
            }
          },
        },
      },
    },
  };
}

/** Every schema property has a description, on itself or on the schema it references. */
export function PropertyDescription() {
  return {
    Schema: {
      enter(schema, ctx) {
        if (schema === null || typeof schema !== 'object' || !schema.properties) return;
        for (const [name, property] of Object.entries(schema.properties)) {
          if (hasText(property?.description)) continue;
          if (hasText(deref(ctx, property).node?.description)) continue;
          ctx.report({
            message: `Property \`${name}\` must have a description.`,
            location: ctx.location.child(['properties', name]).key(),
          });
        }
      },
    },
  };
}

/**
 * Identifier properties and parameters (names matching `namePattern`) are strings whose `pattern`
 * starts with a lower-case prefix and an underscore (`^wal_...`, `^(tup|wdr)_...`).
 * Options: namePattern (default ^(id|.+_id|.+Id)$), except (names to skip, default [request_id]).
 */
export function PrefixedIds(options = {}) {
  const namePattern = new RegExp(options.namePattern ?? '^(id|.+_id|.+Id)$');
  const except = new Set(options.except ?? ['request_id']);
  const prefixPattern = /^\^(\(?[a-z]+(\|[a-z]+)*\)?)_/;

  function problem(ctx, schemaNode, from) {
    const { node } = deref(ctx, schemaNode, from);
    if (node === undefined) return 'does not resolve';
    const branches = node.oneOf ?? node.anyOf;
    if (Array.isArray(branches)) {
      const candidates = branches
        .map((branch) => deref(ctx, branch, from).node)
        .filter((branch) => !(typesOf(branch).length === 1 && typesOf(branch)[0] === 'null'));
      for (const branch of candidates) {
        const issue = problem(ctx, branch, from);
        if (issue) return issue;
      }
      return candidates.length === 0 ? 'has no string branch' : undefined;
    }
    if (!typesOf(node).includes('string')) return 'must be a string';
    if (!hasText(node.pattern) || !prefixPattern.test(node.pattern)) return 'must have a `pattern` starting with its prefix, like `^wal_`';
    return undefined;
  }

  return {
    Schema: {
      enter(schema, ctx) {
        if (schema === null || typeof schema !== 'object' || !schema.properties) return;
        for (const [name, property] of Object.entries(schema.properties)) {
          if (!namePattern.test(name) || except.has(name)) continue;
          const issue = problem(ctx, property);
          if (issue) {
            ctx.report({
              message: `Identifier property \`${name}\` ${issue}.`,
              location: ctx.location.child(['properties', name]).key(),
            });
          }
        }
      },
    },
    Parameter: {
      enter(parameter, ctx) {
        if (!hasText(parameter?.name) || !namePattern.test(parameter.name) || except.has(parameter.name)) return;
        if (parameter.in !== 'path' && parameter.in !== 'query') return;
        if (!parameter.schema) return;
        const issue = problem(ctx, parameter.schema);
        if (issue) {
          ctx.report({
            message: `Identifier parameter \`${parameter.name}\` ${issue}.`,
            location: ctx.location.child(['schema']).key(),
          });
        }
      },
    },
  };
}

/**
 * Responses of operations under `paths` declare the headers every response carries, plus
 * per-status ones. Options: headers (default [X-Request-Id]), byStatus (default: 429 needs
 * Retry-After and RateLimit-Limit/Remaining/Reset).
 */
export function ResponseHeaders(options = {}) {
  const always = options.headers ?? ['X-Request-Id'];
  const byStatus = options.byStatus ?? {
    429: ['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
  };
  return {
    Paths: {
      PathItem: {
        Operation: {
          Response: {
            enter(response, ctx) {
              const declared = new Set(Object.keys(response?.headers ?? {}).map((h) => h.toLowerCase()));
              for (const header of [...always, ...(byStatus[String(ctx.key)] ?? [])]) {
                if (!declared.has(header.toLowerCase())) {
                  ctx.report({
                    message: `Response ${ctx.key} must declare the \`${header}\` header.`,
                    location: ctx.location.key(),
                  });
                }
              }
            },
          },
        },
      },
    },
  };
}

/**
 * Operations under `paths` declare their own security with at least one scope per requirement.
 * Options: exceptOperationIds.
 */
export function OperationScopes(options = {}) {
  const except = new Set(options.exceptOperationIds ?? []);
  return {
    Paths: {
      PathItem: {
        Operation: {
          enter(operation, ctx, parents) {
            if (!isOperationUnderPaths(parents) || except.has(operation.operationId)) return;
            const security = operation.security;
            const valid =
              Array.isArray(security) &&
              security.length > 0 &&
              security.every(
                (requirement) =>
                  Object.keys(requirement).length > 0 &&
                  Object.values(requirement).every((scopes) => Array.isArray(scopes) && scopes.length > 0),
              );
            if (!valid) {
              ctx.report({
                message: 'Operation must declare `security` with at least one scope in every requirement.',
                location: ctx.location.key(),
              });
            }
          },
        },
      },
    },
  };
}

/**
 * Request bodies and responses carry named examples, and every response example (and every
 * webhook payload example) names the provider state it needs in `x-finrail-state: { name, params? }`;
 * a response without a body carries `x-finrail-state` on itself.
 * Options: extension (default x-finrail-state).
 */
export function ExamplesWithState(options = {}) {
  const extension = options.extension ?? 'x-finrail-state';

  function validState(state) {
    return (
      state !== null &&
      typeof state === 'object' &&
      hasText(state.name) &&
      (state.params === undefined || (state.params !== null && typeof state.params === 'object' && !Array.isArray(state.params)))
    );
  }

  function checkMedia(media, ctx, { needsState }) {
    const examples = media?.examples;
    if (examples === undefined || Object.keys(examples).length === 0) {
      ctx.report({ message: 'Media type must have named `examples`.', location: ctx.location.key() });
      return;
    }
    if (!needsState) return;
    for (const [name, raw] of Object.entries(examples)) {
      const { node: example } = deref(ctx, raw);
      if (!validState(example?.[extension])) {
        ctx.report({
          message: `Example \`${name}\` must declare \`${extension}\` with a \`name\` and optional \`params\` object.`,
          location: ctx.location.child(['examples', name]).key(),
        });
      }
    }
  }

  return {
    Paths: {
      PathItem: {
        Operation: {
          RequestBody: {
            MediaType: {
              enter(media, ctx) {
                checkMedia(media, ctx, { needsState: false });
              },
            },
          },
          Response: {
            enter(response, ctx) {
              if (response?.content !== undefined || validState(response?.[extension])) return;
              ctx.report({
                message: `Response ${ctx.key} has no body, so it must declare \`${extension}\` itself.`,
                location: ctx.location.key(),
              });
            },
            MediaType: {
              enter(media, ctx) {
                checkMedia(media, ctx, { needsState: true });
              },
            },
          },
        },
      },
    },
    WebhooksMap: {
      PathItem: {
        Operation: {
          RequestBody: {
            MediaType: {
              enter(media, ctx) {
                checkMedia(media, ctx, { needsState: true });
              },
            },
          },
        },
      },
    },
  };
}

/**
 * Operations under `paths` document the error statuses they can return, and every error
 * response (4xx and 5xx) is `application/problem+json`.
 * Options: always (default [400, 401, 403, 429, 500]), withPathParameters (default [404]),
 * byMethod (default { post: [409, 422] }), mediaType (default application/problem+json).
 */
export function ErrorResponses(options = {}) {
  const always = (options.always ?? ['400', '401', '403', '429', '500']).map(String);
  const withPathParameters = (options.withPathParameters ?? ['404']).map(String);
  const byMethod = options.byMethod ?? { post: ['409', '422'] };
  const mediaType = options.mediaType ?? 'application/problem+json';
  return {
    Paths: {
      PathItem: {
        Operation: {
          enter(operation, ctx, parents) {
            const documented = new Set(Object.keys(operation.responses ?? {}));
            const hasPathParameters = parametersOf(ctx, operation, parents.PathItem).some((p) => p.in === 'path');
            const expected = [
              ...always,
              ...(hasPathParameters ? withPathParameters : []),
              ...(byMethod[String(ctx.key).toLowerCase()] ?? []).map(String),
            ];
            const missing = expected.filter((status) => !documented.has(status));
            if (missing.length > 0) {
              ctx.report({
                message: `Operation must document the error responses ${missing.join(', ')}.`,
                location: ctx.location.child(['responses']).key(),
              });
            }
          },
          Response: {
            enter(response, ctx) {
              if (!/^[45]/.test(String(ctx.key))) return;
              const types = Object.keys(response?.content ?? {});
              if (types.length === 0 || types.some((type) => type !== mediaType)) {
                ctx.report({
                  message: `Error response ${ctx.key} must have exactly the \`${mediaType}\` content type.`,
                  location: ctx.location.key(),
                });
              }
            },
          },
        },
      },
    },
  };
}

export default function finrailPlugin() {
  return {
    id: 'finrail',
    rules: {
      oas3: {
        'idempotency-header': IdempotencyHeader,
        'list-pagination': ListPagination,
        'property-description': PropertyDescription,
        'prefixed-ids': PrefixedIds,
        'response-headers': ResponseHeaders,
        'operation-scopes': OperationScopes,
        'examples-with-state': ExamplesWithState,
        'error-responses': ErrorResponses,
      },
    },
  };
}
