#!/usr/bin/env node
// `dp-setup-backend`: the native TensorFlow backend of the project in the current directory (see --help).
import { setupBackendMain } from './main.js';

process.exitCode = setupBackendMain(process.argv.slice(2));
