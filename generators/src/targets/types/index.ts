// The `types` target. openapi-typescript and the TypeScript compiler weigh ~90 MB resident, so
// they load on first use: the mock server and the CLI's other commands import this barrel too.
import type { GeneratedFile, Target, TargetContext } from '../../generate/target.ts';
import type { ApiModel } from '../../model/types.ts';

export const TYPES_FILE = 'types.ts';

export async function generateTypesSource(model: ApiModel): Promise<string> {
  const { generateTypesSource: generate } = await import('./generate-types.ts');
  return generate(model);
}

export const typesTarget: Target = {
  name: 'types',
  description: 'TypeScript types for paths, operations, components and webhooks (openapi-typescript)',
  async generate(model: ApiModel, context: TargetContext): Promise<GeneratedFile[]> {
    const source = await generateTypesSource(model);
    return [{ path: TYPES_FILE, contents: `${context.header}\n/* eslint-disable */\n\n${source}` }];
  },
};

export { prepareForTypes } from './fixups.ts';
