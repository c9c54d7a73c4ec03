// Every built-in target, one export line each. To add a target, add one line:
//   export { serverTarget } from '../targets/server/index.ts';
// The registry registers every `Target` exported here, under its `name`.
export { typesTarget } from '../targets/types/index.ts';
export { clientTarget } from '../targets/client/index.ts';
export { mswTarget } from '../targets/msw/index.ts';
export { serverTarget } from '../targets/server/index.ts';
export { pactTarget } from '../targets/pact/index.ts';
