export { convertSchema, type ConvertContext, type SchemaDirection } from './convert-schema.ts';
export { planValidation, documentedHeaders, type ValidationPlan, type ValidatorEntry, type OperationValidatorNames } from './plan.ts';
export { isFormMedia, isBinarySchema } from './form-fields.ts';
export { createBranchValidators, type BranchValidators } from './branch-validators.ts';
export { compileValidators, generateValidatorModule, createValidationAjv } from './compile.ts';
export {
  createApiDefinition,
  describeOperations,
  describeSecuritySchemes,
  typeHint,
  type OperationDescriptor,
  type ValidatedApi,
} from './api-definition.ts';
export { toValidationIssues } from '@finrail/server';
