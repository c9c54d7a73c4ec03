export { mswTarget, generateMswSource, runtimeExampleValidator, MSW_FILE } from './generate-msw.ts';
export { byMockPreference, mockStatusOf } from './preferred-response.ts';
export { toMswPath, type MswPath } from './msw-path.ts';
export type { ExampleValidator } from './example-body.ts';
