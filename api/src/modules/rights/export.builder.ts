import type { Db } from '@salon/db';
import type { DataMap } from '@salon/policies';
import { loadNotice, retentionText } from '@salon/policies/render';
import { Zip, ZipDeflate } from 'fflate';
import { type Area, areas } from './export.areas';

const PAGE = 1000;
const encoder = new TextEncoder();

type Sink = (chunk: Uint8Array) => Promise<void>;

/**
 * Writes the whole export as a ZIP into `sink`, area by area and page by page: memory stays flat
 * whatever the size of the account. Other people appear by @username only. The README states each
 * file's retention from `map` (the data map), with `variables`, the deployment's periods the
 * retention texts name (see api/src/policies.ts).
 */
export async function writeExportZip(
  db: Db,
  userId: string,
  now: Date,
  sink: Sink,
  { map, variables }: { map: DataMap; variables: Record<string, string> },
) {
  let queue = Promise.resolve();
  let failure: unknown;
  const zip = new Zip((error, data) => {
    if (error) failure = error;
    else queue = queue.then(() => sink(data));
  });
  const entry = (name: string) => {
    const file = new ZipDeflate(name, { level: 6 });
    zip.add(file);
    return file;
  };
  const list = areas(db, userId);
  for (const area of list) {
    const file = entry(area.file);
    file.push(encoder.encode('[\n'));
    for (let offset = 0, first = true; ; offset += PAGE) {
      const rows = await area.rows(offset, PAGE);
      for (const row of rows) {
        file.push(encoder.encode(`${first ? '' : ',\n'}${JSON.stringify(row)}`));
        first = false;
      }
      await queue; // let the sink drain before reading the next page
      if (failure) throw failure;
      if (rows.length < PAGE) break;
    }
    file.push(encoder.encode('\n]\n'), true);
  }
  const readme = entry('README.txt');
  readme.push(encoder.encode(readmeText(list, now, map, variables)), true);
  zip.end();
  await queue;
  if (failure) throw failure;
}

function readmeText(list: Area[], now: Date, map: DataMap, variables: Record<string, string>) {
  const notice = loadNotice();
  // The same sentences as the privacy notice and the privacy centre, from the same data map.
  const retention = (tables: string[], lang: 'en' | 'fr') =>
    tables
      .map((t) => {
        const table = map.tables[t];
        const text = table ? retentionText(table, lang, notice, variables) : '—';
        return lang === 'fr' ? `${t} : ${text}` : `${t}: ${text}`;
      })
      .join(' ');
  const en = list.map((a) => `- ${a.file}: ${a.en}\n  Kept: ${retention(a.tables, 'en')}`).join('\n');
  const fr = list
    .map((a) => `- ${a.file} : ${a.fr}\n  Conservation : ${retention(a.tables, 'fr')}`)
    .join('\n');
  return `Salon — your data / vos données (${now.toISOString()})

ENGLISH
This archive holds the personal data Salon keeps about you (GDPR art. 15 and 20), one JSON file
per area. Times are UTC (ISO 8601). Your phone number is not in it: Salon never stored it, only a
keyed hash that is useless without a secret key. Your passkeys' private keys never left your devices.
${en}

FRANÇAIS
Cette archive contient les données personnelles que Salon conserve à votre sujet (RGPD art. 15
et 20), un fichier JSON par domaine. Les heures sont en UTC (ISO 8601). Votre numéro de téléphone
n’y figure pas : Salon ne l’a jamais conservé, seulement une empreinte calculée avec une clé secrète.
Les clés privées de vos clés d’accès n’ont jamais quitté vos appareils.
${fr}
`;
}
