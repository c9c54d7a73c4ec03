import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { loadSpec } from '../input/load-spec.ts';

export interface BuildDocsOptions {
  /** Load Redoc's script from Redocly's CDN (about 240 kB of HTML) instead of inlining it (about 2.5 MB, works offline). */
  cdn?: boolean;
}

const run = promisify(execFile);

/** Redocly CLI's telemetry, update notices and announcements are off: builds stay offline and quiet. */
const quietRedoclyEnv = {
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SDK_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
};

/**
 * The API reference of one spec as a single HTML page, rendered by Redocly's `build-docs` from
 * the bundled document (so it shows exactly what `finrail bundle` writes). Unusable input is a
 * `SpecInputError`.
 */
export async function buildDocsHtml(path: string, options: BuildDocsOptions = {}): Promise<string> {
  const spec = await loadSpec(path);
  // A scratch cwd keeps Redocly from picking up a redocly.yaml from wherever finrail was started.
  const scratch = await mkdtemp(join(tmpdir(), 'finrail-docs-'));
  try {
    const input = join(scratch, 'openapi.json');
    const output = join(scratch, 'index.html');
    await writeFile(input, JSON.stringify(spec.document));
    const args = [redoclyBin(), 'build-docs', input, '--output', output, '--lint-config', 'off'];
    if (!options.cdn) args.push('--inlineBundle');
    try {
      await run(process.execPath, args, { cwd: scratch, env: { ...process.env, ...quietRedoclyEnv }, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
      throw new Error(`Redocly build-docs failed for ${spec.path}: ${stderr.split('\n').slice(-3).join(' ') || (error as Error).message}`);
    }
    return await readFile(output, 'utf8');
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function redoclyBin(): string {
  const packageJson = createRequire(import.meta.url).resolve('@redocly/cli/package.json');
  return join(dirname(packageJson), 'bin', 'cli.js');
}
