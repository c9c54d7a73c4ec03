// finrail.config.json / finrail.config.ts: which specs to generate, where, with which targets.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SpecGenerateConfig {
  /** Spec file, relative to the config file. */
  spec: string;
  /** Output directory, relative to the config file. */
  out: string;
  /** Target names, e.g. ['types', 'client']. */
  targets: string[];
  /** Options for every target; an object under a target's name (e.g. `client: {...}`) applies to that target only. */
  options?: Record<string, unknown>;
}

export interface FinrailConfig {
  specs: SpecGenerateConfig[];
}

export interface LoadedConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Its directory: spec and out paths are relative to it. */
  dir: string;
  config: FinrailConfig;
}

/** An unusable config file: names the file and what is wrong. */
export class GenerateConfigError extends Error {
  override readonly name = 'GenerateConfigError';
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.file = file;
  }
}

export const CONFIG_FILES = ['finrail.config.json', 'finrail.config.ts'] as const;

/** The config file in `dir`, or undefined when there is none. Both present is an error. */
export function findConfigFile(dir: string): string | undefined {
  const found = CONFIG_FILES.map((name) => join(dir, name)).filter((file) => existsSync(file));
  if (found.length > 1) throw new GenerateConfigError(found[1]!, `both ${CONFIG_FILES.join(' and ')} exist; keep one`);
  return found[0];
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  const absolute = resolve(file);
  let raw: unknown;
  if (absolute.endsWith('.ts') || absolute.endsWith('.mts') || absolute.endsWith('.js') || absolute.endsWith('.mjs')) {
    // Node >= 22.18 strips types natively; the module's default export is the config.
    const module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
    raw = module.default;
  } else {
    let text: string;
    try {
      text = await readFile(absolute, 'utf8');
    } catch (error) {
      throw new GenerateConfigError(absolute, `cannot read the config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new GenerateConfigError(absolute, `not valid JSON: ${(error as Error).message}`);
    }
  }
  return { file: absolute, dir: dirname(absolute), config: validateConfig(absolute, raw) };
}

function validateConfig(file: string, raw: unknown): FinrailConfig {
  const fail = (message: string): never => {
    throw new GenerateConfigError(file, message);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('expected an object with a `specs` array');
  const specs = (raw as { specs?: unknown }).specs;
  if (!Array.isArray(specs)) return fail('`specs` must be an array of { spec, out, targets, options? }');
  return {
    specs: specs.map((entry: unknown, i) => {
      const at = `specs[${i}]`;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return fail(`${at} must be an object`);
      const { spec, out, targets, options } = entry as Record<string, unknown>;
      if (typeof spec !== 'string' || spec === '') fail(`${at}.spec must be a path to an OpenAPI file`);
      if (typeof out !== 'string' || out === '') fail(`${at}.out must be an output directory`);
      if (!Array.isArray(targets) || targets.length === 0 || !targets.every((t) => typeof t === 'string')) {
        fail(`${at}.targets must be a non-empty array of target names`);
      }
      if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
        fail(`${at}.options must be an object`);
      }
      return { spec: spec as string, out: out as string, targets: targets as string[], options: options as Record<string, unknown> | undefined };
    }),
  };
}
