import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test audio, made with the tools CI installs (.ci/run): espeak-ng speaks, sox resamples to what
 * LiveKit's AudioStream hands the recorder (48 kHz mono signed 16-bit) and fixes the length.
 * For tests only: nothing here runs in the recorder.
 */
export function speechPcm(seconds: number, text = SPEECH): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'salon-audio-'));
  try {
    const wav = join(dir, 'speech.wav');
    const raw = join(dir, 'speech.raw');
    execFileSync('espeak-ng', ['-v', 'fr', '-s', '150', '-w', wav, text]);
    // Speech, then a quiet 220 Hz tone under it all, trimmed or padded to exactly `seconds`.
    execFileSync('sox', [
      '-m',
      wav,
      '|sox -n -r 22050 -c 1 -p synth 600 sine 220 vol 0.05',
      '-r',
      '48000',
      '-c',
      '1',
      '-b',
      '16',
      '-e',
      'signed-integer',
      '-t',
      'raw',
      raw,
      'trim',
      '0',
      String(seconds),
    ]);
    const bytes = readFileSync(raw);
    return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2).slice();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A 48 kHz sine wave, for tests that need audio but not speech. */
export function tonePcm(seconds: number, hz = 440, amplitude = 8000): Int16Array {
  const samples = Math.round(seconds * 48_000);
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++)
    pcm[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / 48_000));
  return pcm;
}

const SPEECH =
  'Bonjour à toutes et à tous, bienvenue dans ce salon consacré au vélo en ville. ' +
  'Nous allons parler des pistes cyclables, de la sécurité et des trajets du quotidien. ' +
  'Chacun pourra prendre la parole à son tour.';

/** Runs a command and returns its exit code and output, without throwing on a non-zero exit. */
export function run(command: string, args: string[]) {
  try {
    const stdout = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
