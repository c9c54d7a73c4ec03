import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.ts';

// The spec loader's process sits next to the module that starts it (dist/), as in src/server/.
export default defineConfig({ ...packageBuild, entry: { index: 'src/index.ts', msw: 'src/msw.ts', 'spec-loader-process': 'src/server/spec-loader-process.ts' } });
