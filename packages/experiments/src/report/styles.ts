import { seriesStyle, type Series } from './svg.js';
import { methodName, settingName, type MethodSummary } from './summarize.js';

/**
 * One look per method across every plot of a report: a method (its policy and options, in its setting) keeps the
 * colour of its place among the report's methods, in the order they first appear, whichever plot shows it and
 * whatever else that plot shows. In plots with one series per ratio, a method's 2nd, 4th, ... ratio has hollow markers.
 */
export function methodStyles(ms: MethodSummary[]): (m: MethodSummary, perRatio?: boolean) => Series['style'] {
  const key = (m: MethodSummary) => JSON.stringify([methodName(m), settingName(m)]);
  const order = [...new Set(ms.map(key))];
  return (m, perRatio = false) => {
    const k = key(m);
    const { color, hollow } = seriesStyle(order.indexOf(k));
    const rank = perRatio ? ms.filter((x) => key(x) === k).indexOf(m) : 0;
    return { color, hollow: hollow || rank % 2 === 1 };
  };
}
