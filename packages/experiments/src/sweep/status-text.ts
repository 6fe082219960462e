import { describeMethod } from '../config/equal-steps.js';
import { fingerprint, type RunConfig } from '../config/config.js';
import { formatDuration } from '../format.js';
import type { SweepStatus } from './run-sweep.js';

/**
 * A sweep's status in words: 'N runs in the sweep, D already in FILE, T to run (about H:MM at the latest finished
 * runs' speed)', then with `list` one line per run, done or to do (what `dp bench --dry-run` prints).
 */
export function sweepStatusText(status: SweepStatus, { list = false, deadline = '' } = {}): string {
  const { plan, todo } = status;
  const method = (c: RunConfig) => (c.equalSteps ? describeMethod(c) : `${c.policy} ${c.pruneRatio}`);
  const head =
    `${plan.length} run${plan.length === 1 ? '' : 's'} in the sweep, ${plan.length - todo.length} already in ${status.resultsPath}, ${todo.length} to run` +
    (status.etaSeconds > 0 ? ` (about ${formatDuration(status.etaSeconds)} at the latest finished runs' speed)` : '') +
    (deadline ? ` · ${deadline}` : '');
  const runs = plan.map(
    (c) =>
      `  ${status.done.has(fingerprint(c)) ? 'done' : 'todo'}  ${c.dataset} ${c.model} ${method(c)} seed ${c.seed}`,
  );
  return [head, ...(list ? runs : [])].join('\n');
}
