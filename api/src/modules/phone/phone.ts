import { type CountryCode, ParseError, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import type { Crypto } from '../../crypto';
import type { Secrets } from '../../env';
import { AppError } from '../../http/errors';

export const phoneErrors = {
  invalid: () => new AppError(400, 'phone.invalid', 'This is not a valid phone number.'),
  notMobile: () => new AppError(400, 'phone.not_mobile', 'Use a mobile number: the code is sent by SMS.'),
  unsupportedCountry: (country: string | undefined) =>
    new AppError(400, 'phone.unsupported_country', 'Salon is not offered in this country yet.', [
      { country },
    ]),
};

export interface NormalizedPhone {
  e164: string;
  country: string;
}

/** Parses what a person typed into E.164, accepting mobile numbers from allowed countries only. */
export function normalizePhone(input: string, defaultCountry: string, allowed: string[]): NormalizedPhone {
  let parsed: ReturnType<typeof parsePhoneNumberWithError>;
  try {
    parsed = parsePhoneNumberWithError(input, { defaultCountry: defaultCountry as CountryCode });
  } catch (error) {
    if (error instanceof ParseError) throw phoneErrors.invalid();
    throw error;
  }
  if (!parsed.isValid()) throw phoneErrors.invalid();
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') throw phoneErrors.notMobile();
  if (!parsed.country || !allowed.includes(parsed.country))
    throw phoneErrors.unsupportedCountry(parsed.country);
  return { e164: parsed.number, country: parsed.country };
}

/** The only form in which a phone number is kept (DESIGN §1.1). */
export function hashPhone(e164: string, crypto: Crypto, secrets: Secrets) {
  return {
    phoneHash: crypto.keyedHash(e164, secrets.phoneHashKey),
    phoneKeyVersion: secrets.phoneHashKeyVersion,
  };
}
