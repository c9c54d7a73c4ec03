export { registerTarget, getTarget, listTargets } from './registry.ts';
export { generatedHeader, GENERATED_MARKER, type GeneratedFile, type Target, type TargetContext } from './target.ts';
export { loadConfig, findConfigFile, GenerateConfigError, CONFIG_FILES, type FinrailConfig, type LoadedConfig, type SpecGenerateConfig } from './config.ts';
export {
  planGeneration,
  diffPlan,
  writePlan,
  resolveTargets,
  labelPath,
  GenerateUsageError,
  type GenerateJob,
  type GenerationPlan,
  type PlannedFile,
  type FileChange,
} from './run.ts';
export { jobsFromConfig } from './jobs.ts';
