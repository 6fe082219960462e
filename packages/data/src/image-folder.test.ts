import * as tf from '@tensorflow/tfjs-node';
import { describe, expect, it } from 'vitest';
import { decodeImageTfjs } from './image-folder.js';

/** A JPEG of `h` x `w` pixels in a gradient (so a truncated scan cannot decode to the same pixels). */
async function jpeg(h: number, w: number): Promise<Uint8Array> {
  const t = tf.tidy(() =>
    tf.cast(
      tf
        .mul(tf.add(tf.range(0, h * w * 3), 7), 3)
        .mod(256)
        .reshape([h, w, 3]),
      'int32',
    ),
  ) as tf.Tensor3D;
  try {
    return await tf.node.encodeJpeg(t);
  } finally {
    t.dispose();
  }
}

/** `main` with an APP1 (EXIF) segment holding a whole JPEG thumbnail inserted after its start-of-image marker. */
function withThumbnail(main: Uint8Array, thumb: Uint8Array): Uint8Array {
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), thumb]);
  const len = payload.length + 2;
  return Buffer.concat([
    Buffer.from(main.subarray(0, 2)),
    Buffer.from([0xff, 0xe1, len >> 8, len & 0xff]),
    payload,
    Buffer.from(main.subarray(2)),
  ]);
}

describe('decodeImageTfjs', () => {
  it('rejects a truncated JPEG even when an EXIF thumbnail (a complete JPEG) sits in its header', async () => {
    const file = withThumbnail(await jpeg(32, 32), await jpeg(4, 4));
    expect(decodeImageTfjs(file, 'a.jpg')).toMatchObject({ height: 32, width: 32, channels: 3 });
    const cut = file.subarray(0, file.length - 40);
    expect(() => decodeImageTfjs(cut, 'a.jpg')).toThrow(/truncated JPEG/);
  });
});
