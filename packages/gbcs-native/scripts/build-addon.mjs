// Builds the native kernel with node-gyp against the headers of the Node that runs this (Node's
// own OpenSSL among them: `--nodedir`, so nothing is downloaded). Run by `pnpm install`: when it
// cannot build (no compiler, no headers) it says so in one line and exits 0, and gbfleet uses its
// JavaScript path. `--strict` (CI, `pnpm --filter @gbfleet/gbcs-native build:addon`) fails instead.
// GBFLEET_NATIVE_BUILD=skip skips the build (to try the fallback); GBFLEET_ASAN=1 builds with
// AddressSanitizer (docs/native-crypto.md).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const strict = process.argv.includes('--strict');
const say = (line) => process.stderr.write(`gbcs-native: ${line}\n`);

if (process.env.GBFLEET_NATIVE_BUILD === 'skip') {
  say('GBFLEET_NATIVE_BUILD=skip: not building the native crypto kernel; gbfleet will use its JavaScript crypto');
  process.exit(0);
}

// The headers of this very Node: <prefix>/include/node (node.h, and openssl/ beside it).
const prefix = dirname(dirname(process.execPath));
const headers = join(prefix, 'include', 'node');
if (!existsSync(join(headers, 'node_api.h')) || !existsSync(join(headers, 'openssl', 'evp.h'))) {
  fail(`no Node headers with OpenSSL at ${headers}`);
}

let gyp;
try {
  gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  fail('node-gyp is not installed');
}

const result = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${prefix}`, '--loglevel=warn'], {
  cwd: here,
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
});
if (result.status !== 0) {
  process.stderr.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  fail(`node-gyp could not build the addon (exit ${result.status ?? result.signal})`);
}
say(
  `built ${join('build', 'Release', 'gbcs_native.node')}${process.env.GBFLEET_ASAN === '1' ? ' with AddressSanitizer' : ''}`,
);

function fail(why) {
  if (strict) {
    say(`${why}: the native kernel was not built`);
    process.exit(1);
  }
  say(
    `${why}: the native crypto kernel is not built; gbfleet will use its JavaScript crypto (it needs a C++ compiler, make, python3 and Node's headers)`,
  );
  process.exit(0);
}
