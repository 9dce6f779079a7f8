/**
 * `mkdir -p` that tells the real reason it failed. Node's recursive mkdir answers ENOENT on a
 * read-only file system (and for other refusals of a folder it had to make), which would read as
 * a typo in the path; the first missing folder is made again on its own to get the true errno.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Makes `dir` and its missing parents; returns the first folder made, as `mkdir -p` does. */
export async function makeFolder(dir: string): Promise<string | undefined> {
  try {
    return await mkdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let first = dir;
    while (!existsSync(dirname(first)) && dirname(first) !== first) first = dirname(first);
    if (!existsSync(dirname(first))) throw error;
    await mkdir(first); // throws the real reason (EROFS, EACCES, …), or succeeds after a race
    return await mkdir(dir, { recursive: true });
  }
}
