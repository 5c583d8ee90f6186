import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
} from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

/**
 * Sound in the browser tests: each speaker is a Chromium of its own whose fake microphone plays a
 * WAV file made with sox (a tone, or silence as the control), and listeners measure what arrives
 * with WebRTC's own statistics (`totalAudioEnergy` of the inbound track of a speaker's audio
 * element), i.e. the decoded sound the page plays, not what was sent.
 */
const dir = join(tmpdir(), 'salon-e2e-audio');

/**
 * `speech`: espeak-ng speaking, 48 kHz mono. Not a steady tone: the browser's noise suppression
 * learns a stationary sound and fades it out within seconds, as it should for a real room.
 * `silence`: ten seconds of digital silence, the control.
 */
export function microphoneFile(kind: 'speech' | 'silence'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${kind}.wav`);
  if (existsSync(file)) return file;
  if (kind === 'silence') {
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', file, 'trim', '0', '10']);
    return file;
  }
  const raw = join(dir, 'espeak.wav');
  execFileSync('espeak-ng', ['-v', 'fr', '-s', '160', '-w', raw, SPEECH]);
  execFileSync('sox', [raw, '-r', '48000', '-c', '1', '-b', '16', file, 'norm', '-3']);
  return file;
}

const SPEECH =
  'Bonjour à toutes et à tous, bienvenue dans ce salon. On parle de vélo en ville, de pistes ' +
  'cyclables et de trajets du quotidien, et chacun pourra prendre la parole à son tour.';

/** A browser whose every microphone plays `file` (Chromium takes it per process). */
export function browserWithMicrophone(file: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${file}`],
  });
}

/** Keeps every RTCPeerConnection the page makes, so the test can read their statistics. */
export async function recordPeerConnections(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const kept: RTCPeerConnection[] = [];
    Object.assign(window, { salonPeerConnections: kept });
    window.RTCPeerConnection = class extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        kept.push(this);
      }
    };
  });
}

/** The total audio energy received so far from `participantId` (a member id), or null if none. */
export function receivedEnergy(page: Page, participantId: string): Promise<number | null> {
  return page.evaluate(async (id) => {
    const element = document.querySelector<HTMLAudioElement>(`audio[data-participant="${id}"]`);
    const track = (element?.srcObject as MediaStream | null)?.getAudioTracks()[0];
    if (!track) return null;
    const peers = (window as unknown as { salonPeerConnections: RTCPeerConnection[] }).salonPeerConnections;
    for (const peer of peers) {
      const reports: Record<string, unknown>[] = [];
      (await peer.getStats()).forEach((report) => {
        reports.push(report);
      });
      for (const report of reports) {
        if (report.type === 'inbound-rtp' && report.kind === 'audio' && report.trackIdentifier === track.id)
          return (report.totalAudioEnergy as number | undefined) ?? 0;
      }
    }
    return 0;
  }, participantId);
}

/** How much audio energy arrived from `participantId` over the next `ms`. */
export async function energyOver(page: Page, participantId: string, ms = 1500): Promise<number> {
  const before = (await receivedEnergy(page, participantId)) ?? 0;
  await page.waitForTimeout(ms);
  return ((await receivedEnergy(page, participantId)) ?? 0) - before;
}

/** Whether the app under test has sound (it runs the pinned LiveKit server when it finds it). */
export async function audioConfigured(request: APIRequestContext): Promise<boolean> {
  const meta = (await (await request.get('/v1/meta')).json()) as { audio: { configured: boolean } };
  return meta.audio.configured;
}
