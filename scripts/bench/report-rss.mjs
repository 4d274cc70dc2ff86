// Preloaded by bench-perf (node --import): prints the process's peak resident memory to stderr at exit.
process.on('exit', () => process.stderr.write(`\naip-bench-maxrss-kb ${process.resourceUsage().maxRSS}\n`));
