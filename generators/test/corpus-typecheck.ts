// Shared by the types, client and corpus tests: type-check generated files under `tsc --strict`
// in one TypeScript program, resolving '@finrail/runtime' to its sources and 'openapi-fetch' to
// the installed package, exactly as a project consuming the generated code would.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const runtimeSource = fileURLToPath(new URL('../../packages/runtime/src/index.ts', import.meta.url));
const openapiFetchTypes = join(dirname(require.resolve('openapi-fetch/package.json')), 'dist/index.d.mts');

/** A fresh ESM temp directory for generated code. */
export async function makeTempProject(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `finrail-${prefix}-`));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  return dir;
}

/** Diagnostics per file (absolute path → messages); files without problems are absent. */
export function typecheck(files: readonly string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    customConditions: ['source'],
    types: [],
    paths: { '@finrail/runtime': [runtimeSource], 'openapi-fetch': [openapiFetchTypes] },
  };
  const program = ts.createProgram({ rootNames: [...files], options });
  const byFile = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? '<global>';
    const where = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    const message = `${where ? `${where.line + 1}:${where.character + 1} ` : ''}TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    byFile.set(file, [...(byFile.get(file) ?? []), message]);
  }
  return byFile;
}
