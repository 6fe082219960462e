/**
 * The error model every @dp package shares. An error says what went wrong (`problem`), what to do about it (`fix`),
 * and, for a bad argument or option, which one (`field`), what it was (`value`) and what would have been accepted
 * (`allowed`). Its message is always `<problem>; fix: <fix>`, one line.
 *
 * Each package bundles its own copy of this file, and a program may load two copies of one package, so `instanceof`
 * cannot recognise every dp error. A `Symbol.for('dp.error')` brand (one symbol per process, whatever the copy) can:
 * `DpError.isInstance(e)` (and `isDpError(e)`) test for it, `PrunerError.isInstance(e)` for the brand and the name.
 */
const BRAND = Symbol.for('dp.error');

/** What a dp error may carry besides its name, problem and fix. */
export interface DpErrorDetails {
  /** The argument, option or file field at fault. */
  field?: string;
  /** The value given for `field`. */
  value?: unknown;
  /** What `field` would have accepted. */
  allowed?: string;
  /** The lower-level error this one explains. */
  cause?: unknown;
}

/** The base class of every error the dp packages throw (each package subclasses it under its own name). */
export class DpError extends Error {
  /** The brand: the same symbol in every copy of every dp package. */
  readonly [BRAND] = true;
  readonly problem: string;
  readonly fix: string;
  readonly field?: string;
  readonly value?: unknown;
  readonly allowed?: string;

  /**
   * @param problem what went wrong, one line, without the fix
   * @param fix what the user can do about it
   */
  constructor(problem: string, fix: string, details: DpErrorDetails = {}) {
    super(
      `${oneLine(problem)}; fix: ${oneLine(fix)}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.problem = problem;
    this.fix = fix;
    if (details.field !== undefined) this.field = details.field;
    if ('value' in details) this.value = details.value;
    if (details.allowed !== undefined) this.allowed = details.allowed;
  }

  /** Whether `e` is an error of any dp package, from any copy of it. */
  static isInstance(e: unknown): e is DpError {
    return isDpError(e);
  }
}

/** Whether `e` carries the dp error brand (an error of any dp package, from any copy of it). */
export function isDpError(e: unknown): e is DpError {
  return typeof e === 'object' && e !== null && (e as { [BRAND]?: unknown })[BRAND] === true;
}

/** Whether `e` is a dp error of the class named `name` (a subclass that keeps its parent's name counts as it). */
export function isDpErrorNamed(e: unknown, name: string): boolean {
  return isDpError(e) && e.name === name;
}

/** Line breaks collapsed: an error message is one line. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * What went wrong in `e`, on one line, for an error that wraps it with a fix of its own: a dp error's problem
 * without its fix, any other error's message with line breaks collapsed.
 */
export function errorProblem(e: unknown): string {
  return oneLine(isDpError(e) ? e.problem : e instanceof Error ? e.message : String(e));
}

/** Short, bounded rendering of a value for error messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'function') return 'a function';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** The problem of a bad argument or option: `<field> = <value> is invalid: expected <allowed>`. */
export function invalidProblem(field: string, value: unknown, allowed: string): string {
  return `${field} = ${show(value)} is invalid: expected ${allowed}`;
}
