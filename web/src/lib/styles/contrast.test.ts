import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * WCAG 2.2 AA contrast for every text/background and UI/background pair the app uses.
 * When a component combines two colour tokens in a new way, add the pair here.
 */
const BODY_TEXT = 4.5; // 1.4.3 Contrast (Minimum), normal-size text
const NON_TEXT = 3; // 1.4.11 Non-text Contrast (control borders, focus ring, status marks); also large text

const pairs: { fg: string; bg: string; min: number; use: string }[] = [
  ...['bg', 'surface', 'surface-sunken'].flatMap((bg) => [
    { fg: 'text', bg, min: BODY_TEXT, use: 'body text' },
    { fg: 'text-muted', bg, min: BODY_TEXT, use: 'secondary text (lead, footer, status facts)' },
    { fg: 'focus', bg, min: NON_TEXT, use: 'focus ring' },
  ]),
  { fg: 'accent', bg: 'bg', min: BODY_TEXT, use: 'links' },
  { fg: 'accent', bg: 'surface', min: BODY_TEXT, use: 'links in cards' },
  { fg: 'accent-hover', bg: 'bg', min: BODY_TEXT, use: 'hovered links' },
  { fg: 'on-accent', bg: 'accent', min: BODY_TEXT, use: 'buttons, skip link, current language' },
  { fg: 'on-accent', bg: 'accent-hover', min: BODY_TEXT, use: 'hovered buttons' },
  { fg: 'danger', bg: 'surface', min: BODY_TEXT, use: 'error message' },
  { fg: 'danger', bg: 'bg', min: BODY_TEXT, use: 'field errors, danger buttons on the page' },
  { fg: 'danger', bg: 'surface-sunken', min: BODY_TEXT, use: 'hovered danger buttons' },
  { fg: 'surface', bg: 'danger', min: BODY_TEXT, use: 'the “!” mark of an error' },
  { fg: 'success', bg: 'bg', min: BODY_TEXT, use: '“@name is available”, “saved”' },
  { fg: 'success', bg: 'surface', min: BODY_TEXT, use: 'success text in cards' },
  { fg: 'accent', bg: 'surface-sunken', min: BODY_TEXT, use: 'hovered secondary and quiet buttons' },
  { fg: 'accent-hover', bg: 'surface-sunken', min: BODY_TEXT, use: 'hovered secondary buttons' },
  { fg: 'on-accent', bg: 'accent', min: BODY_TEXT, use: 'chosen interest chips, monograms, step numbers' },
  { fg: 'accent', bg: 'bg', min: NON_TEXT, use: 'button shape' },
  { fg: 'accent', bg: 'surface', min: NON_TEXT, use: 'current language in the switcher' },
  { fg: 'border', bg: 'bg', min: NON_TEXT, use: 'control borders' },
  { fg: 'border', bg: 'surface', min: NON_TEXT, use: 'card and switcher borders' },
  { fg: 'success', bg: 'surface', min: NON_TEXT, use: 'status mark: up' },
  { fg: 'warning', bg: 'surface', min: NON_TEXT, use: 'status mark: degraded' },
  { fg: 'danger', bg: 'surface', min: NON_TEXT, use: 'status mark: unreachable' },
  { fg: 'text-muted', bg: 'surface', min: NON_TEXT, use: 'status mark: checking' },
];

const css = readFileSync(new URL('./tokens.css', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

function colourTokens(block: string): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const [, name, value] of block.matchAll(/--color-([\w-]+)\s*:\s*([^;]+);/g)) {
    if (name && value) tokens.set(name, value.trim());
  }
  return tokens;
}

function rootBlock(source: string): string {
  const match = /:root\s*\{([^}]*)\}/.exec(source);
  if (!match?.[1]) throw new Error('no :root block found in tokens.css');
  return match[1];
}

const darkStart = css.indexOf('@media (prefers-color-scheme: dark)');
const light = colourTokens(rootBlock(css));
const darkOverrides = colourTokens(rootBlock(css.slice(darkStart)));
const themes = { light, dark: new Map([...light, ...darkOverrides]) };

function relativeLuminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) =>
    c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return ((lighter ?? 0) + 0.05) / ((darker ?? 0) + 0.05);
}

describe('colour tokens', () => {
  it('are parsed from both themes', () => {
    expect(darkStart).toBeGreaterThan(0);
    expect(light.size).toBeGreaterThan(10);
  });

  it('are #rrggbb values, so they can be checked', () => {
    for (const [name, value] of [...light, ...darkOverrides]) {
      expect(value, `--color-${name}`).toMatch(/^#[0-9a-f]{6}$/i);
    }
  });

  it('are all redefined for the dark theme', () => {
    expect([...darkOverrides.keys()].sort()).toEqual([...light.keys()].sort());
  });

  it('match the reference ratios (sanity check of the formula)', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});

describe.each(Object.entries(themes))('%s theme contrast', (_theme, tokens) => {
  it.each(pairs)('--color-$fg on --color-$bg ≥ $min ($use)', ({ fg, bg, min }) => {
    const foreground = tokens.get(fg);
    const background = tokens.get(bg);
    expect(foreground, `--color-${fg} is defined`).toBeDefined();
    expect(background, `--color-${bg} is defined`).toBeDefined();
    expect(contrastRatio(foreground ?? '', background ?? '')).toBeGreaterThanOrEqual(min);
  });
});
