import { getContext, setContext } from 'svelte';
import { browserApi, callApi } from '$lib/api';
import { type MessageRef, summarizeFailure } from '$lib/errors/explain';
import { mergeNewestFirst, parseNotification, parseUnread } from './parse';
import type { Notification } from './types';

export const STREAM_URL = '/v1/notifications/stream';
/** How many notifications the header's panel shows. */
export const PANEL_SIZE = 8;
/** Waits before reopening a stream the server closed (signed out elsewhere, restarted). */
const RETRY_MS = [5_000, 15_000, 60_000, 300_000];

/**
 * The signed-in member's notifications, shared by the header's bell and the notifications page:
 * one Server-Sent Events stream for the unread count and new notifications, opened once by the
 * root layout for a member and closed when they sign out.
 */
export class NotificationCenter {
  /** Unread notifications, as the stream last said. */
  unread = $state(0);
  /** The latest notifications for the panel, newest first; null until asked for. */
  recent = $state<Notification[] | null>(null);
  loading = $state(false);
  problem = $state<MessageRef | null>(null);
  /** Notifications announced live since the page opened, newest first. */
  live = $state<Notification[]>([]);
  /** The last one announced, for the polite live region. */
  arrived = $state<Notification | null>(null);
  /** Whether the stream is open (the count is current). */
  connected = $state(false);
  /** Notifications marked read on this page since it opened (the list page follows these too). */
  readIds = $state<ReadonlySet<string>>(new Set());
  /** How many times everything was marked read, so that other lists can follow. */
  readAllCount = $state(0);

  #userId: string | null = null;
  #source: EventSource | null = null;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #stale = false;
  #open: (url: string) => EventSource;

  constructor(open: (url: string) => EventSource = (url) => new EventSource(url)) {
    this.#open = open;
  }

  /** Opens the stream for this member (once; a second call for the same member does nothing). */
  connect(userId: string): void {
    if (this.#userId === userId && (this.#source || this.#retry)) return;
    this.disconnect();
    this.#userId = userId;
    this.#listen();
  }

  /** Closes the stream and forgets everything (signed out, or another member signed in). */
  disconnect(): void {
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#source?.close();
    this.#source = null;
    this.#userId = null;
    this.#attempt = 0;
    this.unread = 0;
    this.recent = null;
    this.live = [];
    this.arrived = null;
    this.problem = null;
    this.connected = false;
    this.readIds = new Set();
  }

  #listen(): void {
    const source = this.#open(STREAM_URL);
    this.#source = source;
    source.addEventListener('open', () => {
      this.connected = true;
      this.#attempt = 0;
    });
    source.addEventListener('unread', (event) => {
      const count = parseUnread((event as MessageEvent<string>).data);
      if (count !== null) this.unread = count;
    });
    source.addEventListener('notification', (event) => {
      const item = parseNotification((event as MessageEvent<string>).data);
      if (!item) return;
      this.live = mergeNewestFirst([item], this.live);
      if (this.recent) this.recent = mergeNewestFirst([item], this.recent);
      this.arrived = item;
    });
    source.addEventListener('error', () => {
      this.connected = false;
      // The browser reconnects by itself after a network error; a refused stream stays closed.
      if (source.readyState !== EventSource.CLOSED) {
        this.#stale = true;
        return;
      }
      source.close();
      this.#source = null;
      const wait = RETRY_MS[Math.min(this.#attempt, RETRY_MS.length - 1)] ?? 60_000;
      this.#attempt += 1;
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        if (this.#userId) {
          this.#stale = true;
          this.#listen();
        }
      }, wait);
    });
  }

  /**
   * The first page for the panel, unless it is already here and current. While the stream was
   * down, notifications may have been missed, so the page is then asked again.
   */
  async loadRecent(force = false): Promise<void> {
    if (this.loading || (this.recent && !force && !this.#stale)) return;
    this.loading = true;
    this.problem = null;
    const result = await callApi(browserApi().v1.notifications.$get({ query: {} }));
    this.loading = false;
    if (!result.ok) {
      this.problem = summarizeFailure(result.error);
      return;
    }
    this.#stale = false;
    this.recent = mergeNewestFirst(this.live, result.data.notifications);
    this.unread = result.data.unread;
  }

  #setRead(ids: Set<string> | 'all'): void {
    if (ids === 'all') this.readAllCount += 1;
    else this.readIds = new Set([...this.readIds, ...ids]);
    const mark = (list: Notification[]) =>
      list.map((item) => (ids === 'all' || ids.has(item.id) ? { ...item, read: true } : item));
    if (this.recent) this.recent = mark(this.recent);
    this.live = mark(this.live);
  }

  /** Marks some notifications read (opening one does); the count follows the API's answer. */
  async markRead(ids: string[]): Promise<boolean> {
    if (ids.length === 0) return true;
    this.#setRead(new Set(ids));
    const result = await callApi(browserApi().v1.notifications.read.$post({ json: { ids } }));
    if (result.ok) this.unread = result.data.unread;
    return result.ok;
  }

  /** Marks everything read. Returns the failure's message, or null. */
  async markAllRead(): Promise<MessageRef | null> {
    const result = await callApi(browserApi().v1.notifications.read.$post({ json: { all: true } }));
    if (!result.ok) return summarizeFailure(result.error);
    this.#setRead('all');
    this.unread = result.data.unread;
    return null;
  }
}

const KEY = Symbol('notifications');

/** Called once by the root layout. */
export function provideNotificationCenter(center: NotificationCenter): NotificationCenter {
  return setContext(KEY, center);
}

/** The layout's center, for the header and the notifications page. */
export function useNotificationCenter(): NotificationCenter {
  const center = getContext<NotificationCenter | undefined>(KEY);
  if (!center) throw new Error('the root layout provides the notification center');
  return center;
}
