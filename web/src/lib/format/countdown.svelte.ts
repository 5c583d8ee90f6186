import { secondsUntil } from './duration';

/**
 * Seconds left before something is allowed again (a new SMS code), ticking once a second
 * while it runs. Call `stop()` when the component that owns it goes away.
 */
export class Countdown {
  #deadline = $state(0);
  #now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | undefined;

  readonly remaining = $derived(secondsUntil(this.#deadline, this.#now));
  readonly running = $derived(this.remaining > 0);

  start(seconds: number): void {
    this.stop();
    this.#now = Date.now();
    this.#deadline = this.#now + Math.max(0, seconds) * 1000;
    if (seconds <= 0) return;
    this.#timer = setInterval(() => {
      this.#now = Date.now();
      if (this.#now >= this.#deadline) this.stop();
    }, 1000);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#now = Date.now();
  }
}
