import { defineConfig } from 'tsup';
import { packageBuild } from '../tsup.shared.ts';

// `model` and `load` are entries of their own so a server can load specs apart (package.json exports).
export default defineConfig({ ...packageBuild, entry: { index: 'src/index.ts', model: 'src/model-api.ts', load: 'src/input/load-spec.ts' } });
