export { readPactFile, parsePact, PactInputError, type PactFile, type PactInteraction, type PactRequest, type PactResponse, type PactBody } from './pact-file.ts';
export { ContractChecker, checkPact, checkPactFiles, formatViolation, type CheckPactFilesResult, type ContractViolation } from './check-pact.ts';
export { closeResponseSchemas } from './close-schemas.ts';
export { publishPacts, PactPublishError, type PublishPactsOptions, type PublishResult } from './publish.ts';
