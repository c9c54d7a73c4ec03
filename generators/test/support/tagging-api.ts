// AWS query-protocol tagging as a model: `GET /tag` with a required `Tags` query array of objects
// (and an optional string array beside it), which the client and the pact target must send alike.
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
            ],
            responses: { '204': { description: 'Tagged' } },
          },
        },
      },
      components: { schemas: { Tag: { type: 'object', required: ['Key'], properties: { Key: { type: 'string' }, Value: { type: 'string' } } } } },
    },
  });
}
