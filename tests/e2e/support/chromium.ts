/**
 * Debian's Chromium as the browser tests launch it. Rooms connect to the real LiveKit server on
 * loopback: fake microphones (a tone by default, or a WAV file per browser, see audio.ts), no
 * permission prompt, sound allowed to play without a gesture, and real local addresses in ICE
 * candidates (Chromium hides them behind mDNS names, which LiveKit cannot reach).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];
