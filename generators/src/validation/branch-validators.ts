// Validators for the branches of each oneOf/anyOf, one per branch: fake data generators (the mock's
// dynamic responses, msw and pact bodies) ask which branches a value matches, and repair it until
// exactly one oneOf branch (at least one anyOf branch) accepts it. Each list is compiled once, on
// first use, with the ajv instance the operation validators share (components are compiled once).
import type { ValidateFunction } from '@finrail/server';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../model/types.ts';
import { createValidationAjv } from './compile.ts';
import { convertSchema, type SchemaDirection } from './convert-schema.ts';
import type { ValidationPlan } from './plan.ts';

export interface BranchValidators {
  /**
   * One validator per branch of a oneOf/anyOf list of the document (the array itself is the key),
   * in branch order; empty when a branch does not compile.
   */
  of(branches: readonly unknown[], direction: SchemaDirection): readonly ValidateFunction[];
}

export function createBranchValidators(plan: ValidationPlan, ajv: Ajv2020 = createValidationAjv(plan, { source: false })): BranchValidators {
  const compiled: Record<SchemaDirection, WeakMap<readonly unknown[], readonly ValidateFunction[]>> = { request: new WeakMap(), response: new WeakMap() };
  const compileBranches = (branches: readonly unknown[], direction: SchemaDirection): readonly ValidateFunction[] => {
    const context = plan.contexts[direction];
    // Branches are only tried: validating must not fill defaults into the value being checked.
    const tentative = context.tentative ?? context;
    try {
      return branches.map((branch) => ajv.compile(convertSchema(branch as JsonSchema, tentative) as object) as unknown as ValidateFunction);
    } catch {
      return [];
    }
  };
  return {
    of(branches, direction) {
      let validators = compiled[direction].get(branches);
      if (!validators) compiled[direction].set(branches, (validators = compileBranches(branches, direction)));
      return validators;
    },
  };
}
