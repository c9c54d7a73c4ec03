export { clientTarget, generateClientSource, clientClassName, CLIENT_FILE } from './generate-client.ts';
