import { roleOf } from '../config/methods.js';
import type { PairedDifference } from './paired.js';
import { TARGET_PP, type PairedRow } from './paired-table.js';

const pp = (x: number) => `${x >= 0 ? '+' : '-'}${Math.abs(100 * x).toFixed(2)}`;

/**
 * What the equal-steps baseline says about a protocol, one sentence per setting and ratio where both it and full data
 * ran: whether training all the data for the steps of a run pruned at r already loses accuracy ("step-limited": then
 * no policy at r is lossless unless it beats equal steps by that loss, the usual case when full data has not
 * converged), or not (then a policy's loss against full data is down to what it selects). Resolved only by an
 * interval over paired seeds; one seed gives a hint, said as such. Pure: from pairedRows' output.
 */
export function stepBudgetNotes(groups: readonly { title: string; rows: readonly PairedRow[] }[]): string[] {
  const notes: string[] = [];
  for (const { title, rows } of groups) {
    for (const { method, vsFull } of rows) {
      if (roleOf(method.policy) !== 'matched-steps' || typeof vsFull !== 'object') continue;
      notes.push(noteFor(title, method.pruneRatio, vsFull));
    }
  }
  return notes;
}

function noteFor(title: string, ratio: number, d: PairedDifference): string {
  const at = `${title}, equal steps @ ${ratio} (all the data for the optimizer steps of a run pruned at ${ratio})`;
  const n = d.seeds.length;
  if (!d.interval) {
    const hint =
      d.mean <= -TARGET_PP / 100
        ? `: the protocol looks step-limited at ${ratio}, so a policy there would have to beat equal steps by about that much to match full data`
        : `: the steps a run pruned at ${ratio} keeps look enough on this protocol`;
    return `${at}: ${pp(d.mean)} points against full data on ${n === 1 ? 'one seed' : `${n} seeds`}${hint} (not resolved: run more seeds).`;
  }
  const [lo, hi] = d.interval;
  const ci = `${pp(d.mean)} [${pp(lo)}, ${pp(hi)}] points against full data (${n} seeds)`;
  if (hi < 0)
    return `${at}: ${ci}. The protocol is step-limited at ${ratio} (full data has not converged in the steps a pruned run keeps): no policy at ${ratio} matches full data unless it beats equal steps by about ${Math.abs(100 * d.mean).toFixed(2)} points; train longer to measure what selection itself costs.`;
  if (lo > 0)
    return `${at}: ${ci}. Fewer steps help here (full data over-trains), which flatters every method that trains less.`;
  return `${at}: ${ci}. No step limit resolved at ${ratio}: a policy's difference to full data there is about what it selects${hi - lo > 2 * (TARGET_PP / 100) ? `, though the interval is too wide to rule out a loss of ${Math.abs(100 * lo).toFixed(2)} points` : ''}.`;
}
