/** A training problem the user can act on (invalid option, diverged loss, ...). */
export class TrainError extends Error {
  override readonly name = 'TrainError';
}
