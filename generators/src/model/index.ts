export { buildApiModel, basePathOf, HTTP_METHODS } from './build.ts';
export { getByRef, resolveObject, derefSchema } from './refs.ts';
export { camelCase, pascalCase, identifier } from './names.ts';
export type * from './types.ts';
