/** The subset of a test framework the dp test suites need (vitest and jest both fit). */
export interface TestApi {
  describe: (name: string, fn: () => void) => void;
  it: (name: string, fn: () => void | Promise<void>) => void;
  expect: (actual: unknown) => {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
    toThrow(expected?: any): void;
    toBeGreaterThan(n: number): void;
  };
}
