import { describe, expect, it } from 'vitest';
import { parseDeviceLabel } from './devices';

describe('parseDeviceLabel', () => {
  it('separates browser and system so the words between can be translated', () => {
    expect(parseDeviceLabel('Firefox on Android')).toEqual({
      kind: 'browser-on-os',
      browser: 'Firefox',
      os: 'Android',
    });
    expect(parseDeviceLabel('Microsoft Edge on Windows')).toEqual({
      kind: 'browser-on-os',
      browser: 'Microsoft Edge',
      os: 'Windows',
    });
  });

  it('recognises the API’s unknown device', () => {
    expect(parseDeviceLabel('Unknown device')).toEqual({ kind: 'unknown' });
    expect(parseDeviceLabel('')).toEqual({ kind: 'unknown' });
  });

  it('keeps a lone browser or system name as it is', () => {
    expect(parseDeviceLabel('Chrome')).toEqual({ kind: 'as-is', text: 'Chrome' });
    expect(parseDeviceLabel('Linux')).toEqual({ kind: 'as-is', text: 'Linux' });
  });
});
