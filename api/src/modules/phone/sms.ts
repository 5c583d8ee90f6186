import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Config, Secrets } from '../../env';
import { AppError } from '../../http/errors';

export interface SmsMessage {
  /** E.164. Handed to the provider and then forgotten. */
  to: string;
  body: string;
  /** Lets the development outbox show a code next to its challenge. */
  challengeId: string;
}

export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<void>;
}

export const smsUnavailable = () =>
  new AppError(502, 'sms.unavailable', 'The SMS could not be sent. Try again in a moment.');

/**
 * Development stand-in for the carrier: appends `{to, body, at}` lines to a local file. It is the
 * one place a phone number may appear, which is why production refuses it (see env.ts).
 */
export function outboxProvider(file: string, now: () => Date): SmsProvider {
  return {
    name: 'outbox',
    async send({ to, body, challengeId }) {
      await mkdir(dirname(file), { recursive: true });
      await appendFile(file, `${JSON.stringify({ to, body, challengeId, at: now().toISOString() })}\n`, {
        mode: 0o600,
      });
    },
  };
}

/** Brevo's transactional SMS API (a French provider, EU data processing). */
export function brevoProvider(options: {
  url: string;
  apiKey: string;
  sender: string;
  timeoutMs?: number;
}): SmsProvider {
  return {
    name: 'brevo',
    async send({ to, body }) {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'api-key': options.apiKey,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({
            sender: options.sender,
            recipient: to.replace(/^\+/, ''),
            content: body,
            type: 'transactional',
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch {
        throw smsUnavailable();
      }
      if (!response.ok) throw smsUnavailable();
    },
  };
}

export function createSmsProvider(config: Config, secrets: Secrets, now: () => Date): SmsProvider {
  if (config.sms.provider === 'brevo') {
    return brevoProvider({
      url: config.sms.brevoUrl,
      apiKey: secrets.smsApiKey ?? '',
      sender: config.sms.sender,
    });
  }
  return outboxProvider(config.sms.outboxFile, now);
}
