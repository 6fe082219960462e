export { createLossEma, updateLossEma } from './loss-ema.js';
export type { LossEmaState } from './loss-ema.js';
