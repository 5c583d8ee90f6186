import type { InferResponseType } from 'hono/client';
import type { ApiClient } from '$lib/api';
import type { Me } from '$lib/types';

type Ok<T> = InferResponseType<T, 200>;

/** `GET /v1/notifications`: a page of notifications, newest first. */
export type NotificationPage = Ok<ApiClient['v1']['notifications']['$get']>;
export type Notification = NotificationPage['notifications'][number];
export type NotificationType = Notification['type'];
/** What the member wants to hear about (`GET /v1/me` → notificationSettings). */
export type NotificationSettings = Me['notificationSettings'];
export type NotificationLevel = NotificationSettings['level'];
