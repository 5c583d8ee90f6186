/** Reads a Server-Sent Events response the way EventSource does, for tests. */
export interface SseEvent {
  event: string;
  id: string | undefined;
  data: unknown;
  /** The frame's size on the wire. */
  bytes: number;
}

export function sseReader(response: Response) {
  if (!response.body) throw new Error('no body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseEvent[] = [];
  let ended = false;
  /** The server cut the stream (a slow reader dropped) rather than ending it. */
  let dropped = false;
  let bytes = 0;
  /** A read outlives the wait that started it: the chunk it brings is for the next wait. */
  let reading: ReturnType<typeof reader.read> | undefined;

  async function fill(deadline: number) {
    while (queue.length === 0 && !ended) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return;
      let timeout: NodeJS.Timeout | undefined;
      reading ??= reader.read().catch(() => {
        dropped = true;
        return { done: true as const, value: undefined };
      });
      const chunk = await Promise.race([
        reading,
        new Promise<null>((resolve) => {
          timeout = setTimeout(() => resolve(null), remaining);
        }),
      ]);
      clearTimeout(timeout);
      if (chunk === null) return;
      reading = undefined;
      if (chunk.done) {
        ended = true;
        return;
      }
      bytes += chunk.value.byteLength;
      buffer += decoder.decode(chunk.value, { stream: true });
      let split = buffer.indexOf('\n\n');
      while (split >= 0) {
        const frame = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const fields = { event: 'message', id: undefined as string | undefined, data: [] as string[] };
        const size = new TextEncoder().encode(frame).byteLength + 2;
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) continue;
          const [name, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (name === 'event') fields.event = value;
          if (name === 'id') fields.id = value;
          if (name === 'data') fields.data.push(value);
        }
        if (fields.data.length > 0) {
          queue.push({
            event: fields.event,
            id: fields.id,
            data: JSON.parse(fields.data.join('\n')),
            bytes: size,
          });
        }
        split = buffer.indexOf('\n\n');
      }
    }
  }

  return {
    /** The next event (of the given name, skipping others), or throws after `timeoutMs`. */
    async next(event?: string, timeoutMs = 3000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await fill(deadline);
        const found = queue.shift();
        if (!found)
          throw new Error(`no ${event ?? 'event'} within ${timeoutMs} ms${ended ? ' (stream ended)' : ''}`);
        if (!event || found.event === event) return found;
      }
    },
    /** Everything that arrives within `ms`. */
    async drain(ms = 400): Promise<SseEvent[]> {
      const deadline = Date.now() + ms;
      const all: SseEvent[] = [];
      while (Date.now() < deadline && !ended) {
        await fill(deadline);
        all.push(...queue.splice(0));
      }
      all.push(...queue.splice(0));
      return all;
    },
    get ended() {
      return ended;
    },
    get dropped() {
      return dropped;
    },
    /** Bytes read so far. */
    get bytes() {
      return bytes;
    },
    close: () => reader.cancel().catch(() => {}),
  };
}
