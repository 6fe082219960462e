/**
 * The one error class @dp/distributed throws for problems a user can act on. The message is always
 * `<field> = <value> is invalid: expected <allowed>; fix: <fix>` for configuration, or `<problem>; fix: <fix>` for
 * runtime failures (a peer down, the native addon missing), where `field` names the worker or the component.
 */
export class DistributedError extends Error {
  override readonly name = 'DistributedError';
  constructor(
    message: string,
    readonly fix: string,
    readonly field?: string,
    readonly value?: unknown,
    /** TensorFlow's status code name when the failure came from TensorFlow ('TF_UNAVAILABLE', ...). */
    readonly code?: string,
  ) {
    super(`${message}; fix: ${fix}`);
  }

  /** A configuration error: `field = value is invalid: expected allowed; fix: fix`. */
  static invalid(field: string, value: unknown, allowed: string, fix: string): DistributedError {
    return new DistributedError(`${field} = ${show(value)} is invalid: expected ${allowed}`, fix, field, value);
  }
}

/** A value as the message quotes it: JSON (what TF_CONFIG is made of), at most 80 characters. */
function show(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
