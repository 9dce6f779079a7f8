/**
 * The CLI's version, as its package.json says: recorded in every run database (`runs.code_version`)
 * so a result can be traced to the code that made it. Read at start-up from the package folder,
 * which is the folder above this module both in src/ (tsx) and in dist/ (compiled).
 */
import { readFileSync } from 'node:fs';
import { CliError } from './errors.js';

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  if (typeof manifest.version !== 'string') {
    throw new CliError('GBF_INTERNAL', 'packages/cli/package.json has no version', 1);
  }
  return manifest.version;
}

export const CLI_VERSION = packageVersion();
