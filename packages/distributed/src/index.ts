export { abortCollectives, joinCluster, Collective, type ReduceOp } from './collective.js';
export { parseTfConfig, readTfConfig, MAX_TASKS } from './tf-config.js';
export {
  clusterSpec,
  clusterFingerprint,
  JOB_ORDER,
  type ClusterSpec,
  type JobSpec,
  type TaskSpec,
  type JobName,
} from './cluster-spec.js';
export { encodeServerDef, encodeConfigProto } from './server-def.js';
export { resolveJoinOptions, type JoinOptions, type ResolvedJoinOptions } from './options.js';
export { loadNative, nativeStatus, distributedCheck, ADDON_PATH } from './native.js';
export { DistributedError, DpError, isDpError, type DpErrorDetails } from './errors.js';
export { GradientAverager, type Reducer } from './average-gradients.js';
export { fusedLayout, packArrays, unpackArrays, type FusedLayout, type NamedArray } from './fused-buffer.js';
export { joinFromEnvironment } from './join-environment.js';
export { DEFAULT_STARTUP_TIMEOUT_S, startupTimeoutMs } from './startup-timeout.js';
export {
  freePorts,
  launchLocal,
  localTfConfig,
  type LaunchOptions,
  type LaunchResult,
  type WorkerExit,
} from './launch.js';
export { launchFailure, launchTarget, rankTag, type LaunchRequest, type LaunchSelf } from './launch-request.js';
