import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repoRoot, 'cli/bin/finrail.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user would. */
export function finrail(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, FINRAIL_DEBUG: '', ...options.env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `finrail-cli-${prefix}-`));
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** `file:line:col  severity  rule  message`, the line format every command prints problems in. */
export const problemLine = /^(?<file>[^\s:][^:]*):(?<line>\d+):(?<column>\d+) {2}(?<severity>error|warning) {2}(?<rule>\S+) {2}(?<message>.+)$/;

export function parseProblemLines(output: string) {
  return output
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = problemLine.exec(line);
      if (!match?.groups) throw new Error(`not a problem line: ${JSON.stringify(line)}`);
      const { file, line: lineNo, column, severity, rule, message } = match.groups;
      return { file: file!, line: Number(lineNo), column: Number(column), severity: severity!, rule: rule!, message: message! };
    });
}

/** A split spec that passes Redocly's `recommended` ruleset: one operation, one webhook, two scopes. */
export const cleanSpec: Record<string, string> = {
  'things/openapi.yaml': `openapi: 3.1.0
info:
  title: Things API
  version: 2.1.0
  description: A spec that passes the recommended ruleset.
  license:
    name: MIT
    url: https://opensource.org/licenses/MIT
servers:
  - url: https://api.things.test
security:
  - oauth: [things:read]
tags:
  - name: things
    description: Things.
paths:
  /things/{thing_id}:
    get:
      operationId: getThing
      summary: Get a thing
      description: Returns one thing.
      tags: [things]
      parameters:
        - name: thing_id
          in: path
          required: true
          description: The thing's id.
          schema: {type: string}
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema:
                $ref: '../common/thing.yaml'
        '404':
          description: No such thing.
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://api.things.test/oauth/token
          scopes:
            things:read: Read things.
            things:write: Write things.
webhooks:
  thingCreated:
    post:
      operationId: thingCreated
      summary: Thing created
      description: Sent when a thing is created.
      tags: [things]
      requestBody:
        content:
          application/json:
            schema:
              $ref: '../common/thing.yaml'
      responses:
        '200':
          description: Acknowledged.
`,
  'common/thing.yaml': `type: object
properties:
  id:
    type: string
    description: Identifier.
`,
};

/** Redocly's own ruleset, so tests do not depend on how strict specs/redocly.yaml is. */
export const recommendedConfig = { 'redocly.yaml': 'extends:\n  - recommended\n' };
