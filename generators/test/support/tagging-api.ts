// AWS query-protocol tagging as a model: `GET /tag` with a required `Tags` query array of objects
// (and an optional string array beside it), and a required form-exploded `Destination` object
// holding an array and an object (SES's `EventDestination`), which the client and the pact target
// must send alike.
import { buildApiModel, type ApiModel } from '@finrail/generators';

export function taggingApi(): ApiModel {
  return buildApiModel({
    path: '/virtual/tags.yaml',
    openapi: '3.0',
    document: {
      openapi: '3.0.3',
      info: { title: 'Tags', version: '1' },
      paths: {
        '/tag': {
          get: {
            operationId: 'tagResource',
            parameters: [
              { name: 'Tags', in: 'query', required: true, schema: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Tag' } } },
              { name: 'Names', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
              { name: 'Destination', in: 'query', required: true, schema: { $ref: '#/components/schemas/Destination' } },
            ],
            responses: { '204': { description: 'Tagged' } },
          },
        },
      },
      components: {
        schemas: {
          Tag: { type: 'object', required: ['Key'], properties: { Key: { type: 'string' }, Value: { type: 'string' } } },
          Destination: {
            type: 'object',
            required: ['Name', 'Types', 'Target'],
            properties: {
              Name: { type: 'string' },
              Types: { allOf: [{ $ref: '#/components/schemas/EventTypes' }, { description: 'AWS wraps every property so.' }] },
              Target: { type: 'object', required: ['Arn'], properties: { Arn: { type: 'string' } } },
            },
          },
          EventTypes: { type: 'array', minItems: 1, items: { type: 'string', enum: ['send', 'bounce'] } },
        },
      },
    },
  });
}
