/**
 * Every word the workspace shows, in Dutch (the users' working language, with the words of the
 * field and the DDAS standard) and English. The code speaks English; what a page shows comes
 * from here, so an English page never shows a Dutch label nor the other way round: both
 * catalogues have the same shape, checked by the type.
 */
import type { CareDomain, CaseDetail, CaseResult, ContactChannel, Level, NotTakenReason, NuisanceCategory, NuisanceSeverity, PartOfDay, ProceedingStage, ReminderReason } from '@vroegsignaal/events';
import type { MailStatus, NoticeKind } from '@vroegsignaal/domain';
import type { Locale } from './deps.ts';
import { formatList, formatWaited as formatDuration, LEVEL_WORDS } from '@vroegsignaal/domain';

export const LOCALES: readonly Locale[] = ['nl', 'en'];
export const DEFAULT_LOCALE: Locale = 'nl';

/** The statuses an alert shows: open (raised, picked up, reached) or how it ended. */
export type ShownStatus = 'raised' | 'picked-up' | 'reached' | 'not-taken' | 'forwarded' | 'closed';

/** Codes of why a team forwards an alert: the contract takes a kebab-case code, never free text. */
export const FORWARD_REASONS = ['other-district', 'better-fit', 'known-there', 'other'] as const;
export type ForwardReason = (typeof FORWARD_REASONS)[number];

/** What a member did, as the page after the action names it (the `gedaan` query code). */
export const DONE_CODES = ['picked-up', 'attempt', 'reached', 'not-taken', 'forwarded', 'closed'] as const;
export type DoneCode = (typeof DONE_CODES)[number];

const nl = {
  appName: 'Vroegsignaal',
  skipLink: 'Naar de inhoud',
  mainNav: 'Hoofdmenu',
  nav: { inbox: 'Meldingen', coordinator: 'Regie', monitor: 'Monitor', access: 'Toegangslog', settings: 'Instellingen', outbox: 'Uitgaande post', logout: 'Uitloggen' },
  switchLanguage: { label: 'English', lang: 'en', title: 'Switch to English' },
  footer: 'Vroegsignalering huurachterstand en dreigende huisuitzetting. Persoonsgegevens alleen voor wie de melding behandelt.',
  me: 'ik',
  noOne: '—',
  levels: LEVEL_WORDS.nl as Record<Level, string>,
  statuses: {
    raised: 'nieuw',
    'picked-up': 'opgepakt',
    reached: 'bereikt',
    'not-taken': 'niet opgepakt',
    forwarded: 'doorgestuurd',
    closed: 'afgesloten',
  } satisfies Record<ShownStatus, string>,
  channels: {
    letter: 'brief',
    card: 'kaartje',
    phone: 'telefoon',
    sms: 'sms/whatsapp',
    email: 'mail',
    'home-visit': 'huisbezoek',
    appointment: 'afspraak op locatie',
    administrative: 'administratief',
    other: 'overig',
  } satisfies Record<ContactChannel, string>,
  partsOfDay: { morning: 'ochtend', afternoon: 'middag', evening: 'avond' } satisfies Record<PartOfDay, string>,
  notTakenReasons: {
    unjustified: 'onterecht signaal',
    repeat: 'herhaalde melding',
    'already-in-debt-help': 'al bekend bij schuldhulpverlening',
    'other-trajectory': 'ander lopend traject',
    'not-resident': 'geen inwoner (meer)',
    deceased: 'overleden',
    other: 'andere reden',
  } satisfies Record<NotTakenReason, string>,
  caseResults: { resolved: 'opgelost', referred: 'doorverwezen', 'no-contact': 'geen contact', declined: 'hulp geweigerd' } satisfies Record<CaseResult, string>,
  caseDetails: {
    'quick-fix': '(budget)advies of quick fix',
    'paid-or-arrangement': 'zelf betaald of betalingsregeling',
    'self-managing': 'regelt het zelf',
    'referred-financial': 'vervolghulp of verwijzing (financieel)',
    'referred-non-financial': 'vervolghulp of verwijzing (niet financieel)',
    referred: 'vervolghulp of verwijzing',
    'referred-without-resident': 'verwijzing zonder tussenkomst inwoner',
    'never-reached': 'geen contact kunnen krijgen',
    'no-response-after-contact': 'geen reactie na eerder contact',
    declined: 'hulp geweigerd',
  } satisfies Record<CaseDetail, string>,
  forwardReasons: {
    'other-district': 'woont in een andere wijk',
    'better-fit': 'past beter bij dat team',
    'known-there': 'al bekend bij dat team',
    other: 'andere reden',
  } satisfies Record<ForwardReason, string>,
  reminderReasons: {
    'verdict-lapses': 'herinnering: het vonnis verloopt binnenkort',
    overdue: 'herinnering: de termijn is verstreken',
    'overdue-escalated': 'gemeld bij de regie: de termijn is ruim verstreken',
  } satisfies Record<ReminderReason, string>,
  stages: {
    summons: 'dagvaarding',
    filed: 'zaak aanhangig',
    verdict: 'vonnis',
    scheduled: 'ontruiming gepland',
    executed: 'ontruimd',
    withdrawn: 'ingetrokken',
  } satisfies Record<ProceedingStage, string>,
  nuisanceCategories: {
    noise: 'geluid',
    threat: 'bedreiging',
    drugs: 'drugs',
    neglect: 'verwaarlozing',
    pollution: 'vervuiling',
    hoarding: 'verzamelwoede',
    other: 'overig',
  } satisfies Record<NuisanceCategory, string>,
  severities: { low: 'laag', medium: 'middel', high: 'hoog' } satisfies Record<NuisanceSeverity, string>,
  careDomains: {
    debt: 'schulden',
    income: 'inkomen',
    mentalHealth: 'psychische gezondheid',
    addiction: 'verslaving',
    youth: 'jeugd',
    domesticViolence: 'huiselijk geweld',
    health: 'gezondheid',
    safety: 'veiligheid',
  } satisfies Record<CareDomain, string>,
  /** Reasons in short (the inbox) and as sentences (the alert page), by reason code. */
  reasons: {
    arrears: { short: (months: number) => `${months} mnd huurachterstand`, sentence: (months: number) => `Er is een huurachterstand van ${months} maand${months === 1 ? '' : 'en'}.` },
    arrearsBelow: { short: 'huurachterstand onder drempel', sentence: 'Er is een huurachterstand, maar onder de drempel van de gemeente.' },
    care: { short: (domains: string) => `zorgsignaal ${domains}`, sentence: (domains: string) => `Een zorgpartner meldt problemen met ${domains}.` },
    careStagnation: { short: 'hulp vastgelopen', sentence: 'De hulp is vastgelopen.' },
    domains: { short: (n: number) => `${n} leefgebieden`, sentence: (n: number) => `Er zijn actuele signalen op ${n} leefgebieden.` },
    partners: { short: (n: number) => `${n} partners`, sentence: (n: number) => `${n} partners melden dit huishouden.` },
    nuisanceHigh: { short: 'ernstige overlast', sentence: 'Er is ernstige overlast gemeld.' },
    proceeding: { short: (stage: string) => stage, sentence: (stage: string) => `Er loopt een ontruimingsprocedure: ${stage}.` },
    scheduledSoon: { short: 'ontruiming binnenkort', sentence: 'De ontruiming is binnen enkele weken gepland.' },
    crisis: { short: 'crisis', sentence: 'Een partner markeert dit als crisis.' },
    minors: { short: 'minderjarigen', sentence: 'Er wonen kinderen onder de 18 in het huishouden.' },
    unknown: (code: string) => code,
  },
  deadline: {
    left: (days: string) => `nog ${days}`,
    today: 'vandaag',
    late: 'te laat',
    lateTimes: (n: number) => `${n}× te laat`,
  },
  errors: {
    forbiddenTitle: 'Geen toegang',
    forbidden: 'U heeft geen rol die deze pagina mag zien. Vraag uw beheerder om u aan het juiste team of de juiste rol toe te voegen.',
    notFoundTitle: 'Niet gevonden',
    notFound: 'Deze pagina of melding bestaat niet, of hoort niet bij uw team.',
    unavailableTitle: 'Even niet beschikbaar',
    unavailable: 'De gegevens kunnen nu niet veilig worden getoond, omdat de inzage niet kon worden vastgelegd. Probeer het over een minuut opnieuw.',
    backHome: 'Naar de startpagina',
  },
  landing: {
    title: 'Startpagina',
    intro: 'Kies waar u wilt werken.',
    inboxOf: (team: string) => `Meldingen van ${team}`,
    coordinatorOf: (municipality: string) => `Regie ${municipality}`,
    accessOf: (municipality: string) => `Toegangslog ${municipality}`,
    monitorOf: (municipality: string) => `Monitor ${municipality}`,
  },
  inbox: {
    title: 'Meldingen',
    heading: (team: string) => `Meldingen van ${team}`,
    caption: 'Open meldingen, meest dringend eerst',
    teamPicker: 'Team',
    teamPickerSubmit: 'Toon team',
    counts: 'Aantallen per status',
    filters: 'Filters',
    level: 'Niveau',
    status: 'Status',
    district: 'Wijk',
    any: 'alle',
    mine: 'Alleen mijn meldingen',
    overdue: 'Alleen te laat',
    apply: 'Filteren',
    clear: 'Filters wissen',
    columns: { alert: 'Melding', level: 'Niveau', reasons: 'Redenen', partners: 'Partners', district: 'Wijk', deadline: 'Termijn', waited: 'Wacht', holder: 'Behandelaar', status: 'Status' },
    none: 'Er zijn geen open meldingen die bij deze filters passen.',
    shown: (from: number, to: number, total: number) => `Melding ${from} tot en met ${to} van ${total}`,
    paging: 'Paginering',
    previous: 'Vorige pagina',
    next: 'Volgende pagina',
    page: (page: number, pages: number) => `Pagina ${page} van ${pages}`,
  },
  alert: {
    title: 'Melding',
    heading: (id: string) => `Melding ${id}`,
    summary: 'Samenvatting',
    level: 'Niveau',
    score: 'Score',
    status: 'Status',
    team: 'Team',
    raisedAt: 'Binnengekomen',
    deadline: 'Reageren vóór',
    waited: 'Wacht',
    holder: 'Behandelaar',
    forwardedFrom: 'Doorgestuurd vanuit melding',
    why: 'Waarom deze melding',
    signals: 'Actuele signalen',
    signalsCaption: 'Actuele signalen, nieuwste eerst',
    signalColumns: { partner: 'Partner', kind: 'Soort', when: 'Wanneer' },
    signalKinds: {
      arrears: (months: number, amount: string) => `Huurachterstand: ${months} mnd, ${amount}`,
      arrangement: 'betalingsregeling afgesproken',
      nuisance: (category: string, severity: string) => `Overlast: ${category} (ernst ${severity})`,
      proceeding: (stage: string, date: string) => `Ontruimingsprocedure: ${stage} (${date})`,
      care: (domains: string) => `Zorgsignaal: ${domains}`,
      crisis: 'crisis',
    },
    noSignals: 'Er zijn geen actuele signalen meer.',
    visitOnly: 'Voor het huisbezoek',
    visitOnlyNote: 'Deze gegevens zijn alleen voor het contact met het huishouden. Uw inzage is vastgelegd.',
    address: 'Adres',
    postcode: 'Postcode',
    houseNumber: 'Huisnummer',
    composition: 'Samenstelling huishouden',
    adults: 'Volwassenen',
    minors: 'Minderjarigen',
    unknown: 'onbekend',
    contacts: 'Contactgegevens per partner',
    contactColumns: { partner: 'Partner', name: 'Naam', phone: 'Telefoon', email: 'E-mail', when: 'Gemeld' },
    noContacts: 'Geen partner heeft contactgegevens meegegeven.',
    householdGone: 'Het huishouden is niet meer bewaard: alleen het verloop van de melding is er nog.',
    timeline: 'Verloop',
    timelineCaption: 'Verloop van de melding, oudste eerst',
    timelineColumns: { when: 'Wanneer', what: 'Wat', who: 'Wie' },
    entries: {
      raised: 'Melding binnengekomen',
      update: 'Aanvulling: nieuwe signalen',
      reminder: (reason: string) => reason.charAt(0).toUpperCase() + reason.slice(1),
      reminderPlain: 'Herinnering',
      'picked-up': 'Opgepakt',
      attempt: (channel: string, partOfDay: string, reached: boolean) => `Contactpoging: ${channel}, ${partOfDay}, ${reached ? 'bereikt' : 'niet bereikt'}`,
      'not-taken': (reason: string) => `Niet opgepakt: ${reason}`,
      forwarded: (team: string, reason?: string) => `Doorgestuurd naar ${team}${reason ? ` (${reason})` : ''}`,
      closed: (result: string, detail?: string) => `Afgesloten: ${result}${detail ? `, ${detail}` : ''}`,
      afterEnd: '(gemeld na het einde; zonder gevolg)',
    },
  },
  actions: {
    heading: 'Acties',
    ended: 'Deze melding is beëindigd; er zijn geen acties meer.',
    pickUp: { legend: 'Oppakken', help: 'Wijs deze melding aan u toe.', submit: 'Oppakken' },
    attempt: {
      legend: 'Contactpoging vastleggen',
      channel: 'Soort',
      reached: 'Huishouden bereikt',
      yes: 'ja',
      no: 'nee',
      date: 'Datum',
      dateHint: 'Zonder kalender in uw browser: jjjj-mm-dd, bijvoorbeeld 2026-06-15',
      partOfDay: 'Dagdeel',
      submit: 'Contactpoging vastleggen',
    },
    notTaken: { legend: 'Niet oppakken', reason: 'Reden', submit: 'Niet oppakken' },
    forward: { legend: 'Doorsturen', team: 'Naar team', reason: 'Reden', submit: 'Doorsturen' },
    close: { legend: 'Afsluiten', result: 'Resultaat', submit: 'Afsluiten' },
    choose: 'Kies…',
    done: {
      'picked-up': 'U heeft de melding opgepakt.',
      attempt: 'De contactpoging is vastgelegd.',
      reached: 'De contactpoging is vastgelegd: het huishouden is bereikt.',
      'not-taken': 'De melding is niet opgepakt en is beëindigd.',
      forwarded: 'De melding is doorgestuurd; het andere team krijgt haar als nieuwe melding.',
      closed: 'De melding is afgesloten.',
    } satisfies Record<DoneCode, string>,
    partnersTold: {
      'picked-up': 'De partners die het signaal gaven, horen dat een team het heeft opgepakt (niet wie).',
      'not-taken': 'De partners horen dat het team de melding niet oppakt (niet waarom).',
      closed: 'De partners horen dat de casus is afgesloten (niet het resultaat).',
      nothing: 'De partners krijgen hiervan geen bericht.',
    },
    rejected: 'De actie is niet vastgelegd',
    rejections: {
      future: 'De datum en het dagdeel liggen in de toekomst.',
      'before-alert': 'De datum ligt vóór het moment dat de melding binnenkwam.',
      'after-end': 'De melding was op dat moment al beëindigd; een actie daarna wordt niet vastgelegd.',
      'forward-target': 'Doorsturen kan alleen naar een ander team van dezelfde gemeente.',
      contract: 'Het formulier is niet volledig ingevuld of bevat een ongeldige keuze.',
      date: 'Vul een geldige datum in, zoals 2026-06-15.',
    },
  },
  coordinator: {
    title: 'Regie',
    heading: (municipality: string) => `Regie ${municipality}`,
    intro: 'Meldingen van de teams van de gemeente waarvan de termijn verstreken is of die bij de regie zijn gemeld. Adres en contactgegevens staan hier niet: die heeft alleen het team.',
    caption: 'Te late en gemelde meldingen',
    columns: { team: 'Team', alert: 'Melding', level: 'Niveau', status: 'Status', deadline: 'Termijn', waited: 'Wacht', escalated: 'Gemeld bij regie' },
    none: 'Er zijn geen meldingen over de termijn.',
  },
  access: {
    title: 'Toegangslog',
    heading: (municipality: string, month: string) => `Toegangslog ${municipality}, ${month}`,
    intro: 'Wie welke melding met adres en contactgegevens heeft ingezien, en wanneer.',
    month: 'Maand',
    monthHint: 'Jaar en maand, zoals 2026-11',
    show: 'Toon',
    previous: 'Vorige maand',
    next: 'Volgende maand',
    caption: (count: number) => `${count} inzage${count === 1 ? '' : 's'}, oudste eerst`,
    columns: { when: 'Wanneer', member: 'Medewerker', team: 'Team', alert: 'Melding' },
    none: 'Geen inzages in deze maand.',
    badMonth: 'Vul een maand in als jaar-maand, zoals 2026-11.',
    export: (channel: 'download' | 'pull'): string => (channel === 'download' ? 'DDAS-export (download)' : 'DDAS-export (opgehaald door CBS)'),
    period: (from: string, to: string) => `${from} t/m ${to}`,
  },
  monitor: {
    title: 'Monitor',
    heading: (municipality: string, month: string) => `Monitor ${municipality}, ${month}`,
    intro: 'Wat de vroegsignalering in deze maand en dit jaar tot nu toe bereikte: alleen aantallen, aandelen en doorlooptijden.',
    month: 'Maand',
    monthHint: 'Jaar en maand, zoals 2026-11',
    show: 'Toon',
    previous: 'Vorige maand',
    next: 'Volgende maand',
    badMonth: 'Vul een maand in als jaar-maand, zoals 2026-11.',
    ddasHeading: 'DDAS-export voor het CBS',
    ddasIntro:
      'Het bestand volgens de DDAS-standaard (versie 1.2): de signalen over betalingsachterstanden met postcode en huisnummer, en hoe ze zijn opgepakt. Het bevat adressen: bewaar het alleen op een plek die daarvoor is bedoeld. Elke download komt in het toegangslog.',
    from: 'Van',
    to: 'Tot en met',
    dateHint: 'Datum als jaar-maand-dag, zoals 2026-10-01',
    download: 'Download DDAS-bestand',
    badPeriod: 'Vul twee datums in als jaar-maand-dag, de eerste niet na de tweede en samen niet langer dan een jaar.',
  },
  notices: {
    kinds: {
      'urgent-alert': 'Een nieuwe urgente melding of dreigende huisuitzetting voor mijn team',
      assigned: 'Een melding is aan mij toegewezen',
      overdue: 'De termijn van een melding van mij (of van niemand in mijn team) is verstreken',
      escalation: 'Een melding is bij de regie gemeld (voor het regieteam)',
      digest: 'Een dagelijks overzicht per team: nieuw, open, te laat en langst wachtend',
    } satisfies Record<NoticeKind, string>,
    kindsShort: {
      'urgent-alert': 'nieuwe urgente melding',
      assigned: 'aan u toegewezen',
      overdue: 'termijn verstreken',
      escalation: 'gemeld bij de regie',
      digest: 'dagelijks overzicht',
    } satisfies Record<NoticeKind, string>,
    on: 'aan',
    off: 'uit',
    teamDefault: (state: string) => `standaard van uw team: ${state}`,
    teamsDefault: (states: string) => `standaard van uw teams: ${states}`,
    mailStatus: { active: 'actief', bounced: 'uitgezet na een foutmelding', complained: 'uitgezet: als ongewenst gemeld' } satisfies Record<MailStatus, string>,
    digestTime: 'Tijd van het dagelijks overzicht',
    digestTimeHint: 'Nederlandse tijd, op werkdagen. In het weekend en op feestdagen alleen als er iets urgents nog niet is opgepakt.',
  },
  settings: {
    title: 'Instellingen',
    heading: 'Instellingen',
    saved: 'Uw instellingen zijn opgeslagen.',
    reset: 'Uw eigen keuzes zijn gewist: de standaard van uw team geldt weer.',
    invalid: 'Kies een tijd uit de lijst en een taal. Er is niets opgeslagen.',
    mailHeading: 'E-mailmeldingen',
    intro: 'Vroegsignaal kan u een e-mail sturen als er werk voor u is, zodat een urgente melding niet blijft liggen tot u weer kijkt.',
    sentTo: 'De e-mails gaan naar',
    sentToHint: 'Het adres van uw inlogaccount. Klopt het niet? Vraag uw beheerder het aan te passen en log daarna opnieuw in.',
    never:
      'Een e-mail zegt alleen dát er werk is: het niveau, het team, de termijn, hoe lang de melding al wacht en een link naar de melding hier. Er staat nooit een naam, adres, postcode, telefoonnummer, reden of kenmerk van het huishouden in: wie over uw schouder meeleest, weet niet over wie het gaat.',
    status: 'Status',
    mailOff: {
      bounced: (since: string) => `Uw e-mailadres gaf op ${since} een foutmelding. Daarom sturen we u geen e-mail meer. Sla uw instellingen op om het weer te proberen.`,
      complained: (since: string) => `Een e-mail van ons is op ${since} als ongewenst gemeld. Daarom sturen we u geen e-mail meer. Sla uw instellingen op om weer e-mail te ontvangen.`,
    } satisfies Record<Exclude<MailStatus, 'active'>, (since: string) => string>,
    noAddress: 'Uw inlogaccount geeft geen e-mailadres door, dus Vroegsignaal kan u geen e-mail sturen. Vraag uw beheerder om een e-mailadres aan uw account toe te voegen en log daarna opnieuw in.',
    optIn: 'E-mailmeldingen ontvangen',
    optInHint: 'Uit: u krijgt geen enkele e-mail over meldingen. Aan: u krijgt de soorten hieronder die aan staan.',
    kindsLegend: 'Waarover u een e-mail krijgt',
    kindsHint: 'Wat u niet zelf wijzigt, volgt de standaard die de coördinator voor uw team instelt.',
    digestDefault: (time: string) => `standaard van uw team (${time})`,
    language: 'Taal van de e-mails',
    languages: { nl: 'Nederlands', en: 'English' } satisfies Record<Locale, string>,
    save: 'Instellingen opslaan',
    resetHeading: 'Terug naar de standaard',
    resetHint: 'Wist uw eigen keuzes per soort en uw tijd: dan geldt weer wat de coördinator voor uw team instelt. Of u e-mail ontvangt, blijft zoals het is.',
    resetSubmit: 'Standaard van mijn team gebruiken',
    recentHeading: 'Laatst verstuurd',
    recentCaption: 'De laatste 10 e-mails aan u, nieuwste eerst',
    recentColumns: { when: 'Verstuurd', kind: 'Soort', team: 'Team', alert: 'Melding' },
    recentNone: 'U heeft nog geen e-mail van Vroegsignaal gekregen.',
    teamsHeading: 'Standaard voor de teams',
    teamsIntro: 'Als coördinator stelt u per team in wat de leden krijgen zolang ze zelf niets anders kiezen, en ziet u of hun e-mail aankomt.',
  },
  teamSettings: {
    title: 'Teaminstellingen',
    heading: (team: string) => `E-mailmeldingen van ${team}`,
    intro: 'De standaard voor de leden van dit team: wat een lid krijgt zolang het zelf niets anders kiest. Een lid krijgt pas e-mail als het dat zelf aanzet.',
    saved: 'De standaard van het team is opgeslagen.',
    invalid: 'Kies een tijd uit de lijst. Er is niets opgeslagen.',
    kindsLegend: 'Standaard aan',
    setBy: (who: string, when: string) => `Laatst gewijzigd door ${who} op ${when}.`,
    shipped: 'Nog niet ingesteld: de standaard van Vroegsignaal geldt (alles aan, het overzicht om 08:30).',
    save: 'Standaard opslaan',
    membersHeading: 'Leden en hun e-mail',
    membersHint:
      'Staat de e-mail van een lid uit na een foutmelding? Laat het e-mailadres van het inlogaccount nakijken; het lid zet de e-mail weer aan door de eigen instellingen op te slaan.',
    membersCaption: 'Leden van het team die zich hebben aangemeld',
    membersColumns: { member: 'Medewerker', email: 'E-mailadres', optedIn: 'E-mail ontvangen', mail: 'Status', since: 'Sinds' },
    membersNone: 'Nog geen lid van dit team heeft ingelogd.',
    back: 'Terug naar uw instellingen',
  },
  outbox: {
    title: 'Uitgaande post',
    heading: 'Lokale uitgaande post (alleen op uw eigen machine)',
    intro: (email: string) =>
      `De e-mails die de lokale mailserver van npm run serve voor ${email} ontving, nieuwste eerst. Op AWS gaan ze via Amazon SES naar de echte inbox; deze pagina bestaat daar niet.`,
    noAddress: 'Uw inlogaccount heeft geen e-mailadres: er is geen post voor u.',
    none: 'Er is nog geen e-mail voor u ontvangen.',
    received: 'Ontvangen',
    links: 'Links in deze e-mail',
  },
};

export type Messages = typeof nl;

const en: Messages = {
  appName: 'Vroegsignaal',
  skipLink: 'Skip to content',
  mainNav: 'Main menu',
  nav: { inbox: 'Alerts', coordinator: 'Coordination', monitor: 'Monitor', access: 'Access log', settings: 'Settings', outbox: 'Outgoing mail', logout: 'Log out' },
  switchLanguage: { label: 'Nederlands', lang: 'nl', title: 'Naar het Nederlands' },
  footer: 'Early warning of rent arrears and threatened eviction. Personal data only for those who handle the alert.',
  me: 'me',
  noOne: '—',
  levels: LEVEL_WORDS.en,
  statuses: { raised: 'new', 'picked-up': 'picked up', reached: 'reached', 'not-taken': 'not taken', forwarded: 'forwarded', closed: 'closed' },
  channels: {
    letter: 'letter',
    card: 'card',
    phone: 'phone',
    sms: 'text message',
    email: 'e-mail',
    'home-visit': 'home visit',
    appointment: 'appointment on location',
    administrative: 'administrative',
    other: 'other',
  },
  partsOfDay: { morning: 'morning', afternoon: 'afternoon', evening: 'evening' },
  notTakenReasons: {
    unjustified: 'unjustified signal',
    repeat: 'repeated alert',
    'already-in-debt-help': 'already known to debt help',
    'other-trajectory': 'other trajectory under way',
    'not-resident': 'not (or no longer) a resident',
    deceased: 'deceased',
    other: 'other reason',
  },
  caseResults: { resolved: 'resolved', referred: 'referred', 'no-contact': 'no contact', declined: 'help declined' },
  caseDetails: {
    'quick-fix': '(budget) advice or quick fix',
    'paid-or-arrangement': 'paid or payment plan',
    'self-managing': 'manages it themselves',
    'referred-financial': 'follow-up help or referral (financial)',
    'referred-non-financial': 'follow-up help or referral (non-financial)',
    referred: 'follow-up help or referral',
    'referred-without-resident': 'referral without the resident',
    'never-reached': 'could not get in touch',
    'no-response-after-contact': 'no response after earlier contact',
    declined: 'help declined',
  },
  forwardReasons: { 'other-district': 'lives in another district', 'better-fit': 'fits that team better', 'known-there': 'already known to that team', other: 'other reason' },
  reminderReasons: {
    'verdict-lapses': 'reminder: the verdict lapses soon',
    overdue: 'reminder: the deadline has passed',
    'overdue-escalated': 'reported to coordination: long past the deadline',
  },
  stages: { summons: 'summons', filed: 'case filed', verdict: 'verdict', scheduled: 'eviction scheduled', executed: 'evicted', withdrawn: 'withdrawn' },
  nuisanceCategories: { noise: 'noise', threat: 'threat', drugs: 'drugs', neglect: 'neglect', pollution: 'pollution', hoarding: 'hoarding', other: 'other' },
  severities: { low: 'low', medium: 'medium', high: 'high' },
  careDomains: {
    debt: 'debt',
    income: 'income',
    mentalHealth: 'mental health',
    addiction: 'addiction',
    youth: 'youth',
    domesticViolence: 'domestic violence',
    health: 'health',
    safety: 'safety',
  },
  reasons: {
    arrears: { short: (months) => `${months} mo rent arrears`, sentence: (months) => `The rent is ${months} month${months === 1 ? '' : 's'} in arrears.` },
    arrearsBelow: { short: 'arrears below threshold', sentence: "The rent is in arrears, but below the municipality's threshold." },
    care: { short: (domains) => `care signal ${domains}`, sentence: (domains) => `A care partner reports problems with ${domains}.` },
    careStagnation: { short: 'help stalled', sentence: 'Help has stalled.' },
    domains: { short: (n) => `${n} life domains`, sentence: (n) => `There are live signals in ${n} life domains.` },
    partners: { short: (n) => `${n} partners`, sentence: (n) => `${n} partners report this household.` },
    nuisanceHigh: { short: 'serious nuisance', sentence: 'Serious nuisance has been reported.' },
    proceeding: { short: (stage) => stage, sentence: (stage) => `An eviction proceeding is under way: ${stage}.` },
    scheduledSoon: { short: 'eviction soon', sentence: 'The eviction is scheduled within a few weeks.' },
    crisis: { short: 'crisis', sentence: 'A partner marks this as a crisis.' },
    minors: { short: 'minors', sentence: 'Children under 18 live in the household.' },
    unknown: (code) => code,
  },
  deadline: { left: (days) => `${days} left`, today: 'today', late: 'overdue', lateTimes: (n) => `${n}× overdue` },
  errors: {
    forbiddenTitle: 'No access',
    forbidden: 'You have no role that may see this page. Ask your administrator to add you to the right team or role.',
    notFoundTitle: 'Not found',
    notFound: 'This page or alert does not exist, or does not belong to your team.',
    unavailableTitle: 'Temporarily unavailable',
    unavailable: 'The data cannot be shown safely now, because your access could not be recorded. Try again in a minute.',
    backHome: 'To the start page',
  },
  landing: {
    title: 'Start page',
    intro: 'Choose where you want to work.',
    inboxOf: (team) => `Alerts of ${team}`,
    coordinatorOf: (municipality) => `Coordination ${municipality}`,
    accessOf: (municipality) => `Access log ${municipality}`,
    monitorOf: (municipality) => `Monitor ${municipality}`,
  },
  inbox: {
    title: 'Alerts',
    heading: (team) => `Alerts of ${team}`,
    caption: 'Open alerts, most pressing first',
    teamPicker: 'Team',
    teamPickerSubmit: 'Show team',
    counts: 'Counts per status',
    filters: 'Filters',
    level: 'Level',
    status: 'Status',
    district: 'District',
    any: 'all',
    mine: 'Only my alerts',
    overdue: 'Only overdue',
    apply: 'Filter',
    clear: 'Clear filters',
    columns: { alert: 'Alert', level: 'Level', reasons: 'Reasons', partners: 'Partners', district: 'District', deadline: 'Deadline', waited: 'Waiting', holder: 'Assignee', status: 'Status' },
    none: 'No open alerts match these filters.',
    shown: (from, to, total) => `Alert ${from} to ${to} of ${total}`,
    paging: 'Pagination',
    previous: 'Previous page',
    next: 'Next page',
    page: (page, pages) => `Page ${page} of ${pages}`,
  },
  alert: {
    title: 'Alert',
    heading: (id) => `Alert ${id}`,
    summary: 'Summary',
    level: 'Level',
    score: 'Score',
    status: 'Status',
    team: 'Team',
    raisedAt: 'Raised',
    deadline: 'Respond by',
    waited: 'Waiting',
    holder: 'Assignee',
    forwardedFrom: 'Forwarded from alert',
    why: 'Why this alert',
    signals: 'Live signals',
    signalsCaption: 'Live signals, newest first',
    signalColumns: { partner: 'Partner', kind: 'Kind', when: 'When' },
    signalKinds: {
      arrears: (months, amount) => `Rent arrears: ${months} mo, ${amount}`,
      arrangement: 'payment plan agreed',
      nuisance: (category, severity) => `Nuisance: ${category} (severity ${severity})`,
      proceeding: (stage, date) => `Eviction proceeding: ${stage} (${date})`,
      care: (domains) => `Care signal: ${domains}`,
      crisis: 'crisis',
    },
    noSignals: 'There are no live signals any more.',
    visitOnly: 'For the visit only',
    visitOnlyNote: 'These details are only for contacting the household. Your access has been recorded.',
    address: 'Address',
    postcode: 'Postcode',
    houseNumber: 'House number',
    composition: 'Household',
    adults: 'Adults',
    minors: 'Minors',
    unknown: 'unknown',
    contacts: 'Contact details per partner',
    contactColumns: { partner: 'Partner', name: 'Name', phone: 'Phone', email: 'E-mail', when: 'Reported' },
    noContacts: 'No partner gave contact details.',
    householdGone: 'The household is no longer kept: only the course of the alert remains.',
    timeline: 'Course',
    timelineCaption: 'Course of the alert, oldest first',
    timelineColumns: { when: 'When', what: 'What', who: 'Who' },
    entries: {
      raised: 'Alert raised',
      update: 'Update: new signals',
      reminder: (reason) => reason.charAt(0).toUpperCase() + reason.slice(1),
      reminderPlain: 'Reminder',
      'picked-up': 'Picked up',
      attempt: (channel, partOfDay, reached) => `Contact attempt: ${channel}, ${partOfDay}, ${reached ? 'reached' : 'not reached'}`,
      'not-taken': (reason) => `Not taken: ${reason}`,
      forwarded: (team, reason) => `Forwarded to ${team}${reason ? ` (${reason})` : ''}`,
      closed: (result, detail) => `Closed: ${result}${detail ? `, ${detail}` : ''}`,
      afterEnd: '(reported after the end; without effect)',
    },
  },
  actions: {
    heading: 'Actions',
    ended: 'This alert has ended; there are no more actions.',
    pickUp: { legend: 'Pick up', help: 'Assign this alert to yourself.', submit: 'Pick up' },
    attempt: {
      legend: 'Log a contact attempt',
      channel: 'Kind',
      reached: 'Household reached',
      yes: 'yes',
      no: 'no',
      date: 'Date',
      dateHint: 'Without a calendar in your browser: yyyy-mm-dd, for example 2026-06-15',
      partOfDay: 'Part of day',
      submit: 'Log contact attempt',
    },
    notTaken: { legend: 'Do not take', reason: 'Reason', submit: 'Do not take' },
    forward: { legend: 'Forward', team: 'To team', reason: 'Reason', submit: 'Forward' },
    close: { legend: 'Close', result: 'Result', submit: 'Close' },
    choose: 'Choose…',
    done: {
      'picked-up': 'You picked up the alert.',
      attempt: 'The contact attempt is logged.',
      reached: 'The contact attempt is logged: the household is reached.',
      'not-taken': 'The alert is not taken and has ended.',
      forwarded: 'The alert is forwarded; the other team gets it as a new alert.',
      closed: 'The alert is closed.',
    },
    partnersTold: {
      'picked-up': 'The partners who gave the signal hear that a team picked it up (not who).',
      'not-taken': 'The partners hear that the team does not take the alert (not why).',
      closed: 'The partners hear that the case is closed (not the result).',
      nothing: 'The partners are not told of this.',
    },
    rejected: 'The action was not recorded',
    rejections: {
      future: 'The date and part of day lie in the future.',
      'before-alert': 'The date lies before the alert was raised.',
      'after-end': 'The alert had already ended by then; an action after that is not recorded.',
      'forward-target': 'An alert can only be forwarded to another team of the same municipality.',
      contract: 'The form is incomplete or holds a choice that is not valid.',
      date: 'Enter a valid date, such as 2026-06-15.',
    },
  },
  coordinator: {
    title: 'Coordination',
    heading: (municipality) => `Coordination ${municipality}`,
    intro: "Alerts of the municipality's teams that are past their deadline or were reported to coordination. Address and contact details are not shown here: only the team has them.",
    caption: 'Overdue and reported alerts',
    columns: { team: 'Team', alert: 'Alert', level: 'Level', status: 'Status', deadline: 'Deadline', waited: 'Waiting', escalated: 'Reported to coordination' },
    none: 'No alerts are past their deadline.',
  },
  access: {
    title: 'Access log',
    heading: (municipality, month) => `Access log ${municipality}, ${month}`,
    intro: 'Who saw which alert with its address and contact details, and when.',
    month: 'Month',
    monthHint: 'Year and month, such as 2026-11',
    show: 'Show',
    previous: 'Previous month',
    next: 'Next month',
    caption: (count) => `${count} view${count === 1 ? '' : 's'}, oldest first`,
    columns: { when: 'When', member: 'Member', team: 'Team', alert: 'Alert' },
    none: 'No views in this month.',
    badMonth: 'Enter a month as year-month, such as 2026-11.',
    export: (channel) => (channel === 'download' ? 'DDAS export (download)' : 'DDAS export (pulled by CBS)'),
    period: (from, to) => `${from} to ${to}`,
  },
  monitor: {
    title: 'Monitor',
    heading: (municipality, month) => `Monitor ${municipality}, ${month}`,
    intro: 'What early signalling achieved in this month and the year to date: counts, shares and durations only.',
    month: 'Month',
    monthHint: 'Year and month, such as 2026-11',
    show: 'Show',
    previous: 'Previous month',
    next: 'Next month',
    badMonth: 'Enter a month as year-month, such as 2026-11.',
    ddasHeading: 'DDAS export for CBS',
    ddasIntro:
      'The file in the DDAS standard (version 1.2): the payment-arrears signals with postcode and house number, and how they were handled. It holds addresses: keep it only where such data belongs. Every download is written to the access log.',
    from: 'From',
    to: 'To (inclusive)',
    dateHint: 'Date as year-month-day, such as 2026-10-01',
    download: 'Download DDAS file',
    badPeriod: 'Enter two dates as year-month-day, the first not after the second, together no longer than a year.',
  },
  notices: {
    kinds: {
      'urgent-alert': 'A new urgent or eviction-threat alert for my team',
      assigned: 'An alert is assigned to me',
      overdue: 'The deadline of an alert of mine (or of no one in my team) has passed',
      escalation: 'An alert is reported to coordination (for the coordinating team)',
      digest: 'A daily summary per team: new, open, overdue and longest waiting',
    },
    kindsShort: { 'urgent-alert': 'new urgent alert', assigned: 'assigned to you', overdue: 'deadline passed', escalation: 'reported to coordination', digest: 'daily summary' },
    on: 'on',
    off: 'off',
    teamDefault: (state) => `your team's default: ${state}`,
    teamsDefault: (states) => `your teams' defaults: ${states}`,
    mailStatus: { active: 'active', bounced: 'switched off after an error', complained: 'switched off: reported as unwanted' },
    digestTime: 'Time of the daily summary',
    digestTimeHint: 'Dutch time, on working days. At weekends and on public holidays only when something urgent has not been picked up.',
  },
  settings: {
    title: 'Settings',
    heading: 'Settings',
    saved: 'Your settings are saved.',
    reset: "Your own choices are cleared: your team's default applies again.",
    invalid: 'Choose a time from the list and a language. Nothing was saved.',
    mailHeading: 'E-mail notices',
    intro: 'Vroegsignaal can send you an e-mail when there is work for you, so that an urgent alert does not wait until you look again.',
    sentTo: 'The e-mails go to',
    sentToHint: 'The address of your login account. Is it wrong? Ask your administrator to correct it, then log in again.',
    never:
      'An e-mail only says that there is work: the level, the team, the deadline, how long the alert has waited and a link to the alert here. It never holds a name, address, postcode, phone number, reason or reference of the household: whoever reads over your shoulder does not learn who it is about.',
    status: 'Status',
    mailOff: {
      bounced: (since) => `Your e-mail address gave an error on ${since}. So we no longer send you e-mail. Save your settings to try again.`,
      complained: (since) => `An e-mail of ours was reported as unwanted on ${since}. So we no longer send you e-mail. Save your settings to receive e-mail again.`,
    },
    noAddress: 'Your login account gives no e-mail address, so Vroegsignaal cannot e-mail you. Ask your administrator to add an e-mail address to your account, then log in again.',
    optIn: 'Receive e-mail notices',
    optInHint: 'Off: you get no e-mail about alerts at all. On: you get the kinds below that are on.',
    kindsLegend: 'What you get an e-mail about',
    kindsHint: 'What you do not change yourself follows the default your team\'s coordinator sets.',
    digestDefault: (time) => `your team's default (${time})`,
    language: 'Language of the e-mails',
    languages: { nl: 'Nederlands', en: 'English' },
    save: 'Save settings',
    resetHeading: 'Back to the default',
    resetHint: "Clears your own choices per kind and your time: what your team's coordinator sets applies again. Whether you receive e-mail stays as it is.",
    resetSubmit: "Use my team's default",
    recentHeading: 'Recently sent',
    recentCaption: 'The last 10 e-mails to you, newest first',
    recentColumns: { when: 'Sent', kind: 'Kind', team: 'Team', alert: 'Alert' },
    recentNone: 'You have not had an e-mail from Vroegsignaal yet.',
    teamsHeading: 'Defaults for the teams',
    teamsIntro: 'As coordinator you set per team what its members get as long as they choose nothing else, and you see whether their e-mail arrives.',
  },
  teamSettings: {
    title: 'Team settings',
    heading: (team) => `E-mail notices of ${team}`,
    intro: "The default for this team's members: what a member gets as long as they choose nothing else. A member only gets e-mail once they switch it on themselves.",
    saved: "The team's default is saved.",
    invalid: 'Choose a time from the list. Nothing was saved.',
    kindsLegend: 'On by default',
    setBy: (who, when) => `Last changed by ${who} on ${when}.`,
    shipped: "Not set yet: Vroegsignaal's default applies (everything on, the summary at 08:30).",
    save: 'Save default',
    membersHeading: 'Members and their e-mail',
    membersHint:
      "Is a member's e-mail switched off after an error? Have the address of their login account checked; the member switches e-mail on again by saving their own settings.",
    membersCaption: 'Members of the team who have logged in',
    membersColumns: { member: 'Member', email: 'E-mail address', optedIn: 'Receives e-mail', mail: 'Status', since: 'Since' },
    membersNone: 'No member of this team has logged in yet.',
    back: 'Back to your settings',
  },
  outbox: {
    title: 'Outgoing mail',
    heading: 'Local outgoing mail (on your own machine only)',
    intro: (email) =>
      `The e-mails the local mail server of npm run serve received for ${email}, newest first. On AWS they go through Amazon SES to the real inbox; this page does not exist there.`,
    noAddress: 'Your login account has no e-mail address: there is no mail for you.',
    none: 'No e-mail for you has been received yet.',
    received: 'Received',
    links: 'Links in this e-mail',
  },
};

const CATALOGUES: Record<Locale, Messages> = { nl, en };

export function messages(locale: Locale): Messages {
  return CATALOGUES[locale];
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

const TIME_ZONE = 'Europe/Amsterdam';
const INTL_LOCALE: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function format(locale: Locale, kind: 'date' | 'dateTime' | 'month', ms: number): string {
  const key = `${locale}|${kind}`;
  let formatter = dateTimeFormats.get(key);
  if (!formatter) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'date' ? { dateStyle: 'medium' } : kind === 'month' ? { year: 'numeric', month: 'long' } : { dateStyle: 'medium', timeStyle: 'short' };
    formatter = new Intl.DateTimeFormat(INTL_LOCALE[locale], { ...options, timeZone: TIME_ZONE });
    dateTimeFormats.set(key, formatter);
  }
  return formatter.format(ms);
}

/** A moment as the users read it: Amsterdam time, the locale's way. */
export function formatDateTime(locale: Locale, ms: number): string {
  return format(locale, 'dateTime', ms);
}

export function formatDate(locale: Locale, ms: number): string {
  return format(locale, 'date', ms);
}

export function formatMonth(locale: Locale, ms: number): string {
  return format(locale, 'month', ms);
}

export function formatEuros(locale: Locale, cents: number): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale], { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

export const DAY_MS = 24 * 60 * 60_000;

/**
 * How long something took ("3 dagen", "5 uur", "12 min") and a list in words ("a, b en c"): the
 * words the mails use (the domain renders those), so that a page and a mail say it the same way.
 */
export { formatDuration, formatList };

/**
 * A reason code (model/assessment.ts: `arrears-2m`, `domains-3`, `care-debt-income`,
 * `proceeding-verdict`, ...) in words: short for the inbox, a sentence for the alert page. A
 * code this table does not know is shown as the code, never dropped.
 */
export function reasonText(locale: Locale, code: string, form: 'short' | 'sentence'): string {
  const t = messages(locale);
  const r = t.reasons;
  const arrears = /^arrears-(\d+)m$/.exec(code);
  if (arrears) return r.arrears[form](Number(arrears[1]));
  const counted = /^(domains|partners)-(\d+)$/.exec(code);
  if (counted) return r[counted[1] as 'domains' | 'partners'][form](Number(counted[2]));
  if (code.startsWith('care-') && code !== 'care-stagnation') {
    const domains = code.slice('care-'.length).split('-').filter((d): d is CareDomain => d in t.careDomains);
    if (domains.length > 0) return r.care[form](formatList(locale, domains.map((d) => t.careDomains[d])));
  }
  const stage = /^proceeding-([a-z]+)$/.exec(code)?.[1];
  if (stage && stage in t.stages) return r.proceeding[form](t.stages[stage as ProceedingStage]);
  const fixed: Record<string, keyof typeof r> = {
    'arrears-below-threshold': 'arrearsBelow',
    'care-stagnation': 'careStagnation',
    'nuisance-high': 'nuisanceHigh',
    'eviction-scheduled-soon': 'scheduledSoon',
    crisis: 'crisis',
    minors: 'minors',
  };
  const key = fixed[code];
  const phrase = key ? (r[key] as { short: string; sentence: string })[form] : undefined;
  return phrase ?? r.unknown(code);
}
