// @ts-check
// The Orders view's one poller. In the background it re-reads every 30 s (new orders arrive by webhook too); while
// something is watched — a Fetch Order run, a retry — every 1.5 s. Each tick refreshes the counts and the grid once,
// then every watcher looks at the result and says whether it is done.

export const WATCH_MS = 1500;
export const BACKGROUND_MS = 30_000;

/**
 * @typedef {object} Watcher
 * @property {number} deadline  Date.now() after which the watcher is done whatever it sees
 * @property {() => Promise<boolean> | boolean} tick  after each refresh; true when done
 * @property {() => void} done  once, when tick said so or the deadline passed
 */

/**
 * @typedef {object} Poller
 * @property {(key: string, watcher: Watcher) => void} watch  a watcher under a key replaces the one there (which never ends)
 * @property {() => boolean} watching
 * @property {() => void} start  begins the background rhythm
 */

/**
 * @param {object} options
 * @param {() => Promise<void>} options.refresh  re-reads what watchers look at
 * @param {() => Promise<void>} options.background  the quiet 30-second refresh
 * @param {() => boolean} options.backgroundAllowed  e.g. only while the view is shown and the tab visible
 * @returns {Poller}
 */
export function createPoller({ refresh, background, backgroundAllowed }) {
  /** @type {Map<string, Watcher>} */
  const watchers = new Map();
  let timer = 0;
  let due = 0;
  let running = false;

  function schedule() {
    const delay = watchers.size ? WATCH_MS : BACKGROUND_MS;
    const at = Date.now() + delay;
    if (timer && due <= at) return;
    clearTimeout(timer);
    due = at;
    timer = window.setTimeout(tick, delay);
  }

  async function tick() {
    timer = 0;
    // A tick still running schedules the next one when it ends.
    if (running) return;
    running = true;
    try {
      if (watchers.size) {
        await refresh();
        for (const [key, watcher] of [...watchers]) {
          const finished = Date.now() >= watcher.deadline || await watcher.tick();
          if (finished && watchers.get(key) === watcher) {
            watchers.delete(key);
            watcher.done();
          }
        }
      } else if (backgroundAllowed()) {
        await background();
      }
    } finally {
      running = false;
      schedule();
    }
  }

  return {
    watch(key, watcher) {
      watchers.set(key, watcher);
      schedule();
    },
    watching: () => watchers.size > 0,
    start: schedule,
  };
}

/**
 * Counts polls in a row that saw the same signature once `ready`; any change starts again from 0.
 * @returns {(signature: string, ready: boolean) => number}
 */
export function quietCounter() {
  let last = '';
  let quiet = 0;
  return (signature, ready) => {
    quiet = ready && signature === last ? quiet + 1 : 0;
    last = signature;
    return quiet;
  };
}
