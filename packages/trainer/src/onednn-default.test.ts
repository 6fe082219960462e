import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeCpu } from './cpu.js';
import { ONEDNN_TESTED_MODELS, oneDnnDecision, oneDnnDefault, oneDnnModel } from './onednn-default.js';

const EPYC = 'vendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu sse sse2 avx fma avx2 bmi2\n';
const visible = describeCpu(EPYC, true);
const hidden = describeCpu(EPYC, false);
const x86Linux = process.platform === 'linux' && process.arch === 'x64';
const anyModel = fc.oneof(fc.constantFrom(...ONEDNN_TESTED_MODELS, 'resnet50', 'resnet110'), fc.string());
const models = fc.option(fc.array(anyModel, { maxLength: 5 }), { nil: undefined });

describe('oneDnnDecision', () => {
  it('is on wherever the cache sizes are visible, whatever the models', () => {
    fc.assert(fc.property(models, (m) => oneDnnDecision(visible, m).value === '1'));
  });
  describe.runIf(x86Linux)('on an x86 host that hides its cache sizes', () => {
    it('is on exactly when the models are known, not none, and all tested', () => {
      fc.assert(
        fc.property(models, (m) => {
          const on = m !== undefined && m.length > 0 && m.every((x) => ONEDNN_TESTED_MODELS.includes(x));
          expect(oneDnnDefault(hidden, m)).toBe(on ? '1' : '0');
        }),
      );
    });
    it('names the untested models, and the reason is one line', () => {
      const d = oneDnnDecision(hidden, ['resnet20', 'resnet50']);
      expect(d).toEqual({ value: '0', reason: expect.stringMatching(/not tested there with oneDNN: resnet50 \(/) });
      expect(oneDnnDecision(hidden, undefined).reason).toMatch(/not known before TensorFlow loads/);
      expect(oneDnnDecision(hidden, []).reason).toMatch(/trains no model/);
      expect(oneDnnDecision(hidden, ['resnet20', 'resnet20']).reason).toMatch(/but resnet20 ran there/);
      expect(d.reason).not.toContain('\n');
    });
    it('does not allow ResNet-50, whose 1x1 convolution on a 4x4 input crashes there', () => {
      expect(ONEDNN_TESTED_MODELS).not.toContain('resnet50');
      expect(oneDnnDefault(hidden, ['resnet50'])).toBe('0');
    });
  });
});

describe('oneDnnModel', () => {
  it('knows built models by their registry name, and a ResNet with the ImageNet stem as untested', async () => {
    await import('@tensorflow/tfjs-node');
    const { buildModel } = await import('@dp/models');
    const build = (name: string, size: number, stem?: 'cifar' | 'imagenet') =>
      buildModel(name, {
        inputShape: [size, size, 3],
        numClasses: 10,
        seed: 0,
        width: 0.125,
        ...(stem ? { stem } : {}),
      });
    expect(oneDnnModel(build('resnet20', 32))).toEqual({ name: 'resnet20', tested: true });
    expect(oneDnnModel(build('resnet18', 32))).toEqual({ name: 'resnet18', tested: true });
    expect(oneDnnModel(build('resnet18', 96))).toEqual({ name: 'resnet18 (ImageNet stem)', tested: false });
    expect(oneDnnModel(build('resnet18', 64, 'imagenet'))).toEqual({ name: 'resnet18 (ImageNet stem)', tested: false });
    expect(oneDnnModel(build('resnet50', 32))).toEqual({ name: 'resnet50', tested: false });
  });
});
