// A minimal well-formed plug-in without any dependency: every seen sample scores 1.
export default {
  name: 'fixture-constant',
  summary: 'every seen sample scores 1',
  inputs: ['losses'],
  optionNames: [],
  create(datasetSize) {
    const seen = new Uint32Array(datasetSize);
    return {
      score: 'fixture-constant',
      datasetSize,
      bytesPerSample: 4,
      update(batch) {
        for (const id of batch.ids) seen[id]++;
      },
      values: () => Float32Array.from(seen, (c) => (c > 0 ? 1 : 0)),
      counts: () => seen.slice(),
      state: () => ({ seen: Array.from(seen) }),
      load(s) {
        seen.set(s.seen);
      },
    };
  },
};
