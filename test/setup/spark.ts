import { ensureSparkPython } from '../../scripts/spark-local.ts';

/** PySpark is installed (once, into the cache) before the Spark tests run; a failure fails the run. */
export default function setup(): void {
  ensureSparkPython();
}
