/** Hostile MLflow FileStore files (meta.yaml, MLmodel, a metric file): see fixtures/runSuite.ts. */
import { hostileRunSuite } from './fixtures/runSuite';

hostileRunSuite('hostile MLflow run files', ['mlflowMeta', 'mlmodel', 'mlflowMetric']);
