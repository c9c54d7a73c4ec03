export { serverTarget, generateServerFiles, SERVER_FILE, VALIDATORS_FILE, VALIDATORS_TYPES_FILE } from './generate-server.ts';
