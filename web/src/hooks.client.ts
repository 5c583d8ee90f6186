import { registerClientLocaleStrategy } from '$lib/i18n/client';

// Runs before the first component renders, so every message uses the server's locale.
registerClientLocaleStrategy();
