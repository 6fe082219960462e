// @dp/distributed native edge: TensorFlow's collective-ops runtime (the engine behind MultiWorkerMirroredStrategy)
// through libtensorflow's C API, exposed to Node with plain N-API.
//
// Everything about clusters, keys and protobufs is decided in TypeScript; this file only
//   open(serverDef, configProto)              -> context   (TFE_NewContext + TFE_EnableCollectiveOps: starts the gRPC server)
//   collective(ctx, kind, input, ...)         -> Promise<ArrayBuffer>   (CollectiveReduceV2 / CollectiveGatherV2 via TFE_Op)
//   checkPeerHealth(ctx, task, timeoutMs)     -> Promise<void>          (TFE_CollectiveOpsCheckPeerHealth)
//   abort(ctx, code, message)                 -> void                   (TFE_AbortCollectiveOps)
//   tfVersion()                               -> string
// Blocking TensorFlow calls run on libuv's thread pool, so a collective waiting for its peers never blocks JavaScript
// (the watchdog that health-checks peers and aborts keeps running).
#include <node_api.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "tensorflow/c/c_api.h"
#include "tensorflow/c/c_api_experimental.h"
#include "tensorflow/c/eager/c_api.h"

namespace {

const char* CodeName(TF_Code code) {
  static const char* names[] = {"OK",         "CANCELLED",         "UNKNOWN",      "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                                "NOT_FOUND",  "ALREADY_EXISTS",    "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                "FAILED_PRECONDITION", "ABORTED",  "OUT_OF_RANGE", "UNIMPLEMENTED",    "INTERNAL",
                                "UNAVAILABLE", "DATA_LOSS",        "UNAUTHENTICATED"};
  int i = static_cast<int>(code);
  return i >= 0 && i < static_cast<int>(sizeof(names) / sizeof(names[0])) ? names[i] : "UNKNOWN";
}

// A JS Error with .code = 'TF_<CODE>' and .tfCode = <number>.
napi_value MakeError(napi_env env, TF_Code code, const std::string& message) {
  napi_value msg, err, codeStr, codeNum;
  napi_create_string_utf8(env, message.c_str(), message.size(), &msg);
  napi_create_error(env, nullptr, msg, &err);
  std::string c = std::string("TF_") + CodeName(code);
  napi_create_string_utf8(env, c.c_str(), c.size(), &codeStr);
  napi_create_int32(env, static_cast<int32_t>(code), &codeNum);
  napi_set_named_property(env, err, "code", codeStr);
  napi_set_named_property(env, err, "tfCode", codeNum);
  return err;
}

napi_value Throw(napi_env env, const std::string& message) {
  napi_throw_type_error(env, "ERR_DP_DISTRIBUTED_NATIVE", message.c_str());
  return nullptr;
}

struct Context {
  TFE_Context* ctx = nullptr;
};

void FinalizeContext(napi_env, void*, void*) {
  // Deliberately not TFE_DeleteContext: the collective ops' gRPC server that TFE_EnableCollectiveOps started cannot be
  // shut down (TensorFlow's GrpcServer has no clean stop), so the context lives until the process exits, as in
  // TensorFlow's own Python runtime.
}

bool GetContext(napi_env env, napi_value v, Context** out) {
  void* data = nullptr;
  if (napi_get_value_external(env, v, &data) != napi_ok || data == nullptr) return false;
  *out = static_cast<Context*>(data);
  return true;
}

bool GetString(napi_env env, napi_value v, std::string* out) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) return false;
  out->resize(len);
  std::vector<char> buf(len + 1);
  if (napi_get_value_string_utf8(env, v, buf.data(), buf.size(), &len) != napi_ok) return false;
  out->assign(buf.data(), len);
  return true;
}

// Bytes of a Uint8Array (or any TypedArray).
bool GetBytes(napi_env env, napi_value v, const void** data, size_t* bytes, napi_typedarray_type* type, size_t* length) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_value ab;
  size_t offset;
  void* p = nullptr;
  if (napi_get_typedarray_info(env, v, type, length, &p, &ab, &offset) != napi_ok) return false;
  size_t elem = 1;
  switch (*type) {
    case napi_float32_array: case napi_int32_array: case napi_uint32_array: elem = 4; break;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: elem = 8; break;
    case napi_int16_array: case napi_uint16_array: elem = 2; break;
    default: elem = 1;
  }
  *data = p;
  *bytes = *length * elem;
  return true;
}

// ------------------------------------------------------------------------------------------------ open
napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  const void *serverDef, *config;
  size_t serverDefBytes, configBytes, n;
  napi_typedarray_type t;
  if (argc < 2 || !GetBytes(env, argv[0], &serverDef, &serverDefBytes, &t, &n) || !GetBytes(env, argv[1], &config, &configBytes, &t, &n))
    return Throw(env, "open(serverDef: Uint8Array, config: Uint8Array) expects two Uint8Arrays");

  TF_Status* status = TF_NewStatus();
  TFE_ContextOptions* opts = TFE_NewContextOptions();
  TFE_ContextOptionsSetConfig(opts, config, configBytes, status);
  TFE_Context* ctx = nullptr;
  std::string where;
  if (TF_GetCode(status) == TF_OK) {
    ctx = TFE_NewContext(opts, status);
    where = "creating the eager context";
  } else {
    where = "parsing the ConfigProto";
  }
  TFE_DeleteContextOptions(opts);
  if (TF_GetCode(status) == TF_OK) {
    where = "enabling collective ops (starting this worker's gRPC server)";
    TFE_EnableCollectiveOps(ctx, serverDef, serverDefBytes, status);
  }
  if (TF_GetCode(status) != TF_OK) {
    napi_value err = MakeError(env, TF_GetCode(status), "TensorFlow failed " + where + ": " + TF_Message(status));
    TF_DeleteStatus(status);
    // The context is leaked on purpose when the server failed half-way: deleting it may touch a half-started server.
    napi_throw(env, err);
    return nullptr;
  }
  TF_DeleteStatus(status);
  auto* c = new Context{ctx};
  napi_value ext;
  napi_create_external(env, c, FinalizeContext, nullptr, &ext);
  return ext;
}

// ------------------------------------------------------------------------------------------------ async work
// One blocking TensorFlow call on libuv's thread pool, settling a promise. Subclasses: Run() off the JS thread (no
// N-API there), Result() back on it. The JS context object is referenced until the work completes, so the context
// outlives every call that uses it.
struct AsyncCall {
  napi_async_work work = nullptr;
  napi_deferred deferred = nullptr;
  napi_ref ctxRef = nullptr;
  Context* ctx = nullptr;
  TF_Code code = TF_OK;
  std::string message;
  virtual ~AsyncCall() = default;
  virtual void Run(TF_Status* status) = 0;
  virtual napi_value Result(napi_env env) = 0;
  virtual void Release() {}

  napi_value Start(napi_env env, napi_value ctxValue, const char* name) {
    napi_create_reference(env, ctxValue, 1, &ctxRef);
    napi_value promise, resource;
    napi_create_promise(env, &deferred, &promise);
    napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource);
    napi_create_async_work(env, nullptr, resource, Execute, Complete, this, &work);
    napi_queue_async_work(env, work);
    return promise;
  }

  static void Execute(napi_env, void* data) {
    auto* w = static_cast<AsyncCall*>(data);
    TF_Status* status = TF_NewStatus();
    w->Run(status);
    w->code = TF_GetCode(status);
    if (w->code != TF_OK) w->message = TF_Message(status);
    TF_DeleteStatus(status);
  }

  static void Complete(napi_env env, napi_status, void* data) {
    auto* w = static_cast<AsyncCall*>(data);
    if (w->code != TF_OK) {
      napi_reject_deferred(env, w->deferred, MakeError(env, w->code, w->message));
    } else {
      napi_resolve_deferred(env, w->deferred, w->Result(env));
    }
    w->Release();
    napi_delete_reference(env, w->ctxRef);
    napi_delete_async_work(env, w->work);
    delete w;
  }
};

// ------------------------------------------------------------------------------------------------ collective
TFE_TensorHandle* ScalarInt32(int32_t v, TF_Status* status) {
  TF_Tensor* t = TF_AllocateTensor(TF_INT32, nullptr, 0, sizeof(int32_t));
  *static_cast<int32_t*>(TF_TensorData(t)) = v;
  TFE_TensorHandle* h = TFE_NewTensorHandle(t, status);
  TF_DeleteTensor(t);
  return h;
}

void FreeTensor(napi_env, void*, void* hint) { TF_DeleteTensor(static_cast<TF_Tensor*>(hint)); }

struct CollectiveCall : AsyncCall {
  bool gather = false;
  TF_DataType dtype = TF_FLOAT;
  TF_Tensor* input = nullptr;
  TF_Tensor* output = nullptr;
  int32_t groupSize = 0, groupKey = 0, instanceKey = 0;
  std::string mergeOp, finalOp, device;
  float timeoutSeconds = 0;

  void Run(TF_Status* status) override {
    TFE_TensorHandle* handles[4] = {nullptr, nullptr, nullptr, nullptr};
    TFE_Op* op = nullptr;
    TFE_TensorHandle* result = nullptr;
    do {
      handles[0] = TFE_NewTensorHandle(input, status);
      if (TF_GetCode(status) != TF_OK) break;
      handles[1] = ScalarInt32(groupSize, status);
      if (TF_GetCode(status) != TF_OK) break;
      handles[2] = ScalarInt32(groupKey, status);
      if (TF_GetCode(status) != TF_OK) break;
      handles[3] = ScalarInt32(instanceKey, status);
      if (TF_GetCode(status) != TF_OK) break;
      op = TFE_NewOp(ctx->ctx, gather ? "CollectiveGatherV2" : "CollectiveReduceV2", status);
      if (TF_GetCode(status) != TF_OK) break;
      TFE_OpSetDevice(op, device.c_str(), status);
      if (TF_GetCode(status) != TF_OK) break;
      for (auto* h : handles) {
        TFE_OpAddInput(op, h, status);
        if (TF_GetCode(status) != TF_OK) break;
      }
      if (TF_GetCode(status) != TF_OK) break;
      TFE_OpAddInputList(op, nullptr, 0, status);  // ordering_token: none (one collective at a time, ordered by JS)
      if (TF_GetCode(status) != TF_OK) break;
      TFE_OpSetAttrType(op, "T", dtype);
      if (!gather) {
        TFE_OpSetAttrString(op, "merge_op", mergeOp.data(), mergeOp.size());
        TFE_OpSetAttrString(op, "final_op", finalOp.data(), finalOp.size());
      }
      TFE_OpSetAttrString(op, "communication_hint", "ring", 4);
      TFE_OpSetAttrFloat(op, "timeout_seconds", timeoutSeconds);
      int n = 1;
      TFE_Execute(op, &result, &n, status);
      if (TF_GetCode(status) != TF_OK) break;
      output = TFE_TensorHandleResolve(result, status);
    } while (false);
    if (result) TFE_DeleteTensorHandle(result);
    if (op) TFE_DeleteOp(op);
    for (auto* h : handles)
      if (h) TFE_DeleteTensorHandle(h);
  }

  napi_value Result(napi_env env) override {
    napi_value ab;
    size_t bytes = TF_TensorByteSize(output);
    void* src = TF_TensorData(output);
    // Zero-copy: the ArrayBuffer owns the TensorFlow tensor; copy only where external buffers are not allowed.
    if (napi_create_external_arraybuffer(env, src, bytes, FreeTensor, output, &ab) != napi_ok) {
      void* dst = nullptr;
      napi_create_arraybuffer(env, bytes, &dst, &ab);
      std::memcpy(dst, src, bytes);
      TF_DeleteTensor(output);
    }
    output = nullptr;
    return ab;
  }

  void Release() override {
    if (output) TF_DeleteTensor(output);
    TF_DeleteTensor(input);
  }
};

// collective(ctx, gather: boolean, input: Float32Array|Int32Array|Float64Array, groupSize, groupKey, instanceKey,
//            mergeOp: string, finalOp: string, timeoutSeconds: number, device: string) -> Promise<ArrayBuffer>
napi_value Collective(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 10) return Throw(env, "collective() expects 10 arguments");
  auto* w = new CollectiveCall();
  const void* data;
  size_t bytes, length;
  napi_typedarray_type type;
  double timeout = 0;
  bool ok = GetContext(env, argv[0], &w->ctx) && napi_get_value_bool(env, argv[1], &w->gather) == napi_ok &&
            GetBytes(env, argv[2], &data, &bytes, &type, &length) &&
            napi_get_value_int32(env, argv[3], &w->groupSize) == napi_ok &&
            napi_get_value_int32(env, argv[4], &w->groupKey) == napi_ok &&
            napi_get_value_int32(env, argv[5], &w->instanceKey) == napi_ok && GetString(env, argv[6], &w->mergeOp) &&
            GetString(env, argv[7], &w->finalOp) && napi_get_value_double(env, argv[8], &timeout) == napi_ok &&
            GetString(env, argv[9], &w->device);
  if (!ok) {
    delete w;
    return Throw(env, "collective(): bad argument types");
  }
  switch (type) {
    case napi_float32_array: w->dtype = TF_FLOAT; break;
    case napi_int32_array: w->dtype = TF_INT32; break;
    case napi_float64_array: w->dtype = TF_DOUBLE; break;
    default:
      delete w;
      return Throw(env, "collective(): input must be a Float32Array, Int32Array or Float64Array");
  }
  w->timeoutSeconds = static_cast<float>(timeout);
  int64_t dims[1] = {static_cast<int64_t>(length)};
  // Copied: TensorFlow may forward the input buffer as the output, and the caller keeps its array.
  w->input = TF_AllocateTensor(w->dtype, dims, 1, bytes);
  if (bytes > 0) std::memcpy(TF_TensorData(w->input), data, bytes);
  return w->Start(env, argv[0], "dp:collective");
}

// ------------------------------------------------------------------------------------------------ health, abort
struct HealthCall : AsyncCall {
  std::string task;
  int64_t timeoutMs = 0;
  void Run(TF_Status* status) override { TFE_CollectiveOpsCheckPeerHealth(ctx->ctx, task.c_str(), timeoutMs, status); }
  napi_value Result(napi_env env) override {
    napi_value undef;
    napi_get_undefined(env, &undef);
    return undef;
  }
};

// checkPeerHealth(ctx, task: '/job:worker/replica:0/task:1', timeoutMs) -> Promise<void>
napi_value CheckPeerHealth(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  auto* w = new HealthCall();
  double timeout = 0;
  if (argc < 3 || !GetContext(env, argv[0], &w->ctx) || !GetString(env, argv[1], &w->task) ||
      napi_get_value_double(env, argv[2], &timeout) != napi_ok) {
    delete w;
    return Throw(env, "checkPeerHealth(ctx, task: string, timeoutMs: number): bad arguments");
  }
  w->timeoutMs = static_cast<int64_t>(timeout);
  return w->Start(env, argv[0], "dp:checkPeerHealth");
}

// abort(ctx, code: number, message: string): every pending and later collective on this context fails with it.
napi_value Abort(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Context* c = nullptr;
  int32_t code = 0;
  std::string message;
  if (argc < 3 || !GetContext(env, argv[0], &c) || napi_get_value_int32(env, argv[1], &code) != napi_ok ||
      !GetString(env, argv[2], &message) || code <= 0 || code > 16)
    return Throw(env, "abort(ctx, code: 1..16, message: string): bad arguments");
  TF_Status* status = TF_NewStatus();
  TF_SetStatus(status, static_cast<TF_Code>(code), message.c_str());
  TFE_AbortCollectiveOps(c->ctx, status);
  TF_DeleteStatus(status);
  return nullptr;
}

napi_value TfVersion(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_string_utf8(env, TF_Version(), NAPI_AUTO_LENGTH, &v);
  return v;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"open", nullptr, Open, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"collective", nullptr, Collective, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"checkPeerHealth", nullptr, CheckPeerHealth, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"abort", nullptr, Abort, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"tfVersion", nullptr, TfVersion, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
