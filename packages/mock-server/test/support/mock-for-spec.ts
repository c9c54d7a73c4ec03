// A mock router for a spec written inline in a test: the text goes to a file of its own (as a
// user's spec would), and close() stops the router and removes the file.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockRouter, type MockRouter } from '../../src/index.ts';

export interface InlineMock {
  router: MockRouter;
  /** Where the spec was written, for loading it again. */
  specPath: string;
  close(): Promise<void>;
}

export async function mockForSpec(yaml: string): Promise<InlineMock> {
  const directory = await mkdtemp(join(tmpdir(), 'finrail-mock-spec-'));
  const specPath = join(directory, 'spec.yaml');
  await writeFile(specPath, yaml);
  const router = await createMockRouter({ specs: [specPath], auth: false, logger: false });
  return {
    router,
    specPath,
    close: async () => {
      router.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
