// `@finrail/generators/model`: the API model, the runtime's operation table and spec input errors,
// without loading, linting or code generation, which pull in Redocly and openapi-typescript. A
// long-running server (the mock) imports this and loads specs in a process of their own (`/load`).
export * from './model/index.ts';
export { encodePointerSegment } from './model/refs.ts';
export { createApiDefinition, createBranchValidators, documentedHeaders, type BranchValidators, type ValidatedApi } from './validation/index.ts';
export { byMockPreference, isInformationalStatus, mockStatusOf } from './targets/msw/preferred-response.ts';
export { SpecInputError, isSpecInputError, type SpecInputErrorCode, type SpecInputErrorInit } from './input/spec-input-error.ts';
export { displayPath } from './input/display-path.ts';
export type { LoadedSpec, OpenApiDocument } from './input/load-spec.ts';
