/** Hostile portable run records and W&B run files (wandb-summary.json, config.yaml): see fixtures/runSuite.ts. */
import { hostileRunSuite } from './fixtures/runSuite';

hostileRunSuite('hostile JSON run and W&B files', ['portableRun', 'wandbSummary', 'wandbConfig']);
