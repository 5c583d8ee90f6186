// Compiles the messages without Vite, for svelte-check (see i18n.config.js).
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../i18n.config.js';

await compile(paraglideOptions);
