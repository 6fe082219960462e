import '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { buildModel } from './registry.js';
import { modelSummary, paramTotals } from './summary.js';

describe('modelSummary', () => {
  it('lists every layer with type, output shape and params, then trainable / non-trainable totals', () => {
    const model = buildModel('resnet20', { inputShape: [32, 32, 3], numClasses: 10 });
    const text = modelSummary(model);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: resnet20');
    expect(lines[2]).toMatch(/^Layer\s+Type\s+Output shape\s+Params$/);
    expect(lines).toHaveLength(model.layers.length + 8);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))!.split(/\s{2,}/);
    expect(row('conv1')).toEqual(['conv1', 'Conv2D', '[?, 32, 32, 16]', '432']);
    expect(row('layer2.0.shortcut')).toEqual(['layer2.0.shortcut', 'PadShortcut', '[?, 16, 16, 32]', '0']);
    expect(row('layer3.2.bn2')).toEqual(['layer3.2.bn2', 'FusedBatchNormalization', '[?, 8, 8, 64]', '256']);
    expect(row('fc')).toEqual(['fc', 'Dense', '[?, 10]', '650']);
    expect(lines.slice(-3)).toEqual([
      'Total params: 271,098',
      'Trainable params: 269,722',
      'Non-trainable params: 1,376',
    ]);
    // The Params column adds up to the total.
    const body = lines.slice(4, 4 + model.layers.length);
    const sum = body.reduce((s, l) => s + Number(l.split(/\s+/).pop()!.replaceAll(',', '')), 0);
    const { trainable, nonTrainable } = paramTotals(model);
    expect(sum).toBe(trainable + nonTrainable);
    model.dispose();
  });
});
