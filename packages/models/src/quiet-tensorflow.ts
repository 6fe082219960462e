/**
 * Silence TensorFlow's C++ INFO lines ("Reading SavedModel from ...", "SavedModel load for tags { serve }", MLIR
 * notices), noise for library users: compiled inference loads a SavedModel for every evaluation. TensorFlow reads
 * TF_CPP_MIN_LOG_LEVEL once, when it first logs, so this takes effect when @dp/models (or @dp/trainer, which imports
 * it) is imported before @tensorflow/tfjs-node loads; the index calls it on import. A value the user set wins, and
 * DP_TF_LOG=1 keeps the lines. Returns whether it set the variable.
 */
export function quietTensorFlowLogs(
  env: Record<string, string | undefined> | undefined = typeof process !== 'undefined' ? process.env : undefined,
): boolean {
  if (!env || env.TF_CPP_MIN_LOG_LEVEL !== undefined || env.DP_TF_LOG) return false;
  env.TF_CPP_MIN_LOG_LEVEL = '2';
  return true;
}
