/**
 * The API labels sessions coarsely, in English ("Firefox on Android", "Unknown device"; see
 * deviceLabel in api/src/modules/auth/sessions.ts). Browser and system names are proper nouns;
 * the words around them are ours to translate, so the label is taken apart here.
 */
export type DeviceLabel =
  | { kind: 'browser-on-os'; browser: string; os: string }
  | { kind: 'unknown' }
  | { kind: 'as-is'; text: string };

export function parseDeviceLabel(label: string): DeviceLabel {
  if (label === 'Unknown device' || label.trim() === '') return { kind: 'unknown' };
  const separator = label.lastIndexOf(' on ');
  if (separator > 0) {
    return { kind: 'browser-on-os', browser: label.slice(0, separator), os: label.slice(separator + 4) };
  }
  return { kind: 'as-is', text: label };
}
