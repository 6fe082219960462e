/**
 * TensorFlow's `ServerDef` and `ConfigProto` for the collective-ops runtime, serialised by hand. Field numbers are
 * those of tensorflow/core/protobuf/tensorflow_server.proto, cluster.proto and config.proto (checked against the
 * generated headers of the tensorflow-cpu 2.21.0 wheel the set-up uses):
 *
 *   ServerDef   { ClusterDef cluster = 1; string job_name = 2; int32 task_index = 3;
 *                 ConfigProto default_session_config = 4; string protocol = 5; }
 *   ClusterDef  { repeated JobDef job = 1; }
 *   JobDef      { string name = 1; map<int32, string> tasks = 2; }      (map entry: key = 1, value = 2)
 *   ConfigProto { repeated string device_filters = 4; Experimental experimental = 16; }
 *   ConfigProto.Experimental { string collective_group_leader = 1; int32 recv_buf_max_chunk = 4; }
 */
import type { ClusterSpec } from './cluster-spec.js';
import { bytesField, stringField, varintField } from './protobuf-wire.js';

/**
 * Largest piece a tensor is cut into when a peer sends it (bytes). TensorFlow's default (0 = 4096 bytes) cuts a
 * ResNet-18 gradient into 11 000 pieces; one piece per tensor up to 1 GiB is what the collectives need here.
 */
export const RECV_BUF_MAX_CHUNK = 2 ** 30;

/**
 * The session/context configuration every worker uses, as MultiWorkerMirroredStrategy sets it: the group leader
 * (task 0 of the first job) resolves collective groups; the device filter keeps this worker from contacting every
 * other worker's devices at start-up.
 */
export function encodeConfigProto(spec: ClusterSpec, recvBufMaxChunk = RECV_BUF_MAX_CHUNK): Uint8Array {
  const leader = spec.tasks[0]!.name;
  const experimental = [...stringField(1, leader), ...varintField(4, recvBufMaxChunk)];
  return Uint8Array.from([...stringField(4, spec.self.name), ...bytesField(16, experimental)]);
}

/** This worker's ServerDef: the whole cluster, its own job and index, gRPC, and the ConfigProto above. */
export function encodeServerDef(spec: ClusterSpec, recvBufMaxChunk = RECV_BUF_MAX_CHUNK): Uint8Array {
  const cluster: number[] = [];
  for (const job of spec.jobs) {
    const jobDef: number[] = [...stringField(1, job.name)];
    job.addresses.forEach((address, index) => {
      const entry = [...(index === 0 ? [] : varintField(1, index)), ...stringField(2, address)];
      jobDef.push(...bytesField(2, entry));
    });
    cluster.push(...bytesField(1, jobDef));
  }
  return Uint8Array.from([
    ...bytesField(1, cluster),
    ...stringField(2, spec.self.job),
    ...(spec.self.index === 0 ? [] : varintField(3, spec.self.index)),
    ...bytesField(4, encodeConfigProto(spec, recvBufMaxChunk)),
    ...stringField(5, 'grpc'),
  ]);
}
