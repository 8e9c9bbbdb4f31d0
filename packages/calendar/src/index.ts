/**
 * `@vroegsignaal/calendar`: time as the contract counts it (docs/contract.md, "Time"):
 * calendar months and days in Europe/Amsterdam, Dutch working days, and dates as
 * `YYYY-MM-DD`. No dependencies, so the contract's own schemas (events/) can use it too.
 */
export * from './calendar.ts';
export * from './dates.ts';
