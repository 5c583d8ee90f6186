/**
 * Countries whose mobile numbers can join: the API's default allow-list (EU and EEA members,
 * Switzerland, the United Kingdom and Monaco; OTP_ALLOWED_COUNTRIES in api/src/env.ts), with the
 * calling code shown next to each name. The API decides; this only fills the select.
 */
export const CALLING_CODES = {
  AT: '43',
  BE: '32',
  BG: '359',
  CH: '41',
  CY: '357',
  CZ: '420',
  DE: '49',
  DK: '45',
  EE: '372',
  ES: '34',
  FI: '358',
  FR: '33',
  GB: '44',
  GR: '30',
  HR: '385',
  HU: '36',
  IE: '353',
  IS: '354',
  IT: '39',
  LI: '423',
  LT: '370',
  LU: '352',
  LV: '371',
  MC: '377',
  MT: '356',
  NL: '31',
  NO: '47',
  PL: '48',
  PT: '351',
  RO: '40',
  SE: '46',
  SI: '386',
  SK: '421',
} as const;

export type CountryCode = keyof typeof CALLING_CODES;

export const DEFAULT_COUNTRY: CountryCode = 'FR';

export interface CountryOption {
  code: CountryCode;
  label: string;
}

export function isCountryCode(value: string): value is CountryCode {
  return Object.hasOwn(CALLING_CODES, value);
}

/** The select's options, named in the page's language and sorted as that language sorts. */
export function countryOptions(locale: string): CountryOption[] {
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  const collator = new Intl.Collator(locale);
  return (Object.keys(CALLING_CODES) as CountryCode[])
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => collator.compare(a.name, b.name))
    .map(({ code, name }) => ({ code, label: `${name} (+${CALLING_CODES[code]})` }));
}

/**
 * The same number however it was typed ("06 12 34 56 78", "06.12.34.56.78"), so the wizard
 * knows whether the person changed it after going back. Not a validation: the API does that.
 */
export function phoneKey(country: string, phone: string): string {
  return `${country}:${phone.replace(/[^\d+]/g, '')}`;
}
