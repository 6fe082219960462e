import { loadDataset, type ImageDataset } from '@dp/data';

/** The first n samples of `d` (views, no copy). */
export function slice(d: ImageDataset, n: number): ImageDataset {
  const bytes = d.shape[0] * d.shape[1] * d.shape[2];
  return { ...d, size: n, images: d.images.subarray(0, n * bytes), labels: d.labels.subarray(0, n) };
}

/** Fashion-MNIST as installed (never downloaded in tests): the trainer's tests train real models on it. */
export const fashionMnist = () => loadDataset('fashion-mnist', { download: false, env: {} });
