export { batchLoss } from './scores/batch-loss.js';
export { el2n } from './scores/el2n.js';
export { forgetting } from './scores/forgetting.js';
export { grand } from './scores/grand.js';
export { grandLastLayer } from './scores/grand-last-layer.js';
export { lossEma } from './scores/loss-ema.js';
export { loss } from './scores/loss.js';
