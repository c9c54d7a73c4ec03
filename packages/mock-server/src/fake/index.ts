export { generateValue, type GenerateOptions } from './generate.ts';
export { createPrng, hashString, type Prng } from './prng.ts';
export { mergeAllOf } from './merge.ts';
export { isSchemaObject, resolveSchemaRef, type Schema, type SchemaObject } from './schema.ts';
export type { BranchCheck, BranchValidatorSource } from './branches.ts';
