// A path parameter that is a list of lists (`GET /cells/{rows}`, rows as arrays of strings):
// OpenAPI's styles define no text for such items, so the client and the pact target must send
// each as its JSON text, percent-encoded, alike; the runtime server reads them back.
import { buildApiModel, type ApiModel } from '@finrail/generators';

export const TABLE_ROWS = [['a', 'b,c'], ['d']];

/** The path `TABLE_ROWS` is sent as: a comma between the items only. */
export const TABLE_ROWS_PATH = `/cells/${TABLE_ROWS.map((row) => encodeURIComponent(JSON.stringify(row))).join(',')}`;

export function tableApi(): ApiModel {
  return buildApiModel({
    path: '/virtual/table.yaml',
    openapi: '3.0',
    document: {
      openapi: '3.0.3',
      info: { title: 'Table', version: '1' },
      paths: {
        '/cells/{rows}': {
          get: {
            operationId: 'readCells',
            parameters: [{ name: 'rows', in: 'path', required: true, example: TABLE_ROWS, schema: { type: 'array', items: { type: 'array', items: { type: 'string' } } } }],
            responses: { '200': { description: 'Cells', content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } } } },
          },
        },
      },
    },
  });
}
