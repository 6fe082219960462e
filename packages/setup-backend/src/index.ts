// @dp/setup-backend: build @tensorflow/tfjs-node's native binding in any project, online or offline.
export { setupBackend, mirrorOf } from './setup.js';
export type { SetupResult, SetupRoute } from './setup.js';
export type { SetupOptions } from './options.js';
export { DEFAULT_WHEEL, resolveOptions } from './options.js';
export { SetupError } from './errors.js';
export { backendSetupCommand, repositoryRoot } from './fix-command.js';
export { TFJS_NODE_VERSION, locateTfjsNode } from './locate.js';
export type { TfjsNodeLocation } from './locate.js';
export { runSetupBackend, SETUP_FLAGS, setupBackendMain, usage } from './main.js';
