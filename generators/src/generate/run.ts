// Generation as a plan: load each spec once, run its targets in memory, then either write the
// files (removing stale generated ones) or compare them with the disk (`--check`).
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { loadSpec } from '../input/load-spec.ts';
import { buildApiModel } from '../model/build.ts';
import type { ApiModel } from '../model/types.ts';
import { getTarget, listTargets } from './registry.ts';
import { GENERATED_MARKER, generatedHeader, type Target } from './target.ts';

export interface GenerateJob {
  /** Spec file (absolute or relative to the process cwd). */
  spec: string;
  /** How headers name the spec, e.g. 'specs/wallets/openapi.yaml'. */
  specLabel: string;
  /** Output directory (absolute or relative to the process cwd). */
  out: string;
  targets: readonly string[];
  options?: Record<string, unknown>;
}

export interface PlannedFile {
  /** Absolute path. */
  path: string;
  contents: string;
  target: string;
  spec: string;
}

export interface FileChange {
  /** Absolute path. */
  path: string;
  kind: 'added' | 'changed' | 'deleted';
}

export interface GenerationPlan {
  files: PlannedFile[];
  /** Absolute output directories, each scanned for stale generated files. */
  outDirs: string[];
  /** What the user should know about their specs: generation went ahead regardless. */
  warnings: string[];
}

/** A bad request to the generator (unknown target, two targets writing one file): exit 2 in the CLI. */
export class GenerateUsageError extends Error {
  override readonly name = 'GenerateUsageError';
}

/** Requested targets plus the ones they require, requirements first, each once. */
export function resolveTargets(names: readonly string[]): Target[] {
  const out: Target[] = [];
  const visit = (name: string, requiredBy?: string): void => {
    const target = getTarget(name);
    if (!target) {
      const known = listTargets().map((t) => t.name).join(', ');
      throw new GenerateUsageError(`unknown target "${name}"${requiredBy ? ` (required by ${requiredBy})` : ''}; available targets: ${known}`);
    }
    if (out.includes(target)) return;
    for (const required of target.requires ?? []) visit(required, name);
    if (!out.includes(target)) out.push(target);
  };
  for (const name of names) visit(name);
  return out;
}

/** A target's options: the shared ones plus the object under its own name. */
function optionsFor(target: Target, options: Record<string, unknown> = {}): Record<string, unknown> {
  const own = options[target.name];
  return { ...options, ...(own !== null && typeof own === 'object' && !Array.isArray(own) ? (own as Record<string, unknown>) : {}) };
}

export async function planGeneration(jobs: readonly GenerateJob[]): Promise<GenerationPlan> {
  const models = new Map<string, ApiModel>();
  const files: PlannedFile[] = [];
  const owners = new Map<string, PlannedFile>();
  const warnings: string[] = [];
  for (const job of jobs) {
    const specPath = resolve(job.spec);
    const targets = resolveTargets(job.targets);
    let model = models.get(specPath);
    if (!model) {
      model = buildApiModel(await loadSpec(specPath));
      models.set(specPath, model);
      warnings.push(...specWarnings(job.specLabel, model));
    }
    const outDir = resolve(job.out);
    for (const target of targets) {
      const generated = await target.generate(model, {
        specLabel: job.specLabel,
        header: generatedHeader(job.specLabel),
        targets: targets.map((t) => t.name),
        options: optionsFor(target, job.options),
        warn: (message) => warnings.push(`${job.specLabel} (${target.name} target): ${message}`),
      });
      for (const file of generated) {
        const path = resolve(outDir, file.path);
        if (!path.startsWith(outDir + sep)) throw new GenerateUsageError(`target ${target.name} tried to write outside ${outDir}: ${file.path}`);
        const planned = { path, contents: file.contents, target: target.name, spec: job.specLabel };
        const owner = owners.get(path);
        if (owner) throw new GenerateUsageError(`${path} would be written twice (${owner.spec} ${owner.target}, ${job.specLabel} ${target.name}); use separate out directories`);
        owners.set(path, planned);
        files.push(planned);
      }
    }
  }
  const outDirs = [...new Set(jobs.map((job) => resolve(job.out)))].sort();
  return { files, outDirs, warnings };
}

function specWarnings(specLabel: string, model: ApiModel): string[] {
  const ignored = model.ignoredSchemaKeywords;
  if (ignored.length === 0) return [];
  const shown = ignored.slice(0, 5).map(({ pointer }) => `#${pointer}`).join(', ');
  const more = ignored.length > 5 ? `, and ${ignored.length - 5} more` : '';
  return [`${specLabel}: read ${ignored.length} malformed or self-defeating schema keyword${ignored.length === 1 ? '' : 's'} leniently, left out or reinterpreted (${shown}${more}); \`finrail lint\` explains them`];
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Files under `dir` (recursively) that start with the generated-by-finrail header. */
async function generatedFilesIn(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const head = (await readFile(path, 'utf8')).slice(0, GENERATED_MARKER.length);
    if (head === GENERATED_MARKER) found.push(path);
  }
  return found;
}

/** What writing the plan would change on disk, sorted by path. */
export async function diffPlan(plan: GenerationPlan): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  const planned = new Set(plan.files.map((file) => file.path));
  for (const file of plan.files) {
    const current = await readIfExists(file.path);
    if (current === undefined) changes.push({ path: file.path, kind: 'added' });
    else if (current !== file.contents) changes.push({ path: file.path, kind: 'changed' });
  }
  for (const dir of plan.outDirs) {
    for (const path of await generatedFilesIn(dir)) if (!planned.has(path)) changes.push({ path, kind: 'deleted' });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Writes added and changed files and deletes stale generated ones; returns what changed. */
export async function writePlan(plan: GenerationPlan): Promise<FileChange[]> {
  const changes = await diffPlan(plan);
  const contents = new Map(plan.files.map((file) => [file.path, file.contents]));
  for (const change of changes) {
    if (change.kind === 'deleted') {
      await rm(change.path, { force: true });
    } else {
      await mkdir(dirname(change.path), { recursive: true });
      await writeFile(change.path, contents.get(change.path)!);
    }
  }
  return changes;
}

/** A path for headers and messages: relative to `base`, '/'-separated. */
export function labelPath(path: string, base: string): string {
  const rel = relative(base, resolve(path));
  return (rel === '' ? '.' : rel).split(sep).join('/');
}
