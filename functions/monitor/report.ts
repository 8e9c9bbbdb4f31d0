/**
 * The monitor as people read it: an HTML report for the council (one self-contained file), the
 * same report as a fragment for the workspace's monitor page, a CSV per block, and the
 * headline figures for the terminal. Here, beneath the workspace and the operator's tools,
 * so that the page, the monthly report on AWS and `npm run monitor` show the same thing.
 *
 * Every chart reads without colour: the month's bars are solid, the year's hatched, each bar
 * has its number written beside it, and a table with the same figures stands next to it. The
 * fragment has no style attributes (the workspace's CSP): only classes, which MONITOR_CSS styles.
 */
import { HIDDEN, SUPPRESSED, type MonitorBlockId, type MonitorFigures, type MonitorRow, type MonitorTable, type MonitorValue } from '@vroegsignaal/domain';

const BLOCK_TITLES: Record<MonitorBlockId, { nl: string; en: string; about: string }> = {
  intake: { nl: 'Instroom', en: 'Intake', about: 'Wat de partners meldden en wat er met elke melding gebeurde.' },
  matching: { nl: 'Koppeling', en: 'Matching', about: 'Huishoudens met lopende signalen, en hoe vaak signalen van meer partners samenkomen.' },
  escalation: { nl: 'Opschaling', en: 'Escalation', about: 'Welke huishoudens bij welk team gemeld werden, en op welk niveau.' },
  response: { nl: 'Reactie', en: 'Response', about: 'Hoe snel de teams meldingen oppakten. Van de meldingen uit de periode, zoals ze er nu voor staan.' },
  reach: { nl: 'Bereik', en: 'Reach', about: 'Hoeveel gemelde huishoudens de teams echt spraken, en hoe.' },
  results: { nl: 'Resultaten', en: 'Results', about: 'Waarom meldingen niet opgepakt werden, en hoe casussen afgesloten werden.' },
};

const TABLE_TITLES: Record<string, string> = {
  'entries-by-partner': 'Meldingen per partner',
  'entries-by-type': 'Meldingen per soort',
  outcomes: 'Uitkomst van elke melding',
  'rejected-by-rule': 'Geweigerde meldingen, per regel',
  'signals-per-1000': 'Signalen per 1.000 inwoners per maand',
  households: 'Huishoudens met lopende signalen',
  'households-alerted': 'Huishoudens gemeld, per niveau (eerste melding op dat niveau)',
  'alerts-by-team': 'Meldingen per team en niveau',
  forwards: 'Doorgestuurd naar een ander team',
  capacity: 'Capaciteit per team: huishoudens gemeld tegen de capaciteit per jaar',
  response: 'Reactie op meldingen',
  reached: 'Bereikte huishoudens',
  'attempts-by-channel': 'Contactpogingen per bereikt huishouden, per kanaal',
  'not-taken-by-reason': 'Niet opgepakt, per reden',
  'closed-by-result': 'Afgesloten, per resultaat en toelichting',
};

const CODE_LABELS: Record<string, string> = {
  accepted: 'aangenomen',
  duplicate: 'dubbel',
  repeat: 'herhaling',
  'below-threshold': 'onder de drempel',
  withdrawn: 'ingetrokken',
  rejected: 'geweigerd',
  RentArrearsReported: 'huurachterstand',
  NuisanceReported: 'overlast',
  EvictionProceedingUpdated: 'ontruimingsprocedure',
  CareSignalReported: 'zorgsignaal',
  SignalWithdrawn: 'intrekking door de partner',
  source: 'onbekende afzender',
  'unregistered-partner': 'partner niet geregistreerd',
  account: 'verkeerd account',
  size: 'te groot',
  contract: 'niet volgens het contract',
  'observed-at': 'datum buiten bereik',
  municipality: 'andere gemeente',
  'postcode-area': 'postcodegebied niet van de gemeente',
  'partner-quota': 'te veel signalen van één partner',
  signal: 'signaal',
  case: 'casus',
  'eviction-threat': 'dreigende ontruiming',
  urgent: 'urgent',
  signals: 'signalen',
  live: 'huishoudens met lopende signalen',
  'two-or-more-partners': 'met signalen van 2 of meer partners',
  'alerted-before': 'al eerder gemeld in de 6 maanden ervoor',
  forwarded: 'doorgestuurd',
  'answered-in-time': 'opgepakt of afgewezen binnen de termijn',
  'days-to-pick-up': 'dagen van melding tot oppakken',
  'overdue-now': 'nu over de termijn (oudste: dagen over de termijn)',
  escalated: 'opgeschaald naar de coördinator',
  reached: 'bereikt, van de gemelde huishoudens',
  'days-to-reach': 'dagen van melding tot eerste gesprek',
  letter: 'brief',
  card: 'kaartje',
  phone: 'telefoon',
  sms: 'sms',
  email: 'e-mail',
  'home-visit': 'huisbezoek',
  appointment: 'afspraak',
  administrative: 'administratief',
  other: 'anders',
  unjustified: 'geen actie nodig',
  'already-in-debt-help': 'al in schuldhulp',
  'other-trajectory': 'ander traject',
  'not-resident': 'woont er niet',
  deceased: 'overleden',
  resolved: 'opgelost',
  referred: 'doorverwezen',
  'no-contact': 'geen contact',
  declined: 'hulp geweigerd',
  'quick-fix': 'snel opgelost',
  'paid-or-arrangement': 'betaald of regeling',
  'self-managing': 'redt het zelf',
  'referred-financial': 'naar financiële hulp',
  'referred-non-financial': 'naar andere hulp',
  'referred-without-resident': 'zonder bewoner doorverwezen',
  'never-reached': 'nooit bereikt',
  'no-response-after-contact': 'geen reactie na contact',
  none: 'zonder toelichting',
  unknown: 'onbekend',
};

const MONTH_NAMES = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** `november 2026`. */
export function monthInDutch(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const dutchNumber = (n: number, decimals = 0): string => n.toLocaleString('nl-NL', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
const countText = (n: number | string): string => (typeof n === 'number' ? dutchNumber(n) : n);

/** The row's name: a code's Dutch label, the policy's team or partner name, `team · level`. */
export function rowLabel(row: MonitorRow): string {
  const parts = row.key.split('/');
  const named = parts.map((part, i) => (i === 0 && row.label !== undefined ? row.label : (CODE_LABELS[part] ?? part)));
  return named.join(' · ');
}

/** The percentage of a share, when both its numbers are shown. */
function percentOf(numerator: number | string, denominator: number | string): number | undefined {
  return typeof numerator === 'number' && typeof denominator === 'number' && denominator > 0 ? (numerator / denominator) * 100 : undefined;
}

/** A value in words and numbers, as the tables show it. */
export function valueText(value: MonitorValue): string {
  switch (value.kind) {
    case 'count':
      return countText(value.n);
    case 'share': {
      const percent = percentOf(value.numerator, value.denominator);
      return `${countText(value.numerator)} van ${countText(value.denominator)}${percent === undefined ? '' : ` (${dutchNumber(percent)}%)`}`;
    }
    case 'ratio': {
      const ratio = typeof value.numerator === 'number' && typeof value.denominator === 'number' && value.denominator > 0 ? value.numerator / value.denominator : undefined;
      return `${ratio === undefined ? '–' : dutchNumber(ratio, 1)} (pogingen: ${countText(value.numerator)}, huishoudens: ${countText(value.denominator)})`;
    }
    case 'days':
      return value.median === null ? `– (n = ${countText(value.n)})` : `mediaan ${dutchNumber(value.median, 1)}, 90% binnen ${dutchNumber(value.p90 ?? 0, 1)} (n = ${countText(value.n)})`;
    case 'oldest':
      return value.days === null ? countText(value.n) : `${countText(value.n)} (oudste ${dutchNumber(value.days, 1)})`;
    case 'rate':
      return value.perThousand === null
        ? `${countText(value.signals)} signalen${value.residents === null ? ' (geen inwonertal in het beleid)' : ''}`
        : `${dutchNumber(value.perThousand, 2)} (${countText(value.signals)} signalen, ${dutchNumber(value.residents ?? 0)} inwoners)`;
    case 'capacity': {
      const percent = value.capacity === null ? undefined : percentOf(value.used, value.capacity);
      return value.capacity === null ? `${countText(value.used)} (geen capaciteit in het beleid)` : `${countText(value.used)} van ${dutchNumber(value.capacity)}${percent === undefined ? '' : ` (${dutchNumber(percent)}%)`}`;
    }
  }
}

/** What a bar shows of a value, and the unit; undefined for a value hidden or without a bar. */
function barOf(value: MonitorValue): { amount: number; text: string } | undefined {
  switch (value.kind) {
    case 'count':
      return typeof value.n === 'number' ? { amount: value.n, text: dutchNumber(value.n) } : undefined;
    case 'share': {
      const percent = percentOf(value.numerator, value.denominator);
      return percent === undefined ? undefined : { amount: percent, text: `${dutchNumber(percent)}%` };
    }
    case 'capacity': {
      const percent = value.capacity === null ? undefined : percentOf(value.used, value.capacity);
      return percent === undefined ? undefined : { amount: percent, text: `${dutchNumber(percent)}%` };
    }
    case 'ratio':
      return typeof value.numerator === 'number' && typeof value.denominator === 'number' && value.denominator > 0
        ? { amount: value.numerator / value.denominator, text: dutchNumber(value.numerator / value.denominator, 1) }
        : undefined;
    default:
      return undefined;
  }
}

/** Tables of one kind of figure get a chart; a table mixing days, counts and shares is read as a table. */
function chartable(table: MonitorTable): boolean {
  const kinds = new Set(table.rows.flatMap((row) => [row.month.kind, row.yearToDate.kind]));
  return table.rows.length > 0 && kinds.size === 1 && ['count', 'share', 'capacity', 'ratio'].includes([...kinds][0]!);
}

const LABEL_WIDTH = 230;
const BAR_AREA = 300;
const ROW_HEIGHT = 44;
const BAR_HEIGHT = 16;

function chartSvg(table: MonitorTable, title: string): string {
  const kind = table.rows[0]!.month.kind;
  const percent = kind === 'share' || kind === 'capacity';
  const amounts = table.rows.flatMap((row) => [barOf(row.month)?.amount ?? 0, barOf(row.yearToDate)?.amount ?? 0]);
  const max = percent ? 100 : Math.max(1, ...amounts);
  const height = table.rows.length * ROW_HEIGHT + 8;
  const width = LABEL_WIDTH + BAR_AREA + 70;
  const bar = (value: MonitorValue, y: number, period: 'month' | 'year'): string => {
    const shown = barOf(value);
    const length = shown === undefined ? 0 : Math.max(shown.amount > 0 ? 2 : 0, Math.round((Math.min(shown.amount, max) / max) * BAR_AREA));
    const text = shown?.text ?? valueText(value);
    return (
      `<rect class="monitor-bar monitor-bar-${period}" x="${LABEL_WIDTH}" y="${y}" width="${length}" height="${BAR_HEIGHT}"/>` +
      `<text class="monitor-bar-number" x="${LABEL_WIDTH + length + 6}" y="${y + BAR_HEIGHT - 3}">${escapeHtml(text)}</text>`
    );
  };
  const rows = table.rows.map((row, i) => {
    const y = i * ROW_HEIGHT + 4;
    return (
      `<text class="monitor-bar-label" x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT + 4}">${escapeHtml(shorten(rowLabel(row)))}</text>` +
      bar(row.month, y, 'month') +
      bar(row.yearToDate, y + BAR_HEIGHT + 2, 'year')
    );
  });
  return `<svg class="monitor-chart-svg" role="img" aria-label="${escapeHtml(`${title}: staafdiagram; de cijfers staan ook in de tabel ernaast`)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${rows.join('')}</svg>`;
}

const CHART_LABEL_CHARS = 30;

/** The row's name within the chart's label width, its first part shortened: `Schuldhulpverlening Ut… · casus` keeps what tells two rows apart. */
function shorten(label: string): string {
  if (label.length <= CHART_LABEL_CHARS) return label;
  const [first, ...rest] = label.split(' · ');
  const tail = rest.length > 0 ? ` · ${rest.join(' · ')}` : '';
  const room = Math.max(4, CHART_LABEL_CHARS - tail.length - 1);
  return `${first!.slice(0, room).trimEnd()}…${tail}`;
}

/** The hatch of the year's bars: defined once a report, so a bar reads as the year's without colour. */
const PATTERNS =
  '<svg class="monitor-patterns" aria-hidden="true" width="0" height="0" focusable="false"><defs>' +
  '<pattern id="monitor-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect class="monitor-hatch-ground" width="6" height="6"/><rect class="monitor-hatch-line" width="2.5" height="6"/></pattern>' +
  '</defs></svg>';

const LEGEND =
  '<p class="monitor-legend"><svg aria-hidden="true" width="28" height="14" focusable="false"><rect class="monitor-bar monitor-bar-month" width="28" height="14"/></svg> effen: de maand · ' +
  '<svg aria-hidden="true" width="28" height="14" focusable="false"><rect class="monitor-bar monitor-bar-year" width="28" height="14"/></svg> gestreept: het jaar tot en met de maand</p>';

function tableHtml(table: MonitorTable, month: string): string {
  const title = TABLE_TITLES[table.id] ?? table.id;
  const body = table.rows.map((row) => `<tr><th scope="row">${escapeHtml(rowLabel(row))}</th><td>${escapeHtml(valueText(row.month))}</td><td>${escapeHtml(valueText(row.yearToDate))}</td></tr>`).join('');
  const empty = table.rows.length === 0 ? '<tr><td colspan="3">Niets in deze periode.</td></tr>' : '';
  const chart = chartable(table) ? `<figure class="monitor-chart">${chartSvg(table, title)}</figure>` : '';
  return (
    `<div class="monitor-pair">${chart}` +
    `<div class="monitor-table" role="region" aria-label="${escapeHtml(title)}" tabindex="0"><table><caption>${escapeHtml(title)}</caption>` +
    `<thead><tr><th scope="col">Wat</th><th scope="col">${escapeHtml(monthInDutch(month))}</th><th scope="col">Jaar tot en met ${escapeHtml(monthInDutch(month))}</th></tr></thead>` +
    `<tbody>${body}${empty}</tbody></table></div></div>`
  );
}

/** The value of one row of one table, for the headline and the tests. */
export function monitorValue(figures: MonitorFigures, block: MonitorBlockId, table: string, key: string): MonitorRow | undefined {
  return figures.blocks.find((b) => b.id === block)?.tables.find((t) => t.id === table)?.rows.find((r) => r.key === key);
}

/** The figures a council member asks for first, as lines of text. */
export function monitorHeadline(figures: MonitorFigures): string[] {
  const line = (label: string, block: MonitorBlockId, table: string, key: string): string => {
    const row = monitorValue(figures, block, table, key);
    return row === undefined ? `${label}: –` : `${label}: ${valueText(row.month)} (jaar: ${valueText(row.yearToDate)})`;
  };
  const entries = figures.blocks[0]!.tables.find((t) => t.id === 'outcomes')!.rows;
  const total = (column: 'month' | 'yearToDate'): string => {
    const counts = entries.map((row) => row[column]).map((value) => (value.kind === 'count' ? value.n : 0));
    return counts.every((n) => typeof n === 'number') ? dutchNumber(counts.reduce<number>((a, b) => a + (b as number), 0)) : 'zie de tabel';
  };
  return [
    `Monitor vroegsignalering ${figures.municipalityName} (${figures.municipalityCode}), ${monthInDutch(figures.month)}${figures.published ? ', voor publicatie (<5: minder dan 5 huishoudens)' : ''}`,
    `Meldingen van partners: ${total('month')} (jaar: ${total('yearToDate')})`,
    line('Signalen per 1.000 inwoners per maand', 'intake', 'signals-per-1000', 'signals'),
    line('Huishoudens met lopende signalen', 'matching', 'households', 'live'),
    line('Opgepakt of afgewezen binnen de termijn', 'response', 'response', 'answered-in-time'),
    line('Dagen tot oppakken', 'response', 'response', 'days-to-pick-up'),
    line('Bereikt', 'reach', 'reached', 'reached'),
  ];
}

/** The report as a fragment for a page that has MONITOR_CSS (the workspace's monitor page): classes only. */
export function monitorReportFragment(figures: MonitorFigures): string {
  const blocks = figures.blocks.map((block) => {
    const title = BLOCK_TITLES[block.id];
    return `<section class="monitor-block" aria-labelledby="monitor-${block.id}"><h2 id="monitor-${block.id}">${title.nl} <span class="monitor-en" lang="en">(${title.en})</span></h2><p>${title.about}</p>${block.tables.map((table) => tableHtml(table, figures.month)).join('')}</section>`;
  });
  const headline = monitorHeadline(figures).slice(1);
  return (
    `<div class="monitor">${PATTERNS}` +
    `<section class="monitor-headline" aria-labelledby="monitor-headline"><h2 id="monitor-headline">In het kort <span class="monitor-en" lang="en">(Headline)</span></h2><ul>${headline.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></section>` +
    `<div class="monitor-about"><p>Alleen aantallen, aandelen en doorlooptijden: nooit een adres, een naam of een huishouden. Een periode is een kalendermaand, en het jaar tot en met die maand (Nederlandse tijd). "Gemeld" is de eerste melding op dat niveau in de periode. Reactie, bereik en resultaten gaan over de meldingen uit de periode, zoals ze er op het moment van maken voor staan.</p>` +
    `${figures.published ? `<p><strong>Voor publicatie:</strong> "${escapeHtml(SUPPRESSED)}" staat voor minder dan 5 huishoudens; "${HIDDEN}" is weggelaten zodat een "${escapeHtml(SUPPRESSED)}" niet uit het totaal terug te rekenen is.</p>` : '<p>Niet voor publicatie: ook aantallen onder de 5 staan erin.</p>'}</div>` +
    `${LEGEND}${blocks.join('')}</div>`
  );
}

/** The report's styles, for the file and for the page that shows the fragment. */
export const MONITOR_CSS = `
.monitor { font-family: system-ui, sans-serif; color: #1a1a1a; line-height: 1.5; }
.monitor h2 { font-size: 1.4rem; margin: 2rem 0 0.5rem; border-bottom: 2px solid #1a1a1a; }
.monitor-en { font-weight: normal; color: #4a4a4a; font-size: 0.9em; }
.monitor-pair { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; margin: 1rem 0 1.5rem; }
.monitor-pair > * { flex: 1 1 26rem; min-width: 0; }
.monitor-chart { margin: 0; }
.monitor-chart-svg { max-width: 100%; height: auto; }
.monitor-bar-month { fill: #154273; }
.monitor-bar-year { fill: url(#monitor-hatch); stroke: #154273; stroke-width: 1; }
.monitor-hatch-ground { fill: #ffffff; }
.monitor-hatch-line { fill: #154273; }
.monitor-bar-number { font-size: 13px; fill: #1a1a1a; }
.monitor-bar-label { font-size: 13px; fill: #1a1a1a; text-anchor: end; }
.monitor-patterns { position: absolute; }
.monitor-table { max-width: 100%; overflow-x: auto; }
.monitor table { border-collapse: collapse; min-width: 20rem; }
.monitor caption { text-align: left; font-weight: bold; padding-bottom: 0.25rem; }
.monitor th, .monitor td { text-align: left; padding: 0.25rem 0.75rem 0.25rem 0; border-bottom: 1px solid #8a8a8a; vertical-align: top; }
.monitor td { font-variant-numeric: tabular-nums; }
.monitor-legend svg { vertical-align: middle; }
.monitor-about { max-width: 48rem; }
`;

/** The whole report as one file: styles inline, no script, nothing fetched. */
export function monitorReportHtml(figures: MonitorFigures): string {
  const title = `Monitor vroegsignalering ${figures.municipalityName}, ${monthInDutch(figures.month)}`;
  return (
    `<!doctype html>\n<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${MONITOR_CSS}body { margin: 2rem auto; max-width: 72rem; padding: 0 1rem; font-family: system-ui, sans-serif; color: #1a1a1a; }</style></head>` +
    `<body><main><h1>${escapeHtml(title)}</h1><p>Gemeente ${escapeHtml(figures.municipalityName)} (${escapeHtml(figures.municipalityCode)}). Gemaakt op ${escapeHtml(new Date(figures.nowMs).toLocaleString('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'long', timeStyle: 'short' }))}.</p>` +
    `${monitorReportFragment(figures)}</main></body></html>\n`
  );
}

const CSV_COLUMNS = ['tabel', 'sleutel', 'naam', 'periode', 'aantal', 'teller', 'noemer', 'procent', 'mediaan_dagen', 'p90_dagen', 'oudste_dagen', 'per_1000_inwoners', 'capaciteit'] as const;

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(Math.round(value * 100) / 100) : value;
  return /[",;\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvFields(value: MonitorValue): Partial<Record<(typeof CSV_COLUMNS)[number], string | number | null>> {
  switch (value.kind) {
    case 'count':
      return { aantal: value.n };
    case 'share':
    case 'ratio':
      return { teller: value.numerator, noemer: value.denominator, procent: value.kind === 'share' ? (percentOf(value.numerator, value.denominator) ?? null) : null };
    case 'days':
      return { aantal: value.n, mediaan_dagen: value.median, p90_dagen: value.p90 };
    case 'oldest':
      return { aantal: value.n, oudste_dagen: value.days };
    case 'rate':
      return { aantal: value.signals, per_1000_inwoners: value.perThousand };
    case 'capacity':
      return { aantal: value.used, capaciteit: value.capacity };
  }
}

/** A CSV per block (`;`-separated, as Dutch Excel opens it): one line per measure and period. */
export function monitorCsv(figures: MonitorFigures): Record<MonitorBlockId, string> {
  const files = {} as Record<MonitorBlockId, string>;
  for (const block of figures.blocks) {
    const lines = [CSV_COLUMNS.join(';')];
    for (const table of block.tables) {
      for (const row of table.rows) {
        for (const [period, value] of [
          [figures.month, row.month],
          [`${figures.month.slice(0, 4)}-01..${figures.month}`, row.yearToDate],
        ] as const) {
          const fields = { tabel: table.id, sleutel: row.key, naam: rowLabel(row), periode: period, ...csvFields(value) };
          lines.push(CSV_COLUMNS.map((column) => csvCell(fields[column as keyof typeof fields])).join(';'));
        }
      }
    }
    files[block.id] = `${lines.join('\n')}\n`;
  }
  return files;
}
