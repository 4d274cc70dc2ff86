#!/usr/bin/env node
import { run } from '../dist/cli.js';
// `aip models | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => { if (err.code === 'EPIPE') process.exit(0); throw err; });
run(process).then((code) => { process.exitCode = code; });
