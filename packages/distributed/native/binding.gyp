# Built by ../scripts/build.mjs (not by npm's implicit install-time node-gyp: this file is not at the package root).
# DP_TF_DIR is the folder holding include/tensorflow/c and lib/libtensorflow_cc.so.2: the same libtensorflow and
# headers as the @tensorflow/tfjs-node binding (its deps/ folder), so both addons load one copy of TensorFlow.
{
  'variables': {
    'tf_dir%': '<!(node -p "process.env.DP_TF_DIR || \'\'")',
  },
  'targets': [{
    'target_name': 'dp_collective',
    'sources': ['collective.cc'],
    'include_dirs': ['<(tf_dir)/include'],
    'defines': ['NAPI_VERSION=8'],
    'cflags_cc': ['-std=c++17', '-fexceptions'],
    # As the tfjs-node binding links: libtensorflow.so is its symlink to libtensorflow_cc.so.2 (offline route) or
    # Google's libtensorflow.so.2 (its own install script). Linux and macOS; Windows is untested.
    'libraries': ['-Wl,-rpath,<(tf_dir)/lib', '-L<(tf_dir)/lib', '-ltensorflow', '-ltensorflow_framework'],
  }],
}
