import { parseStreamEvent } from './roster';
import type { StreamEvent } from './types';

export type StreamStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StreamHandlers {
  onevent(event: StreamEvent): void;
  onstatus(status: StreamStatus): void;
}

/** EventSource.CLOSED, spelled out so this module also loads where EventSource does not exist (tests). */
const CLOSED = 2;

const EVENT_TYPES = ['snapshot', 'roster', 'room', 'reactions', 'ended', 'removed'] as const;

/** The room stream's address (same origin: the session cookie goes with it). */
export function streamUrl(roomId: string): string {
  return `/v1/rooms/${encodeURIComponent(roomId)}/events`;
}

/**
 * Opens the room stream. EventSource reconnects by itself with Last-Event-ID, and the server
 * resumes without a snapshot when nothing was missed; after `ended` the stream is closed for good.
 * Returns the function that closes it.
 */
export function openRoomStream(
  roomId: string,
  handlers: StreamHandlers,
  create: (url: string) => EventSource = (url) => new EventSource(url),
): () => void {
  const source = create(streamUrl(roomId));
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    source.close();
    handlers.onstatus('closed');
  };
  handlers.onstatus('connecting');
  source.onopen = () => {
    if (!closed) handlers.onstatus('open');
  };
  source.onerror = () => {
    if (closed) return;
    // CLOSED: the server refused the stream (the room is gone for this viewer); no retry follows.
    if (source.readyState === CLOSED) close();
    else handlers.onstatus('reconnecting');
  };
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (message) => {
      if (closed) return;
      const event = parseStreamEvent(type, (message as MessageEvent<string>).data ?? '');
      if (!event) return;
      handlers.onevent(event);
      if (event.type === 'ended' || event.type === 'removed') close();
    });
  }
  return close;
}
