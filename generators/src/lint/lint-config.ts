import { dirname, resolve } from 'node:path';
import { createConfig, lintConfig, loadConfig, YamlParseError, type Config } from '@redocly/openapi-core';
import { SpecInputError } from '../input/spec-input-error.ts';
import { toFileLocation } from '../input/source-location.ts';

/** A loaded Redocly lint configuration (opaque: pass it back to `lintSpec`). */
export interface LintConfig {
  /** Absolute path of the redocly.yaml, or undefined for the built-in `recommended` ruleset. */
  readonly path: string | undefined;
  readonly redocly: Config;
}

/**
 * Loads a redocly.yaml (rules, plugins, `apis` overrides, `.redocly.lint-ignore.yaml` next to it),
 * or Redocly's `recommended` ruleset when no path is given. A missing or invalid file is a
 * `SpecInputError` naming it.
 */
export async function loadLintConfig(configPath?: string): Promise<LintConfig> {
  if (configPath === undefined) return { path: undefined, redocly: await createConfig({ extends: ['recommended'] }) };
  const file = resolve(configPath);
  let redocly: Config;
  try {
    redocly = await loadConfig({ configPath: file });
  } catch (error) {
    throw configError(file, error);
  }
  const problems = await lintConfig({ config: redocly, severity: 'error' });
  const first = problems.find((problem) => problem.severity === 'error' && !problem.ignored);
  const location = first?.location[0];
  if (first && location) {
    throw new SpecInputError({ code: 'invalid-config', ...toFileLocation(location), message: `invalid Redocly config: ${first.message}` });
  }
  return { path: file, redocly };
}

/** The config for one spec: a redocly.yaml `apis` entry whose `root` is that spec overrides the top-level rules. */
export function configForSpec(config: LintConfig, specPath: string): Config {
  const apis = config.redocly.resolvedConfig.apis ?? {};
  const base = config.path ? dirname(config.path) : process.cwd();
  const alias = Object.keys(apis).find((name) => {
    const root = apis[name]?.root;
    return typeof root === 'string' && resolve(base, root) === resolve(specPath);
  });
  return config.redocly.forAlias(alias);
}

function configError(file: string, error: unknown): SpecInputError {
  if (error instanceof YamlParseError) {
    return new SpecInputError({ code: 'invalid-config', file, line: error.line, column: error.col, message: 'Redocly config does not parse as YAML' });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/ENOENT/.test(message) && message.includes(file)) {
    return new SpecInputError({ code: 'config-not-found', file, message: 'Redocly config file not found' });
  }
  return new SpecInputError({ code: 'invalid-config', file, message: `cannot load Redocly config: ${message}` });
}
