// GitHub Action entry (bundled to dist/action.js, which action.yml runs on node24).
import { run } from './action/main.js';

await run();
