export { buildApiModel, basePathOf, HTTP_METHODS } from './build.ts';
export { getByRef, resolveObject, derefSchema } from './refs.ts';
export { requestDiscriminators, routeDiscriminators } from './discriminators.ts';
export { camelCase, pascalCase, pascalIdentifier, identifier } from './names.ts';
export type * from './types.ts';
