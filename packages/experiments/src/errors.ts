/**
 * A refused input or a stopped run of the experiment layer: one line `problem; fix: ...` (the message), and the exit
 * code an application should end with (2 for bad input, 130 after an interrupt).
 */
export class ExperimentError extends Error {
  override readonly name = 'ExperimentError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }

  /** The message before its `; fix: ...`. */
  get problem(): string {
    return this.message.split(/; fix: /)[0]!;
  }

  /** What to do about it: the message after `fix: `, or undefined. */
  get fix(): string | undefined {
    return /; fix: (.*)$/s.exec(this.message)?.[1];
  }
}
