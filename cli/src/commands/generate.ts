import { resolve } from 'node:path';
import {
  GenerateConfigError,
  GenerateUsageError,
  diffPlan,
  displayPath,
  findConfigFile,
  jobsFromConfig,
  labelPath,
  listTargets,
  loadConfig,
  planGeneration,
  writePlan,
  type FileChange,
  type GenerateJob,
} from '@finrail/generators';
import { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';
import { note, plural, printLines } from '../output.ts';
import { UsageError, runCommand } from '../run-command.ts';

interface GenerateOptions {
  config?: string;
  spec?: string;
  out?: string;
  targets?: string;
  check?: boolean;
}

export function generateCommand(): Command {
  return new Command('generate')
    .description('generate code from OpenAPI specs: finrail.config.json (or .ts), or one spec with --spec/--out/--targets')
    .option('--config <file>', 'config file (default: ./finrail.config.json or ./finrail.config.ts)')
    .option('--spec <file>', 'generate from this spec instead of the config')
    .option('--out <dir>', 'output directory for --spec')
    .option('--targets <list>', `comma-separated targets for --spec: ${listTargets().map((t) => t.name).join(', ')} (default: types,client)`)
    .option('--check', 'generate in memory and exit 1 listing every file that differs from the disk')
    .action(runCommand((options: GenerateOptions) => generate(options)));
}

export async function generate(options: GenerateOptions, cwd = process.cwd()): Promise<number> {
  try {
    const jobs = await jobsFor(options, cwd);
    const plan = await planGeneration(jobs);
    for (const warning of plan.warnings) note(`warning: ${warning}`);
    if (options.check) return reportCheck(await diffPlan(plan), plan.files.length, cwd);
    const changes = await writePlan(plan);
    printLines(changes.map((change) => `${change.kind.padEnd(7)}  ${displayPath(change.path, cwd)}`));
    note(`finrail generate: ${plural(plan.files.length, 'file')} from ${plural(jobs.length, 'spec')}, ${changes.length === 0 ? 'all up to date' : `${changes.length} changed`}`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof GenerateConfigError) throw new UsageError(`${displayPath(error.file, cwd)}: ${error.message}`);
    if (error instanceof GenerateUsageError) throw new UsageError(error.message);
    throw error;
  }
}

async function jobsFor(options: GenerateOptions, cwd: string): Promise<GenerateJob[]> {
  if (options.spec !== undefined) {
    if (options.config !== undefined) throw new UsageError('use either --config or --spec, not both');
    if (options.out === undefined) throw new UsageError('--spec needs --out <dir>');
    const targets = (options.targets ?? 'types,client').split(',').map((t) => t.trim()).filter(Boolean);
    if (targets.length === 0) throw new UsageError('--targets needs at least one target');
    const spec = resolve(cwd, options.spec);
    return [{ spec, specLabel: labelPath(spec, cwd), out: resolve(cwd, options.out), targets }];
  }
  if (options.out !== undefined || options.targets !== undefined) {
    throw new UsageError('--out and --targets are only used with --spec; the config names each output directory and its targets');
  }
  const file = options.config !== undefined ? resolve(cwd, options.config) : findConfigFile(cwd);
  if (file === undefined) throw new UsageError('no finrail.config.json or finrail.config.ts here; pass --config <file>, or --spec <file> --out <dir>');
  return jobsFromConfig(await loadConfig(file));
}

function reportCheck(changes: FileChange[], total: number, cwd: string): number {
  if (changes.length === 0) {
    note(`finrail generate --check: ${plural(total, 'generated file')} up to date`);
    return EXIT.ok;
  }
  const verb = { added: 'missing', changed: 'differs', deleted: 'stale' } as const;
  printLines(changes.map((change) => `${verb[change.kind].padEnd(7)}  ${displayPath(change.path, cwd)}`));
  note(`finrail generate --check: ${plural(changes.length, 'file')} out of date; run \`finrail generate\``);
  return EXIT.failed;
}
