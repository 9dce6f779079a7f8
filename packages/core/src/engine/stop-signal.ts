/** Stopping a step in flight: the step's pool work is abandoned as soon as a stop signal aborts. */

export const STOPPED = Symbol('stopped');

/** `work`'s result, or STOPPED as soon as `stop` aborts (the work is left to fail or finish unseen). */
export function unlessStopped<T>(work: Promise<T>, stop: AbortSignal | undefined): Promise<T | typeof STOPPED> {
  if (!stop) return work;
  if (stop.aborted) {
    work.catch(() => undefined);
    return Promise.resolve(STOPPED);
  }
  return new Promise((resolve, reject) => {
    const onStop = () => {
      work.catch(() => undefined);
      resolve(STOPPED);
    };
    stop.addEventListener('abort', onStop, { once: true });
    work.then(
      (value) => {
        stop.removeEventListener('abort', onStop);
        resolve(value);
      },
      (error: unknown) => {
        stop.removeEventListener('abort', onStop);
        reject(error);
      },
    );
  });
}
