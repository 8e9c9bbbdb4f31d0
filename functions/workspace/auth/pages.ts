/**
 * The few pages the login itself shows (logged out, session expired, login failed, no access):
 * Dutch, as the users' working language, before the workspace knows a member's locale.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { stylesheetHref } from '../static/assets.ts';

export interface AuthPage {
  title: string;
  message: string;
  /** A link to go on with (the login, or the workspace). */
  action: { href: string; label: string };
}

export const AUTH_PAGES = {
  loggedOut: { title: 'U bent uitgelogd', message: 'U bent uitgelogd bij de werkplaats.', action: { href: '/auth/login', label: 'Opnieuw inloggen' } },
  sessionEnded: {
    title: 'Uw sessie is verlopen',
    message: 'U was 30 minuten niet actief, of langer dan 10 uur ingelogd. Wat u net verstuurde is niet verwerkt. Log opnieuw in en probeer het nog eens.',
    action: { href: '/auth/login', label: 'Opnieuw inloggen' },
  },
  loginFailed: { title: 'Inloggen mislukt', message: 'Het inloggen is niet gelukt of duurde te lang. Probeer het opnieuw.', action: { href: '/auth/login', label: 'Opnieuw inloggen' } },
  noRole: {
    title: 'Geen toegang',
    message: 'Uw account heeft geen rol in de werkplaats (geen team, regie, gemeente of privacyfunctionaris). Vraag uw beheerder om u aan een groep toe te voegen.',
    action: { href: '/auth/login', label: 'Inloggen met een ander account' },
  },
  forbidden: {
    title: 'Niet verwerkt',
    message: 'Dit formulier kwam niet van een pagina van de werkplaats, of de pagina was te oud. Er is niets veranderd. Ga terug, herlaad de pagina en probeer het opnieuw.',
    action: { href: '/', label: 'Naar de meldingen' },
  },
} satisfies Record<string, AuthPage>;

export function renderAuthPage(page: AuthPage): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<!DOCTYPE html>
<html lang="nl" class="utrecht-document utrecht-document--surface">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} – Vroegsignaal</title>
<link rel="stylesheet" href="${stylesheetHref()}">
</head>
<body>
<div class="utrecht-page">
<main class="utrecht-page-content" id="inhoud">
<h1 class="utrecht-heading-1">${page.title}</h1>
<p class="utrecht-paragraph">${page.message}</p>
<p class="utrecht-paragraph"><a class="utrecht-link utrecht-link--html-a" href="${page.action.href}">${page.action.label}</a></p>
</main>
</div>
</body>
</html>`;
}
