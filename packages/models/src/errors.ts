/** A model problem the user can fix: unknown name, bad option, incompatible weights. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}
