import { describe, expect, it } from 'vitest';
import { buildApiModel } from '../src/model/build.ts';
import { exampleBody } from '../src/targets/msw/example-body.ts';
import { planInteractions } from '../src/targets/pact/index.ts';
import { createApiDefinition, createBranchValidators, planValidation } from '../src/validation/index.ts';

// Two branches that accept each other's values (all properties optional): data drawn from one
// branch alone matches both, and the oneOf rejects it.
const instrument = {
  oneOf: [
    { type: 'object', properties: { card_number: { type: 'string' }, expiry: { type: 'string' } } },
    { type: 'object', properties: { iban: { type: 'string' }, bic: { type: 'string' }, id: { type: 'string', readOnly: true } }, required: ['id'] },
  ],
};

const json = (schema: object) => ({ 'application/json': { schema } });
const paths = Object.fromEntries(
  Array.from({ length: 12 }, (_, index) => [
    `/instruments/${index}`,
    { post: { operationId: `create${index}`, requestBody: { required: true, content: json({ $ref: '#/components/schemas/Instrument' }) }, responses: { '201': { description: 'created', content: json({ $ref: '#/components/schemas/Instrument' }) } } } },
  ]),
);
const document = { openapi: '3.1.0', info: { title: 'oneOf', version: '1' }, paths, components: { schemas: { Instrument: instrument } } };
const model = buildApiModel({ path: '/virtual/oneof.json', document, openapi: '3.1' });
const api = createApiDefinition(model);
const validators = (operationId: string) => api.definition.operations.find((operation) => operation.operationId === operationId)!.validators;

describe('branch validators', () => {
  it('compile one validator per branch, once per list and direction', () => {
    const branchValidators = createBranchValidators(planValidation(model));
    const response = branchValidators.of(instrument.oneOf, 'response');
    expect(response).toHaveLength(2);
    expect(branchValidators.of(instrument.oneOf, 'response')).toBe(response);
    // Requests never carry readOnly properties: the request view does not require `id`.
    expect(branchValidators.of(instrument.oneOf, 'request')[1]!({ iban: 'DE89' })).toBe(true);
    expect(response[1]!({ iban: 'DE89' })).toBe(false);
  });

  it('make the msw target generate bodies that match exactly one branch', () => {
    for (const operation of model.operations) {
      const response = operation.responses[0]!;
      const media = response.contents[0]!;
      const body = exampleBody(model, operation, response, media, undefined, api.branchValidators);
      expect(body.source).toBe('data generated from the schema');
      expect(validators(operation.operationId).responses!['201']!['application/json']!(body.value), JSON.stringify(body.value)).toBe(true);
    }
  });

  it('make the pact target generate request and response bodies that match exactly one branch', () => {
    const interactions = planInteractions(model);
    expect(interactions).toHaveLength(12);
    for (const interaction of interactions) {
      const { body, responses } = validators(interaction.operationId);
      expect(body!['application/json']!(structuredClone(interaction.request.body)), JSON.stringify(interaction.request.body)).toBe(true);
      expect(interaction.response.body).toBeDefined();
      expect(responses).toBeDefined();
    }
  });
});
